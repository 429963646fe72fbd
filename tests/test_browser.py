"""What a reader sees, in Debian's Chromium driven by Playwright: pages, paragraph links, no outside requests."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.requested_hosts = set()
    page.console_errors = []
    page.on("request", lambda request: page.requested_hosts.add(urlsplit(request.url).hostname))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def test_reader_opens_home_follows_a_speech_and_a_paragraph_link(page, site_url):
    page.goto(site_url)
    assert page.locator("article h1").inner_text().startswith("办公室工作规范手册")
    assert "内部资料" in page.locator(".md-copyright").inner_text()

    page.locator("article a", has_text="讲话原文").first.click()
    page.wait_for_url("**/speeches/")
    page.locator("article table a", has_text="在政府公室2020年度工作会上的讲话").click()
    page.wait_for_url("**/speeches/county-gov-office-2020/")

    paragraph_link = page.locator("#p12 a.hb-para-link")
    assert paragraph_link.inner_text() == "¶12"
    paragraph_link.click()
    assert page.url.endswith("/speeches/county-gov-office-2020/#p12")
    assert page.evaluate("document.querySelector(':target').id") == "p12"
    assert page.locator("#p12").text_content().startswith("¶12对这些问题，务必引起我们的高度重视")
    # The target paragraph is scrolled into view.
    assert page.evaluate("(() => { const r = document.getElementById('p12').getBoundingClientRect(); "
                         "return r.top >= 0 && r.top < window.innerHeight; })()")

    assert page.requested_hosts == {"127.0.0.1"}, f"requests left 127.0.0.1: {page.requested_hosts}"
    assert page.console_errors == []


def test_language_switcher_goes_to_the_english_counterpart_and_back(page, site_url):
    page.goto(site_url + "speeches/county-party-office-integrity/")
    page.locator(".md-header .md-select").first.hover()
    page.locator(".md-select__link[hreflang='en']").click()
    page.wait_for_url("**/en/speeches/county-party-office-integrity/")
    assert page.locator("article h1").inner_text().startswith("Speech at the County Party Committee Office Meeting")
    assert "That is all I have to say" in page.locator("#p7").inner_text()
    page.locator(".md-header .md-select").first.hover()
    page.locator(".md-select__link[hreflang='zh']").click()
    page.wait_for_url(site_url + "speeches/county-party-office-integrity/")
    assert page.locator("article h1").inner_text().startswith("在县委办党风廉政建设暨警示教育会议上的讲话")
    assert page.requested_hosts == {"127.0.0.1"}
