"""The handbook as the intranet serves it: Debian's nginx with the shipped deploy/nginx/handbook.conf,
started here on 127.0.0.1, serving a release through DEST/live."""

from __future__ import annotations

import gzip
import http.client
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from lxml import html as lxml_html
from nginx_server import nginx_serving

sys.path.insert(0, str(REPO / "tools"))
from publish import REQUIRED, publish, rollback  # noqa: E402

SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
HASHED_ASSET_CACHE = "public, max-age=31536000, immutable"


def get(base_url: str, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request as it leaves nginx: no redirect followed, no decompression."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def assert_security_headers(headers: http.client.HTTPMessage, path: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, f"{path}: {name} is {headers[name]!r}"
    directives = {}
    for directive in headers["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    assert directives["frame-ancestors"] == ["'none'"], path
    for name in ("default-src", "script-src", "style-src", "connect-src", "worker-src", "font-src", "img-src"):
        allowed = {"'self'", "data:"} if name == "img-src" else {"'self'"}
        assert directives[name] and set(directives[name]) <= allowed, f"{path}: {name} {directives[name]}"
    assert headers["Server"] == "nginx", f"{path}: the server must not name its version"


@pytest.fixture(scope="module")
def served_release(release_dir: Path, tmp_path_factory):
    """The real release, served by nginx from DEST/live."""
    dest = tmp_path_factory.mktemp("dest")
    (dest / "live").symlink_to(release_dir)
    with nginx_serving(dest, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def test_pages_search_index_and_assets_are_served_with_the_configured_headers(served_release, release_dir):
    bundle = next(release_dir.glob("assets/javascripts/bundle.*.min.js")).relative_to(release_dir)
    expected = {  # path: (content type, cache policy, text the body holds)
        "/": ("text/html; charset=utf-8", "no-cache", "办公室工作规范手册"),
        "/en/": ("text/html; charset=utf-8", "no-cache", "Office Work Handbook"),
        "/norms/documents/": ("text/html; charset=utf-8", "no-cache", "办文"),
        "/search/search_index.json": ("application/json; charset=utf-8", "no-cache", '"docs"'),
        "/assets/handbook.css": ("text/css; charset=utf-8", "no-cache", ".hb-para-link"),
        f"/{bundle}": ("application/javascript; charset=utf-8", HASHED_ASSET_CACHE, "__md_get"),
    }
    for path, (content_type, cache, text) in expected.items():
        status, headers, body = get(served_release, path, **{"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers["Content-Type"] == content_type, path
        assert headers["Cache-Control"] == cache, path
        assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"], path
        assert text in gzip.decompress(body).decode("utf-8"), path
        assert_security_headers(headers, path)
    # Each edition's own index, the English one under /en/, where the English pages' base points Material.
    for path, language, text in (("/search/search_index.json", "zh", "保密"), ("/en/search/search_index.json", "en", "secrecy")):
        index = json.loads(gzip.decompress(get(served_release, path, **{"Accept-Encoding": "gzip"})[2]))
        assert index["config"]["handbook"]["language"] == language and any(text in doc["text"] for doc in index["docs"])


def test_downloads_are_served_with_the_configured_headers(served_release, release_dir):
    downloads = sorted((release_dir / "downloads").glob("*.*")) + sorted((release_dir / "en" / "downloads").glob("*.*"))
    assert len(downloads) == 5, downloads  # two PDFs per language and the offline zip
    for download in downloads:
        path = "/" + download.relative_to(release_dir).as_posix()
        status, headers, body = get(served_release, path)
        assert status == 200 and body == download.read_bytes(), path
        assert headers["Content-Type"] in ("application/pdf", "application/zip"), path
        assert_security_headers(headers, path)


def test_a_missing_page_gets_the_sites_404_page_in_its_language(served_release):
    for path, language, marking in (("/no/such/page/", "zh", "内部资料"), ("/en/no/such/page/", "en", "Internal material")):
        status, headers, body = get(served_release, path)
        assert status == 404, path
        root = lxml_html.fromstring(body.decode("utf-8"))
        assert root.get("lang") == language, path
        assert marking in root.xpath("string(//*[contains(@class, 'md-copyright')])"), path
        assert root.xpath("//a[@hreflang='zh']/@href") == ["/"] and root.xpath("//a[@hreflang='en']/@href") == ["/en/"]
        assert_security_headers(headers, path)


def test_a_directory_without_its_slash_is_redirected_relatively(served_release):
    status, headers, _ = get(served_release, "/norms")
    assert status == 301 and headers["Location"] == "/norms/"


def tiny_release(version: str):
    """A release builder for publish(): what the server needs, plus files it must never serve."""
    def build(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
        files = {
            **{name: name for name in REQUIRED},
            "index.html": f"<h1>{version}</h1>", "404.html": "<h1>404</h1>", "en/index.html": "<h1>en</h1>",
            "en/404.html": "<h1>en 404</h1>", "search/search_index.json": "{}",
            "downloads/handbook-zh.pdf": "%PDF-1.4\n%%EOF\n",
            "assets/javascripts/bundle.0123abcd.min.js": "",
            # Never served:
            ".hidden": "secret", ".git/config": "secret", "notes.md": "secret", "mkdocs.yml": "secret",
            "hooks/hook.py": "secret", "index.html~": "secret", "assets/javascripts/bundle.0123abcd.min.js.map": "secret",
            "listing/file.txt": "secret",
        }
        for name, text in files.items():
            (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / name).write_text(text, encoding="utf-8")
    return build


def test_publish_and_rollback_switch_what_nginx_serves_and_nothing_else_is_served(tmp_path: Path):
    dest = tmp_path / "dest"
    publish(dest, build=tiny_release("v1"))
    with nginx_serving(dest, tmp_path / "nginx") as url:
        assert get(url, "/")[2] == b"<h1>v1</h1>"
        publish(dest, build=tiny_release("v2"))
        assert get(url, "/")[2] == b"<h1>v2</h1>"  # no reload: nginx follows DEST/live on every request
        rollback(dest)
        assert get(url, "/")[2] == b"<h1>v1</h1>"

        status, headers, body = get(url, "/downloads/handbook-zh.pdf")
        assert (status, headers["Content-Type"], headers["Cache-Control"]) == (200, "application/pdf", "no-cache")
        assert_security_headers(headers, "/downloads/handbook-zh.pdf")
        assert get(url, "/assets/javascripts/bundle.0123abcd.min.js")[1]["Cache-Control"] == HASHED_ASSET_CACHE
        for path in ("/.hidden", "/.git/config", "/notes.md", "/mkdocs.yml", "/hooks/hook.py", "/index.html~",
                     "/assets/javascripts/bundle.0123abcd.min.js.map", "/releases/", "/live/", "/.lock"):
            status, headers, body = get(url, path)
            assert (status, body) == (404, b"<h1>404</h1>"), path
            assert_security_headers(headers, path)
        status, _, body = get(url, "/listing/")
        assert status == 403 and b"file.txt" not in body  # no directory listing


SEARCHES = [("", "保密"), ("", "事不过夜"), ("", "办文办会办事"), ("en/", "supervision")]


def test_a_browser_crawl_and_searches_stay_on_this_server_without_errors(browser, served_release, release_dir):
    """Every page of both languages and a few searches, in Chromium under the served CSP: requests to no
    other host, no console error (a CSP refusal is one), no script error."""
    pages = sorted(path.relative_to(release_dir).as_posix() for path in release_dir.rglob("*.html")
                   if path.name != "404.html")
    assert len(pages) > 150 and "en/index.html" in pages
    context = browser.new_context()
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    try:
        for path in pages:
            response = page.goto(served_release + path.removesuffix("index.html"))
            assert response.status == 200, path
        for prefix, query in SEARCHES:
            page.goto(served_release + prefix)
            page.keyboard.press("/")  # Material's shortcut to the search box
            page.fill("input.md-search__input", query)
            page.keyboard.press("End")  # Material searches on keyup
            page.wait_for_selector(".md-search-result__item", timeout=10000)
        assert hosts == {"127.0.0.1"}, f"requests left the server: {hosts}"
        assert errors == [], errors[:10]

        # The policy is in force: a script injected into the page is refused.
        with pytest.raises(pytest.importorskip("playwright.sync_api").Error, match="Content Security Policy"):
            page.add_script_tag(content="window.injected = true")
        assert page.evaluate("window.injected") is None
    finally:
        context.close()


def test_the_404_page_works_in_the_browser(browser, served_release):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(served_release + "deep/missing/page/")
        assert response.status == 404
        assert page.locator(".md-copyright").inner_text().startswith("内部资料")
        # Its stylesheet and script load from the site root however deep the missing path is.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        page.locator(".md-header .md-select").first.hover()
        page.locator(".md-select__link[hreflang='en']").click()
        page.wait_for_url(served_release + "en/")
        # Chromium reports the missing page's own 404 status as a console error; nothing else may appear.
        assert errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    finally:
        context.close()


@pytest.fixture(scope="module")
def served_site(built_site: Path, tmp_path_factory):
    """The strict build of the real site served by nginx with the shipped file; (base URL, nginx's work folder)."""
    dest = tmp_path_factory.mktemp("dest-site")
    (dest / "live").symlink_to(built_site)
    work = tmp_path_factory.mktemp("nginx-site")
    with nginx_serving(dest, work) as url:
        yield url, work


def test_a_not_answered_question_reaches_make_gaps_through_nginx_masked(browser, served_site, built_site):
    """A reader's question that no clause answers, sent with 没有找到答案 from the page under the served CSP: nginx
    answers 204 and logs it to its own log (not the access log); `make gaps` lists it by count, masked."""
    url, work = served_site
    question = "我的手机13812345678丢了能养宠物吗"
    status, headers, body = get(url, "/not-answered?lang=zh&q=%E5%8A%9E%E5%85%AC%E5%AE%A4%E8%83%BD%E5%85%BB%E5%AE%A0%E7%89%A9%E5%90%97")
    assert (status, body) == (204, b"")
    assert_security_headers(headers, "/not-answered")

    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        page.goto(url)
        page.keyboard.press("/")
        page.fill("input.md-search__input", question)
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__list[data-hb-answer='none']", timeout=10000)
        with page.expect_response(lambda response: "/not-answered?" in response.url) as sent:
            page.get_by_role("button", name="没有找到答案").click()
        assert sent.value.status == 204
        assert page.locator(".hb-no-answer__sent").inner_text() == "已转给手册编辑，谢谢"
        # From an English page (whose base is the English root, for its own index) the question goes to the same
        # path at the site's root.
        page.goto(url + "en/norms/")
        page.keyboard.press("/")
        page.fill("input.md-search__input", "how do I apply for annual leave")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__list[data-hb-answer='none']", timeout=10000)
        with page.expect_response(lambda response: "/not-answered?" in response.url) as sent_en:
            page.get_by_role("button", name="Not answered").click()
        assert sent_en.value.status == 204 and urlsplit(sent_en.value.url).path == "/not-answered"
        assert errors == []
    finally:
        context.close()
    assert [r for r in requests if "not-answered" in r] == [sent.value.url, sent_en.value.url]  # each once
    assert all(urlsplit(r).netloc == urlsplit(url).netloc for r in requests)

    log = (work / "gaps.log").read_text(encoding="utf-8")
    assert len(log.splitlines()) == 3 and "13812345678" in log  # the log holds what was typed, on the server only
    assert "not-answered" not in (work / "access.log").read_text(encoding="utf-8")
    # `make gaps` without its setup step (it would set up Debian packages and the virtualenv first).
    # With SITE, each line says what the served site answers the question with now.
    listed = subprocess.run(["make", "--no-print-directory", "-s", "-o", "setup", "gaps", f"LOG={work / 'gaps.log'}",
                             f"SITE={built_site}",
                             f"BIN={Path(sys.executable).parent}"], cwd=REPO, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "13812345678" not in listed.stdout
    assert "    1  zh  我的手机***********丢了能养宠物吗" in listed.stdout, listed.stdout
    assert "    1  zh  办公室能养宠物吗" in listed.stdout, listed.stdout
    assert "    1  en  how do I apply for annual leave" in listed.stdout and "→ 后勤" not in listed.stdout, listed.stdout
    assert listed.stdout.count("→ none") == 3, listed.stdout
