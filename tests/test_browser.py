"""What a reader sees, in Debian's Chromium driven by Playwright: pages, paragraph links, no outside requests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
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


def test_onboarding_checklist_keeps_its_ticks_by_keyboard_across_reloads_and_languages(page, site_url):
    page.goto(site_url + "onboarding/")
    progress = page.locator(".hb-progress")
    assert progress.inner_text() == "已完成 0/15 项"
    boxes = page.locator("ul.task-list input[type=checkbox]")
    assert boxes.count() == 15
    assert boxes.first.get_attribute("aria-label").startswith("读熟“五个坚持”")
    for index in (0, 4):  # by keyboard: focus the box, press Space
        boxes.nth(index).focus()
        page.keyboard.press("Space")
    assert progress.inner_text() == "已完成 2/15 项"

    page.reload()
    assert [boxes.nth(i).is_checked() for i in range(6)] == [True, False, False, False, True, False]
    assert progress.inner_text() == "已完成 2/15 项"
    # The same items (keyed by their clause IDs) are ticked on the English page.
    page.goto(site_url + "en/onboarding/")
    assert page.locator(".hb-progress").inner_text() == "2 of 15 done"
    page.locator("button.hb-reset", has_text="Clear all ticks").click()
    page.reload()
    assert page.locator(".hb-progress").inner_text() == "0 of 15 done"
    assert page.console_errors == []


@pytest.mark.parametrize("prefix, audience, label, count", [
    ("", "秘书人员", "适用对象：", "适用于秘书人员的条款：{count} 条"),
    ("en/", "Secretaries", "Applies to:", "Clauses that apply to Secretaries: {count}"),
])
def test_norms_index_filters_clauses_by_whom_they_bind_by_keyboard(page, site_url, prefix, audience, label, count):
    """Issue 25: a reader finds the rules that bind their office or role; the tabs filter by duration."""
    page.goto(site_url + prefix + "norms/")
    every = page.locator(".hb-clause-list .tabbed-block").first.locator("tbody tr")
    total = every.count()
    select = page.get_by_label(label)
    select.focus()  # by keyboard: the choice is a native <select>
    options = select.locator("option").all_inner_texts()
    assert options[0] == ("全部" if not prefix else "Everyone") and audience in options
    for _ in range(options.index(audience)):
        page.keyboard.press("ArrowDown")
    assert select.input_value() == audience
    shown = [row for row in every.all() if row.is_visible()]
    expected = [row for row in every.all() if audience in row.get_attribute("data-audiences").split("\n")]
    assert 0 < len(shown) == len(expected) < total
    assert all(audience in row.locator("td").nth(1).inner_text() for row in shown)
    assert page.locator(".hb-norms-filter-status").inner_text() == count.format(count=len(shown))
    select.select_option("")
    assert sum(row.is_visible() for row in every.all()) == total
    assert page.console_errors == []


def test_onboarding_self_test_reveals_the_answer_with_its_clause_and_keeps_a_score(page, site_url):
    page.goto(site_url + "onboarding/")
    score = page.locator(".hb-score")
    assert score.inner_text() == "自测得分：已答 0 题，答对 0 题（共 34 题）"
    questions = page.locator("details.question")
    page.get_by_label("第1题：你的回答").fill("五个坚持")
    questions.nth(0).locator("summary").click()
    answer = questions.nth(0)
    assert answer.locator("a", has_text="政治-01").is_visible()
    answer.get_by_role("button", name="答对了").click()
    questions.nth(1).locator("summary").click()
    questions.nth(1).get_by_role("button", name="没答对").click()
    assert score.inner_text() == "自测得分：已答 2 题，答对 1 题（共 34 题）"
    page.reload()
    assert score.inner_text() == "自测得分：已答 2 题，答对 1 题（共 34 题）"
    page.get_by_role("button", name="重新自测").click()
    assert score.inner_text() == "自测得分：已答 0 题，答对 0 题（共 34 题）"
    assert page.console_errors == []


def test_onboarding_remembers_from_file_and_reads_as_before_without_javascript(browser, built_site):
    url = (built_site / "onboarding" / "index.html").as_uri()
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.locator("ul.task-list input[type=checkbox]").nth(2).focus()
    page.keyboard.press("Space")
    page.reload()
    assert page.locator("ul.task-list input[type=checkbox]").nth(2).is_checked()
    assert page.locator(".hb-progress").inner_text() == "已完成 1/15 项"
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    assert page.locator("ul.task-list input[type=checkbox][disabled]").count() == 15
    assert page.locator(".hb-progress, .hb-score, .hb-answer").count() == 0
    assert page.locator("details.question").count() == 34
    assert "“五个坚持”" in page.locator("details.question").first.text_content()
    context.close()


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NORM_PAGE = "norms/documents/"


def test_printing_a_norm_page_keeps_the_text_ids_and_paragraph_numbers_without_navigation(browser, site_url):
    # Printed in the dark scheme on purpose: the print is light whatever the reader's scheme.
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + NORM_PAGE)
    ARTIFACTS.mkdir(exist_ok=True)
    printed = ARTIFACTS / "print-norm-page.pdf"
    page.pdf(path=str(printed), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "办文-03以县政府和政府办名义发文先经法制办审核" in flat  # clause ID and title
    assert "县政府办年度工作会讲话¶23「对以县政府和政府办名义发布的公文" in flat  # the citation keeps its ¶
    assert "内部资料" in flat  # the marking, from the footer
    # No header, breadcrumbs, navigation, table of contents, search or footer links.
    for navigation in ("办公室工作规范手册", "首页", "重要提法", "讲话原文", "目录", "搜索", "跳转至"):
        assert navigation not in flat, f"{navigation!r} printed"
    # Light whatever the scheme: the first sheet is mostly white (a dark print would average far lower).
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", "-gray", "-singlefile", str(printed),
                    str(ARTIFACTS / "print-norm-page")], check=True)
    from PIL import Image, ImageStat

    assert ImageStat.Stat(Image.open(ARTIFACTS / "print-norm-page.png")).mean[0] > 200


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_norm_page_screenshots_and_a_legible_diagram_on_a_phone(browser, site_url, width, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + NORM_PAGE)
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"norm-page-{width}-{scheme}.png"))
    diagram = page.locator("img[src*='assets/diagrams/banwen-flow']")
    diagram.scroll_into_view_if_needed()
    box = diagram.bounding_box()
    # Never shrunk below 640 CSS px (the SVG is 960 wide: its 15 px labels stay at least 10 px); on the
    # phone it scrolls sideways inside its paragraph instead.
    assert box["width"] >= 640, box
    if width == 390:
        frame = diagram.locator("xpath=..")
        assert frame.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert frame.evaluate("e => e.scrollWidth > e.clientWidth")
        page.screenshot(path=str(ARTIFACTS / f"norm-page-diagram-{width}-{scheme}.png"))
    context.close()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def focus_ring(page) -> str:
    return page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                         "return s.outlineStyle + ' ' + s.outlineWidth; })()")


def test_keyboard_reaches_skip_link_search_language_switch_and_paragraph_links(page, site_url):
    page.goto(site_url + "speeches/county-gov-office-2020/")
    # The first Tab lands on Material's skip link, shown when focused; Enter moves past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    assert page.locator("a.md-skip").is_visible()
    page.keyboard.press("Enter")
    assert "#" in page.url

    # Search: reached by Tab, typed into, results chosen with the arrow keys and Enter.
    page.goto(site_url + "speeches/county-gov-office-2020/")
    tab_to(page, "input.md-search__input")
    assert focus_ring(page) != "none 0px"
    page.keyboard.type("保密")
    page.keyboard.press("End")  # Material searches on keyup
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/norms/**")

    # The language switch: its button, then the English link, by Tab and Enter.
    page.goto(site_url + "speeches/county-gov-office-2020/")
    tab_to(page, ".md-select__link[hreflang='en']")
    assert page.locator(".md-select__link[hreflang='en']").is_visible()
    assert focus_ring(page) != "none 0px"
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/speeches/county-gov-office-2020/")

    # A ¶ link: reached by Tab, with a visible ring, followed by Enter.
    page.goto(site_url + "speeches/county-gov-office-2020/")
    tab_to(page, "#p1 a.hb-para-link", limit=400)
    assert focus_ring(page).startswith("solid")
    page.keyboard.press("Enter")
    assert page.url.endswith("#p1")
    assert page.console_errors == []
