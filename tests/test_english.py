"""The English edition: fixed renderings of the recurring terms, no stray Chinese, the switcher on every kind of page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from handbook.grammar import QUESTIONS
from lxml import html as lxml_html
from mkdocs.utils.meta import get_data

_GLOSSARY_FILE = yaml.safe_load((REPO / "sources" / "glossary-en.yml").read_text(encoding="utf-8"))
NOT_THE_TERM: list[str] = _GLOSSARY_FILE.pop("not_the_term", [])
GLOSSARY: dict[str, str] = _GLOSSARY_FILE
CJK = re.compile(r"[\u3400-\u9fff]+")
CLAUSE_ID = re.compile(r"[\u4e00-\u9fff]{2}-\d{2}")


def translated_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for english in sorted((REPO / "docs").rglob("*.en.md")):
        _, meta = get_data(english.read_text(encoding="utf-8"))
        if meta.get("translation") != "pending":
            pairs.append((english.with_name(english.name[: -len(".en.md")] + ".md"), english))
    return pairs


def glossary_terms_in(chinese: str) -> list[str]:
    """Glossary terms used in a text, longest first, a longer term hiding the shorter ones inside it.

    Clause IDs (办文-03) are identifiers, not uses of a term; nor are words like 交办事项.
    """
    chinese = CLAUSE_ID.sub("", chinese)
    for word in NOT_THE_TERM:
        chinese = chinese.replace(word, "\0")
    found = []
    for term in sorted(GLOSSARY, key=len, reverse=True):
        if term in chinese:
            found.append(term)
            chinese = chinese.replace(term, "\0")
    return found


def test_glossary_lookup_prefers_the_longer_term():
    assert glossary_terms_in("把要求贯穿于办文办会办事的全过程，办文要细") == ["办文办会办事", "办文"]
    assert glossary_terms_in("见办文-03；交办事项要及时") == []


@pytest.mark.parametrize("pair", translated_pairs(), ids=lambda pair: pair[1].relative_to(REPO / "docs").as_posix())
def test_every_glossary_term_keeps_its_fixed_rendering(pair):
    chinese, english = pair
    zh_body, _ = get_data(chinese.read_text(encoding="utf-8"))
    # Common questions are each language's own everyday wording, not translations of each other.
    zh_body = "\n".join(line for line in zh_body.split("\n") if not QUESTIONS.match(line))
    en_text = english.read_text(encoding="utf-8").lower()
    missing = [f"{term} → {GLOSSARY[term]}" for term in glossary_terms_in(zh_body) if GLOSSARY[term].lower() not in en_text]
    assert missing == [], f"{english.name} lacks the fixed renderings: {missing}"


def test_most_pages_are_translated():
    pending = [p for p in (REPO / "docs").rglob("*.en.md") if "translation: pending" in p.read_text(encoding="utf-8")]
    assert pending == [], f"English pages still pending: {[p.relative_to(REPO).as_posix() for p in pending]}"


def test_english_pages_show_chinese_only_beside_a_translation_or_as_the_original(built_site: Path):
    for page in (built_site / "en").rglob("index.html"):
        if page.parent.name == "search":
            continue
        article = lxml_html.parse(str(page)).getroot().xpath("//article")
        if not article:
            continue
        for element in article[0].xpath(".//a[@class='hb-original'] | .//span[@class='hb-clause-id']"):
            element.drop_tree()
        for line in article[0].text_content().split("\n"):
            if line.strip().startswith("Chinese:"):
                continue  # a principle's Chinese term beside its English rendering
            line = CLAUSE_ID.sub("", line).replace("中文原文", "").replace("中文", "")  # the original, and the language menu
            for run in CJK.finditer(line):
                before, after = line[: run.start()], line[run.end():]
                beside = before.rstrip().endswith(("(", "（", "“", "‘")) or after.lstrip().startswith((")", "）"))
                assert beside, f"{page.relative_to(built_site)}: Chinese '{run.group(0)}' stands alone in: {line.strip()[:120]}"


KINDS = ["", "norms/documents/", "principles/shen-zai-bing-wei/", "speeches/county-gov-office-2020/", "onboarding/"]


@pytest.mark.parametrize("path", KINDS, ids=["home", "norm", "principle", "speech", "onboarding"])
def test_language_switcher_lands_on_the_counterpart_both_ways(browser, site_url, path):
    page = browser.new_page()
    page.goto(site_url + path)
    chinese_title = page.locator("article h1").inner_text()
    page.locator(".md-header .md-select").first.hover()
    page.locator(".md-select__link[hreflang='en']").click()
    page.wait_for_url(site_url + "en/" + path)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not CJK.search(page.locator("article h1").inner_text().replace("\u00b6", ""))
    page.locator(".md-header .md-select").first.hover()
    page.locator(".md-select__link[hreflang='zh']").click()
    page.wait_for_url(site_url + path)
    assert page.locator("article h1").inner_text() == chinese_title
    page.close()
