"""Builds: the real site is strict-clean and carries every speech line verbatim; fixture sites fail clearly."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO, make_fixture_site, run_mkdocs_build, seed_files, serve_pages
from handbook.ingest import Rules, clean
from lxml import html as lxml_html

RULES = Rules.load(REPO / "sources" / "ingest-rules.yml")
SPEECH_PAGES = {
    "000_d5175bd5635a341e.txt": "county-gov-party-day",
    "001_efc65934385781aa.txt": "city-office-directors-training",
    "002_85a4a743d5241472.txt": "county-gov-office-2020",
    "003_5a37d1547815d936.txt": "county-party-office-integrity",
    "004_9135a42bee387a85.txt": "county-office-directors-meeting",
}


def article(path: Path):
    return lxml_html.parse(str(path)).xpath("//article")[0]


def reader_text(element) -> str:
    """Text a reader sees in the element, without the ¶ paragraph link and the heading permalink."""
    clone = lxml_html.fromstring(lxml_html.tostring(element))
    for link in clone.xpath(".//a[contains(@class,'hb-para-link') or contains(@class,'headerlink')]"):
        link.drop_tree()
    return clone.text_content()


def paragraph_texts(page: Path) -> dict[str, str]:
    """pN -> the paragraph's text: a heading with its anchor takes the paragraph that follows it (same source line)."""
    texts = {}
    for element in article(page).xpath(".//*[starts-with(@id,'p')]"):
        anchor = element.get("id")
        if not anchor[1:].isdigit():
            continue
        text = reader_text(element)
        following = element.getnext()
        if element.tag.startswith("h") and following is not None and following.tag == "p" and not following.get("id"):
            text += reader_text(following)
        texts[anchor] = text
    return texts


@pytest.mark.parametrize("seed", seed_files(), ids=lambda p: p.name[:3])
def test_every_speech_line_is_on_the_built_page_verbatim(built_site: Path, seed: Path):
    speech = clean(seed.read_text(encoding="utf-8"), RULES, seed.name)
    page = built_site / "speeches" / SPEECH_PAGES[seed.name] / "index.html"
    texts = paragraph_texts(page)
    assert texts == {f"p{number}": line for number, line in enumerate(speech.lines, start=1)}
    if speech.title:
        assert reader_text(article(page).xpath(".//h1")[0]) == speech.title


def test_no_advertising_line_is_published(built_site: Path):
    dropped = [line.strip() for seed in seed_files() for _, line in clean(seed.read_text("utf-8"), RULES, seed.name).dropped]
    assert len(dropped) == 9
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = lxml_html.parse(str(page)).getroot().text_content()
        for line in dropped:
            assert line not in text, f"advertising line {line!r} published in {page}"
    for index in (built_site / "search" / "search_index.json", built_site / "en" / "search" / "search_index.json"):
        assert "会员群" not in index.read_text(encoding="utf-8")


def test_paragraph_anchors_are_the_same_across_two_builds(built_site: Path, tmp_path: Path):
    second = tmp_path / "second"
    assert run_mkdocs_build(REPO, second).returncode == 0
    for slug in SPEECH_PAGES.values():
        first_texts = paragraph_texts(built_site / "speeches" / slug / "index.html")
        assert first_texts == paragraph_texts(second / "speeches" / slug / "index.html")
        assert list(first_texts) == [f"p{n}" for n in range(1, len(first_texts) + 1)]


def test_language_switcher_lands_on_the_counterpart(built_site: Path):
    for zh_page in built_site.rglob("*.html"):
        relative = zh_page.relative_to(built_site)
        if relative.parts[0] in ("en", "assets", "search") or relative.name == "404.html":
            continue
        en_page = built_site / "en" / relative
        assert en_page.is_file(), f"no English counterpart for {relative}"
        for page, lang in ((zh_page, "en"), (en_page, "zh")):
            [link] = lxml_html.parse(str(page)).xpath(f"//a[@class='md-select__link'][@hreflang='{lang}']")
            target = (page.parent / link.get("href")).resolve()
            target = target / "index.html" if target.is_dir() else target
            expected = en_page if lang == "en" else zh_page
            assert target == expected.resolve(), f"{page}: switcher to {lang} goes to {link.get('href')}"


def test_speech_index_is_computed_from_the_pages(built_site: Path):
    rows = article(built_site / "speeches" / "index.html").xpath(".//table/tbody/tr")
    assert len(rows) == 5
    counted = {row.xpath("td[1]/a/@href")[0].strip("/"): row.xpath("td[5]")[0].text_content() for row in rows}
    for seed, slug in SPEECH_PAGES.items():
        lines = clean((seed_files()[0].parent / seed).read_text("utf-8"), RULES, seed).lines
        assert counted[slug] == str(len(lines))


def test_footer_carries_the_marking_and_the_version(built_site: Path):
    footer = lxml_html.parse(str(built_site / "index.html")).xpath("//div[@class='md-copyright']")[0].text_content()
    assert "内部资料" in footer and "版本" in footer
    english = lxml_html.parse(str(built_site / "en" / "index.html")).xpath("//div[@class='md-copyright']")[0]
    assert "Internal material" in english.text_content()


SPEECH = """---
title: 在测试会议上的讲话
source: test.txt
---

# 在测试会议上的讲话

<!-- speech:start -->

同志们：

要做好测试工作。

<!-- speech:end -->
"""


SPEECH_SOURCE = "同志们：\n要做好测试工作。\n"
ALL_NON_NORMATIVE = "t:\n  1: 称呼\n  2: 仅用于测试\n"
NORM = """---
title: 测试规范
---

# 测试规范

## 测试-01 做好测试 {{ #测试-01 }}

要做好测试工作。

适用：长期有效 · 县政府办公室

依据：{citation}
"""


def build_fixture(tmp_path: Path, pages: dict[str, str], non_normative: str = ALL_NON_NORMATIVE):
    project = make_fixture_site(tmp_path, pages, sources={"test.txt": SPEECH_SOURCE, "non-normative.yml": non_normative})
    return run_mkdocs_build(project, tmp_path / "site")


def test_fixture_site_with_a_valid_citation_builds_and_links_back(tmp_path: Path):
    norm = NORM.format(citation='[@t#p2 "做好测试工作"]')
    result = build_fixture(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "norms/test.md": norm})
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(tmp_path / "site" / "norms" / "test" / "index.html"))
    [link] = page.xpath("//a[@class='hb-cite']")
    assert (link.get("href"), link.text_content()) == ("../../speeches/t/#p2", "在测试会议上的讲话 ¶2")
    speech = lxml_html.parse(str(tmp_path / "site" / "speeches" / "t" / "index.html"))
    [backlink] = speech.xpath("//div[@class='hb-cited-by']/a")
    assert (unquote(backlink.get("href")), backlink.text) == ("../../norms/test/#测试-01", "测试-01")


@pytest.mark.parametrize(
    "citation, expected",
    [
        ('[@t#p2 "做好测试工作" "测试', "docs/norms/test.md:13: [citation] '[@t#p2"),
        ('[@t#p7 "做好测试工作"]', "docs/norms/test.md:13: [citation] citation [@t#p7 \"做好测试工作\"] names paragraph p7"),
        ('[@t#p2 "做好检查工作"]', "docs/norms/test.md:13: [citation] citation [@t#p2 \"做好检查工作\"]: \"做好检查工作\" is not in t#p2 verbatim"),
        ('[@x#p2 "做好测试工作"]', "docs/norms/test.md:13: [citation] citation [@x#p2 \"做好测试工作\"] names an unknown speech 'x'"),
    ],
    ids=["broken-syntax", "unknown-paragraph", "misquote", "unknown-speech"],
)
def test_fixture_site_bad_citation_fails_naming_file_and_line(tmp_path: Path, citation: str, expected: str):
    norm = NORM.format(citation=citation)
    result = build_fixture(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "norms/test.md": norm})
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr


def test_fixture_site_clause_without_a_scope_fails_naming_file_and_line(tmp_path: Path):
    norm = NORM.format(citation='[@t#p2 "做好测试工作"]').replace("适用：长期有效 · 县政府办公室\n\n", "")
    result = build_fixture(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "norms/test.md": norm})
    assert result.returncode != 0
    assert "docs/norms/test.md:7: [scope] clause 测试-01 has no scope line" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    unknown = NORM.format(citation='[@t#p2 "做好测试工作"]').replace("县政府办公室", "县长办公室")
    result = build_fixture(tmp_path / "unknown", {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "norms/test.md": unknown})
    assert result.returncode != 0
    assert "docs/norms/test.md:11: [scope] the scope of 测试-01 names '县长办公室'" in result.stderr, result.stderr


def test_fixture_site_uncovered_paragraph_is_a_warning(tmp_path: Path):
    result = build_fixture(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH}, non_normative="t:\n  1: 称呼\n")
    assert result.returncode != 0
    assert "docs/speeches/t.md:12: paragraph p2 is neither cited by a norm clause nor listed in sources/non-normative.yml" in result.stderr


def test_fixture_site_links_to_paragraph_anchors_are_validated(tmp_path: Path):
    good = build_fixture(tmp_path / "good", {"index.md": "# 首页\n\n[第2段](speeches/t.md#p2)\n", "speeches/t.md": SPEECH})
    assert good.returncode == 0, good.stderr
    bad = build_fixture(tmp_path / "bad", {"index.md": "# 首页\n\n[第9段](speeches/t.md#p9)\n", "speeches/t.md": SPEECH})
    assert bad.returncode != 0
    assert "'speeches/t.md' does not contain an anchor '#p9'" in bad.stderr


@pytest.mark.parametrize(
    "page, expected",
    [
        (SPEECH.replace("source: test.txt", "source: [test.txt"), "docs/speeches/t.md:3: front matter is not valid YAML"),
        (SPEECH.replace("同志们：\n\n要做好测试工作。\n", ""), "docs/speeches/t.md:8: [speech] the speech is empty"),
        (SPEECH.replace("# 在测试会议上的讲话", "# 在测试会议上的讲话\n\n导语\n{: #p1 }"), "docs/speeches/t.md: [anchor] the anchor #p1 is defined more than once"),
        (SPEECH.replace("<!-- speech:start -->\n", ""), "docs/speeches/t.md:6: [speech] speech page without the '<!-- speech:start -->' marker"),
        (SPEECH.replace("test.txt", "gone.txt"), "docs/speeches/t.md:3: source file sources/gone.txt does not exist"),
    ],
    ids=["broken-front-matter", "empty-speech", "duplicate-anchor", "no-marker", "missing-source"],
)
def test_fixture_site_malformed_speech_fails_naming_file_and_line(tmp_path: Path, page: str, expected: str):
    result = build_fixture(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": page})
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr


def test_a_rebuild_in_the_same_process_shows_the_edits(tmp_path: Path, monkeypatch):
    """`mkdocs serve` rebuilds in one process: no cache of the hooks may serve the previous build's pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    norm = NORM.format(citation='[@t#p2 "做好测试工作"]')
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "norms/test.md": norm},
                                sources={"test.txt": SPEECH_SOURCE, "non-normative.yml": ALL_NON_NORMATIVE})

    def build_once() -> tuple[str, str]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        site = tmp_path / "site"
        [cite] = lxml_html.parse(str(site / "norms" / "test" / "index.html")).xpath("//a[@class='hb-cite']")
        [cited_by] = lxml_html.parse(str(site / "speeches" / "t" / "index.html")).xpath("//div[@class='hb-cited-by']/a")
        return cite.get("title"), cited_by.text

    assert build_once() == ("要做好测试工作。", "测试-01")
    (project / "docs" / "speeches" / "t.md").write_text(SPEECH.replace("要做好测试工作。", "要认真做好测试工作。"), "utf-8")
    (project / "docs" / "norms" / "test.md").write_text(norm.replace("测试-01", "测试-02"), "utf-8")
    assert build_once() == ("要认真做好测试工作。", "测试-02")


def test_a_build_aborted_midway_does_not_spoil_the_next_one(tmp_path: Path, monkeypatch, caplog):
    """`mkdocs serve` keeps the hooks loaded: an English build that stops with an error leaves the per-build
    bookkeeping of the hooks half done, and the next build must start afresh: the search index is
    rewritten and the link check reports the whole site, as both do once the outermost build ends."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "index.en.md": "---\n密级: 秘密\n---\n\n# Home\n"})
    site = tmp_path / "site"

    def build_once() -> None:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)

    with pytest.raises(Abort):
        build_once()  # inside the Chinese build's on_post_build, where static-i18n builds /en/
    (project / "docs" / "index.en.md").write_text("# Home\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_once()
    assert "[links] whole site:" in caplog.text
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "handbook" in index["config"]  # written by hooks/search.py once the outermost build ends


def test_a_wrong_setting_stops_the_build_naming_the_allowed_values(tmp_path: Path):
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n"})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("discovery: info", "discovery: loud", 1), encoding="utf-8")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "extra.handbook.principles.discovery is 'loud'; allowed: info, warning" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site" / "index.html").exists()


# A speech in progress: `status: draft` in sources/speeches.yml (hooks/handbook/drafts.py).
DRAFT_SPEECH = SPEECH.replace("要做好测试工作。\n", "要做好测试工作。\n\n要改进测试方法。\n\n要总结测试经验。\n")
DRAFT_PAGES = {"index.md": "# 首页\n", "speeches/t.md": DRAFT_SPEECH, "coverage.md": "# 来源覆盖\n\n<!-- coverage -->\n",
               "coverage.en.md": "# Source coverage\n\n<!-- coverage -->\n"}


def draft_site(tmp_path: Path, status: str = "  status: draft\n", build: bool = True):
    """The fixture speech t with four paragraphs: p1 and p2 listed as non-normative, p3 and p4 neither; its
    English page a stand-in, which the real site's settings make an error (pending_translations: error)."""
    project = make_fixture_site(tmp_path, DRAFT_PAGES, sources={
        "test.txt": SPEECH_SOURCE, "non-normative.yml": "t:\n  1: 称呼\n  2: 测试\n",
        "speeches.yml": f"test.txt:\n  slug: t\n  short_title: 测试讲话\n{status}"})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("pending_translations: info", "pending_translations: error"),
                      encoding="utf-8")
    return project, run_mkdocs_build(project, tmp_path / "site") if build else None


def test_a_draft_speech_builds_with_its_notice_and_its_paragraphs_to_do(tmp_path: Path):
    project, result = draft_site(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "neither cited by a norm clause" not in result.stderr
    assert "[parity] 1 speeches in progress await their English translation: docs/speeches/t.md" in result.stderr
    assert ("docs/speeches/t.md:14: [draft] in progress (status: draft in sources/speeches.yml): 2 of 4 paragraphs "
            "to do, neither cited nor listed in sources/non-normative.yml: p3–p4") in result.stderr
    site = tmp_path / "site"
    for page, title, text in ((site / "speeches" / "t" / "index.html", "整理中", "本篇讲话正在整理"),
                              (site / "en" / "speeches" / "t" / "index.html", "In progress", "This speech is still")):
        [notice] = article(page).xpath(".//div[contains(@class,'hb-draft')]")
        assert notice.getprevious().tag == "h1"  # right under the title
        assert notice.xpath("p[@class='admonition-title']")[0].text == title
        assert notice.xpath("p")[1].text.startswith(text)
    rows = article(site / "coverage" / "index.html").xpath(".//table[2]/tbody/tr")
    assert [[cell.text_content() for cell in row.xpath("td")] for row in rows] == [
        ["¶1", "非规范性", "称呼"], ["¶2", "非规范性", "测试"], ["¶3", "待处理", ""], ["¶4", "待处理", ""]]
    summary = article(site / "coverage" / "index.html").xpath(".//table[1]/tbody/tr[1]/td[1]")[0].text_content()
    assert summary == "在测试会议上的讲话（整理中）"
    # The English edition: no Chinese interface text on the stand-in.
    english = article(site / "en" / "speeches" / "t" / "index.html").text_content()
    assert "整理中" not in english


def test_removing_the_draft_status_turns_the_coverage_rule_back_on(tmp_path: Path):
    _, result = draft_site(tmp_path, status="")
    assert result.returncode != 0
    assert "docs/speeches/t.md:14: paragraph p3 is neither cited by a norm clause" in result.stderr
    assert "[parity] 1 pages await their English translation (first: docs/speeches/t.md)" in result.stderr
    assert "in progress" not in result.stderr
    assert not list((tmp_path / "site").glob("speeches/t/index.html")) or "hb-draft" not in (
        tmp_path / "site" / "speeches" / "t" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_status_fails_the_build_naming_the_line(tmp_path: Path):
    _, result = draft_site(tmp_path, status="  status: drafted\n")
    assert result.returncode != 0
    assert "sources/speeches.yml:1: [draft] test.txt: status 'drafted' is not known" in result.stderr


def test_a_draft_speech_is_served_with_its_notice(tmp_path: Path):
    """`make serve` (mkdocs serve --strict) starts on a site with a speech in progress and shows its notice."""
    project, _ = draft_site(tmp_path, build=False)
    pages, output = serve_pages(project, ("speeches/t/", "en/speeches/t/"))
    assert "hb-draft" in pages["speeches/t/"] and "整理中" in pages["speeches/t/"]
    assert "hb-draft" in pages["en/speeches/t/"] and "In progress" in pages["en/speeches/t/"]
    assert "ERROR" not in output and "WARNING" not in output, output[-3000:]


def test_a_bad_office_lexicon_fails_the_build_naming_its_line(tmp_path: Path):
    """sources/office-lexicon.yml is read into the search index: a term the search cannot use stops a strict build."""
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n"},
                                sources={"office-lexicon.yml": "zh:\n  人事: [请假]\n  印章: [公章, 章]\nen: {}\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "sources/office-lexicon.yml:3: [lexicon] zh group 印章: '章' is not a term of two characters" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_questions_for_a_clause_that_does_not_exist_fail_the_build_naming_the_line(tmp_path: Path):
    """sources/search-questions.yml names clauses by ID: one that is no clause (a typo, a clause removed) stops a
    strict build at its line, with the fix."""
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n"},
                                sources={"search-questions.yml": "# 说明\n办文-99:\n  zh: [公文怎么写？]\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "sources/search-questions.yml:2: [search-questions] 办文-99 is not the ID of a clause of the handbook" in result.stderr
    assert "write the clause's ID as its page shows it" in result.stderr and "Traceback" not in result.stderr
