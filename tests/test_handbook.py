"""The real handbook: clauses, citations, coverage, onboarding, tags — as built."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from conftest import REPO
from handbook.grammar import scan
from lxml import html as lxml_html
from mkdocs.utils.meta import get_data
from test_questions import clauses_by_language


def parse(path: Path):
    return lxml_html.parse(str(path)).getroot()


def zh_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("en", "assets", "search")]


def resolve(page: Path, href: str) -> tuple[Path, str]:
    path, _, fragment = href.partition("#")
    target = (page.parent / unquote(path)).resolve() if path else page
    return (target / "index.html" if target.is_dir() else target), unquote(fragment)


def test_every_clause_has_a_visible_id_anchor_and_a_working_citation(built_site: Path):
    clause_count = 0
    for page in (built_site / "norms").glob("*/index.html"):
        root = parse(page)
        for heading in root.xpath("//article//*[span[@class='hb-clause-id']]"):
            clause_count += 1
            clause_id = heading.xpath("span[@class='hb-clause-id']")[0].text
            assert heading.get("id") == clause_id and re.fullmatch(r"[\u4e00-\u9fff]{2}-\d{2}", clause_id)
            section = heading.itersiblings()
            citations = []
            for sibling in section:
                if sibling.tag in ("h2", "h3"):
                    break
                citations += sibling.xpath(".//a[@class='hb-cite']")
            assert citations, f"{clause_id} in {page} has no citation"
            for link in citations:
                target, fragment = resolve(page, link.get("href"))
                assert target.is_file() and parse(target).xpath(f"//*[@id='{fragment}']"), link.get("href")
                assert link.get("title"), "the citation's tooltip preview is missing"
    assert clause_count >= 100


def test_speech_paragraphs_link_back_to_the_clauses_that_cite_them(built_site: Path):
    backlinks = 0
    for page in (built_site / "speeches").glob("*/index.html"):
        for link in parse(page).xpath("//div[@class='hb-cited-by']/a"):
            backlinks += 1
            target, fragment = resolve(page, link.get("href"))
            assert target.is_file(), f"{page}: backlink {link.get('href')} leads nowhere"
            if fragment:
                assert parse(target).xpath(f"//*[@id='{fragment}']"), f"{page}: backlink {link.get('href')} leads nowhere"
    assert backlinks >= 100


def test_coverage_page_shows_every_requirement_paragraph_cited(built_site: Path):
    root = parse(built_site / "coverage" / "index.html")
    total = root.xpath("//article//table[1]/tbody/tr[last()]/td")
    cells = [cell.text_content() for cell in total]
    assert cells[0] == "合计"
    paragraphs, cited, non_normative, uncovered = map(int, cells[1:5])
    assert paragraphs == 80 and uncovered == 0
    assert cited / (paragraphs - non_normative) >= 0.95
    assert cells[5] == f"{cited / (paragraphs - non_normative):.0%}"


def test_onboarding_has_a_timed_reading_path_a_checklist_and_a_self_test(built_site: Path):
    root = parse(built_site / "onboarding" / "index.html")
    rows = root.xpath("//article//table/tbody/tr")
    assert len(rows) >= 9
    for row in rows[:-1]:
        assert re.fullmatch(r"\d+ 分钟", row.xpath("td[4]")[0].text_content())
        target, _ = resolve(built_site / "onboarding" / "index.html", row.xpath("td[2]/a/@href")[0])
        assert target.is_file()
    assert len(root.xpath("//article//input[@type='checkbox']")) >= 5
    questions = root.xpath("//article//details[contains(@class,'question')]")
    assert len(questions) >= 20
    for question in questions:
        links = [href for href in question.xpath(".//a/@href") if "norms/" in href]
        assert links, f"self-test answer without a clause link: {question.text_content()[:40]}"
        for href in links:
            target, fragment = resolve(built_site / "onboarding" / "index.html", href)
            assert parse(target).xpath(f"//*[@id='{fragment}']"), href


def test_every_page_has_tags_and_a_last_updated_date(built_site: Path):
    for source in (REPO / "docs").rglob("*.md"):
        _, meta = get_data(source.read_text(encoding="utf-8"))
        assert meta.get("tags"), f"{source} has no tags"
    for page in zh_pages(built_site):
        if page.parent == built_site / "tags" or page == built_site / "404.html":
            continue
        root = parse(page)
        assert root.xpath("//article//*[contains(@class,'md-tag')]"), f"{page} shows no tags"
        assert root.xpath("//*[contains(@class,'git-revision-date-localized-plugin')]"), f"{page} shows no date"


def test_principle_pages_carry_term_variants_and_summary():
    pages = [p for p in (REPO / "docs" / "principles").glob("*.md") if p.name not in ("index.md", "matrix.md") and ".en." not in p.name]
    assert len(pages) >= 10
    speech_text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "sources").glob("*.txt"))
    for page in pages:
        _, meta = get_data(page.read_text(encoding="utf-8"))
        assert meta.get("term") and meta.get("summary") and len(meta["summary"]) <= 40, page
        for variant in [meta["term"], *(meta.get("variants") or [])]:
            assert variant in speech_text, f"{page}: '{variant}' does not occur in any speech"


def test_review_every_clause_has_at_least_two_common_questions():
    """The review list: clauses whose 常见问法 / Common questions line holds fewer than two questions."""

    short = []
    for page in sorted((REPO / "docs" / "norms").glob("*.md")):
        for clause in scan(page.read_text(encoding="utf-8"), f"norms/{page.name}").clauses:
            if len(clause.questions) < 2:
                short.append(f"docs/norms/{page.name}:{clause.line}: {clause.id} has {len(clause.questions)}")
    assert not short, "clauses with fewer than two common questions:\n" + "\n".join(short)


def test_common_questions_show_under_their_clause_and_on_the_questions_page(built_site: Path):
    norms = parse(built_site / "norms" / "meetings" / "index.html")
    [questions] = norms.xpath("//h3[@id='办会-02']/following-sibling::p[@class='hb-questions'][1]")
    assert questions.text_content().startswith("常见问法：")
    faq = parse(built_site / "faq" / "index.html")
    links = {unquote(href) for href in faq.xpath("//article//li/a/@href")}
    assert {link.rpartition("#")[2] for link in links if "/norms/" in link} == set(clauses_by_language()["zh"])
    english = parse(built_site / "en" / "faq" / "index.html")
    assert "See" in english.xpath("string(//article//li[1])")
