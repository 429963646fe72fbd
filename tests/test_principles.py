"""Cross-linking of the recurring principles: the matcher without mkdocs, a fixture site, the real site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import make_fixture_site, run_mkdocs_build
from handbook.html import add_term_links, parse_fragment, serialize_fragment
from handbook.principles import Matcher, Term, alternation, discover, fold, form_pattern
from lxml import html as lxml_html

SHEN = Term("principles/shen.md", "身在兵位、胸为帅谋", ("身在兵位，胸为帅谋",), "站位 <高> & \"远\"", "身在兵位")
WU = Term("principles/wu.md", "五个坚持", (), "五项要求", "五个坚持")
JIAN = Term("principles/jian.md", "坚持", (), "坚持", "坚持")
SHI = Term("principles/shi.md", "事不过夜", (), "当天的事当天办", "事不过夜")


def found(text: str, *terms: Term) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.term.term) for m in Matcher(list(terms)).find(text)]


@pytest.mark.parametrize(
    "text",
    ["要身在兵位、胸为帅谋。", "要身在兵位，胸为帅谋。", "要“身在兵位，胸为帅谋”。", "要身在兵位,胸为帅谋。",
     "要身在兵位；胸为帅谋。", "要身在兵位 胸为帅谋。", "要身在兵位胸为帅谋。", "要身在兵位：胸为帅谋。"],
)
def test_punctuation_and_quote_variants_match(text):
    assert [term for _, term in found(text, SHEN)] == ["身在兵位、胸为帅谋"]
    assert found(text, SHEN)[0][0].startswith("身在兵位") and found(text, SHEN)[0][0].endswith("胸为帅谋")


def test_full_width_and_half_width_are_the_same():
    term = Term("p.md", "两个维护", ("ABC",), "", "")
    assert found("做到两个维护与ＡＢＣ", term) == [("两个维护", "两个维护"), ("ＡＢＣ", "两个维护")]
    assert fold("ＡＢＣ，") == "ABC,"


def test_longest_match_wins_where_terms_overlap():
    assert found("践行五个坚持，坚持到底", JIAN, WU) == [("五个坚持", "五个坚持"), ("坚持", "坚持")]


def test_forms_sharing_their_opening_match_as_when_tried_one_by_one():
    forms = ["the Four Functions", "keeping faith", "the Five Musts", "nothing but", "the Four", "an idea", "thee", "keep", "no", "a"]
    grouped = re.compile(alternation(forms))
    one_by_one = re.compile("|".join(form_pattern(form) for form in forms))
    text = "keeping faith with the Four, the Four Functions, the Five  Musts; thee, nothing but an idea and a keep, no"
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in one_by_one.finditer(text)]
    assert [text[slice(*m.span())] for m in grouped.finditer(text)][:4] == ["keeping faith", "the Four", "the Four Functions", "the Five  Musts"]
    assert grouped.pattern.count("the") < one_by_one.pattern.count("the")  # "the" is tried once for its forms


def test_no_match_inside_other_words_of_a_different_term():
    assert found("身在兵位，心在别处", SHEN) == []


def link(html: str, *terms: Term, own: str | None = None, policy: str = "first-in-section") -> str:
    matcher = Matcher(list(terms))
    root = parse_fragment(html)
    add_term_links(root, matcher, lambda term: None if term.src_uri == own else f"../{term.src_uri[:-3]}/", policy)
    return serialize_fragment(root)


def test_first_occurrence_per_section_is_linked_with_an_escaped_tooltip():
    html = link("<h2>一</h2><p>事不过夜，再说事不过夜。</p><h2>二</h2><p>又是事不过夜。身在兵位、胸为帅谋</p>", SHI, SHEN)
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    links = root.xpath("//a[@class='hb-principle']")
    assert [(a.text, a.getparent().tag) for a in links] == [("事不过夜", "p"), ("事不过夜", "p"), ("身在兵位、胸为帅谋", "p")]
    assert links[2].get("title") == "站位 <高> & \"远\""
    assert "<高>" not in html and "&lt;高&gt; &amp;" in html  # escaped in the attribute, not markup
    assert "，再说事不过夜。" in html  # the second occurrence in a section stays plain


def test_policies_first_on_page_and_every():
    html = "<h2>一</h2><p>事不过夜</p><h2>二</h2><p>事不过夜，事不过夜</p>"
    assert link(html, SHI, policy="first-on-page").count("hb-principle") == 1
    assert link(html, SHI, policy="every").count("hb-principle") == 3


def test_never_in_headings_links_code_or_the_terms_own_page():
    html = ('<h2>事不过夜</h2><p><a href="x">事不过夜</a><code>事不过夜</code></p>'
            '<pre>事不过夜</pre><div data-search-exclude=""><p>事不过夜</p></div>')
    assert "hb-principle" not in link(html, SHI)
    assert "hb-principle" not in link("<p>事不过夜</p>", SHI, own="principles/shi.md")


def test_text_around_inline_elements_is_kept():
    html = link("<p>前文<strong>强调</strong>事不过夜，后文<!-- c -->事不过夜</p>", SHI, policy="every")
    assert lxml_html.fragment_fromstring(html).text_content() == "前文强调事不过夜，后文事不过夜"


def test_discovery_reports_recurring_phrases_without_a_page():
    class Speech:
        def __init__(self, *paragraphs):
            self.paragraphs = dict(enumerate(paragraphs, start=1))

    speeches = {"a": Speech("要有“大局意识”，做到三督三察和事不过夜"), "b": Speech("强化“大局意识”，落实三督三察，“事不过夜”")}
    assert discover(speeches, Matcher([SHI])) == [("三督三察", ["a", "b"]), ("大局意识", ["a", "b"])]


PRINCIPLE = """---
title: 事不过夜
term: 事不过夜
summary: 当天的事当天办 <毕>
tags: [重要提法]
---

# 事不过夜

当天的事当天办。
"""

SPEECH = """---
title: 在测试会议上的讲话
short_title: 测试讲话
source: test.txt
tags: [讲话原文]
---

# 在测试会议上的讲话

<!-- speech:start -->

同志们：

要坚持“事不过夜”，事不过夜。

## 一、事不过夜的要求。
做到事不过夜。

<!-- speech:end -->
"""


def test_fixture_site_links_every_section_and_lists_the_occurrences(tmp_path: Path):
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "speeches/t.md": SPEECH, "principles/shi.md": PRINCIPLE},
                                sources={"test.txt": "x", "non-normative.yml": "t:\n  1: 称呼\n  2: 测试\n  3: 测试\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    speech = lxml_html.parse(str(tmp_path / "site" / "speeches" / "t" / "index.html"))
    links = speech.xpath("//article//a[@class='hb-principle']")
    assert [(a.getparent().get("id") or a.getparent().tag, a.text) for a in links] == [("p2", "事不过夜"), ("p", "事不过夜")]
    assert {a.get("href") for a in links} == {"../../principles/shi/"} and links[0].get("title") == "当天的事当天办 <毕>"
    principle = lxml_html.parse(str(tmp_path / "site" / "principles" / "shi" / "index.html"))
    backlinks = principle.xpath("//div[@class='hb-backlinks']//li/a/@href")
    assert backlinks == ["../../speeches/t/#p2", "../../speeches/t/#p2", "../../speeches/t/#p3", "../../speeches/t/#p3"]
    assert "在 1 篇讲话中出现 4 次" in principle.xpath("//div[@class='hb-backlinks']")[0].text_content()


def test_real_site_links_shen_zai_bing_wei_everywhere_and_lists_it(built_site: Path):
    pattern = re.compile("身在兵位[，、,；：\\s“”]*胸为帅谋")
    page = built_site / "principles" / "shen-zai-bing-wei" / "index.html"
    listed = {(unquote(href).split("/")[-2], unquote(href).split("#")[1])
              for href in lxml_html.parse(str(page)).xpath("//div[@class='hb-backlinks']//li/a/@href") if "speeches/" in href}
    expected = set()
    for speech_page in (built_site / "speeches").glob("*/index.html"):
        root = lxml_html.parse(str(speech_page))
        for paragraph in root.xpath("//article//*[starts-with(@id,'p')]"):
            text = paragraph.text_content()
            body = paragraph.getnext()
            if paragraph.tag.startswith("h") and body is not None and body.tag == "p":
                text += body.text_content()
            if pattern.search(text):
                expected.add((speech_page.parent.name, paragraph.get("id")))
        if any(pattern.search(p.text_content()) for p in root.xpath("//article//p")):
            hrefs = [a.get("href") for a in root.xpath("//article//a[@class='hb-principle']") if "身在兵位" in a.text]
            assert hrefs and set(hrefs) == {"../../principles/shen-zai-bing-wei/"}, speech_page
    assert len({slug for slug, _ in expected}) == 4
    assert listed == expected


def test_fixture_site_discovery_is_info_by_default_and_a_warning_when_switched(tmp_path: Path):
    second = SPEECH.replace("short_title: 测试讲话", "short_title: 测试讲话二").replace("source: test.txt", "source: test2.txt")
    pages = {"index.md": "# 首页\n", "speeches/t.md": SPEECH.replace("同志们：", "要有“大局意识”。"),
             "speeches/u.md": second.replace("同志们：", "强化“大局意识”。"), "principles/shi.md": PRINCIPLE}
    sources = {"test.txt": "x", "test2.txt": "x",
               "non-normative.yml": "t:\n  1: 测试\n  2: 测试\n  3: 测试\nu:\n  1: 测试\n  2: 测试\n  3: 测试\n"}
    quiet = make_fixture_site(tmp_path / "info", pages, sources=sources)
    result = run_mkdocs_build(quiet, tmp_path / "info" / "site")
    assert result.returncode == 0, result.stderr
    assert "INFO    -  1 recurring phrases have no principle page" in result.stderr and "大局意识" in result.stderr
    assert "大局意识\t2 speeches\tt, u" in (tmp_path / "info" / "site" / "editors" / "phrase-discovery.txt").read_text("utf-8")

    strict = make_fixture_site(tmp_path / "warn", pages, sources=sources)
    config = strict / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("discovery: info", "discovery: warning"), "utf-8")
    result = run_mkdocs_build(strict, tmp_path / "warn" / "site")
    assert result.returncode != 0
    assert "WARNING -  1 recurring phrases have no principle page" in result.stderr
