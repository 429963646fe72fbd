"""The handbook model (clauses, citations, speeches), coverage and reading time, without mkdocs."""

from __future__ import annotations

import posixpath

import markdown as python_markdown
import pytest
from handbook.citations import preview, render_citations
from handbook.clauses import mark_clause_ids
from handbook.coverage import (
    coverage_parts,
    non_normative_problems,
    paragraph_statuses,
    uncovered_problems,
)
from handbook.grammar import scan
from handbook.labels import label_table
from handbook.model import Handbook, Speech, duplicate_clause_problems, normalise, read_handbook, unlocalized
from handbook.reading_path import reading_minutes, reading_path_table

SPEECH_PAGE = """---
title: 在测试会议上的讲话
short_title: 测试讲话
source: test.txt
---

# 在测试会议上的讲话

<!-- speech:start -->

同志们：

要强化“四个意识”，做到“两个维护”，  坚持事不过夜。

## 一、要严守保密纪律。
对涉密文件要规范管理。

<!-- speech:end -->
"""

NORM_PAGE = """---
title: 保密
---

# 保密

## 保密-01 规范管理涉密文件 { #保密-01 }

对涉密文件要规范管理。

适用：长期有效 · 县委办公室

依据：[@test#p3 "对涉密文件要规范管理"]

## 保密-02 没有依据的条款 { #保密-02 }

只有要求，没有出处。

适用：长期有效 · 县委办公室
"""


ZH = label_table("zh")


@pytest.fixture
def corpus() -> Handbook:
    return read_handbook([("speeches/test.md", SPEECH_PAGE), ("norms/secrecy.md", NORM_PAGE)], "zh")


def rendered(corpus_pages: list[tuple[str, str]], uri: str) -> tuple[str, list[str]]:
    """The Markdown of page ``uri`` with its citations rendered, and the model's problems."""
    handbook = read_handbook(corpus_pages, "zh")
    page = handbook.pages[uri]
    return render_citations(page.body, page, handbook, ZH, cited_path(page.uri, handbook)), [str(problem) for problem in handbook.problems]


def cited_path(page_uri: str, handbook):
    """The cited paragraph as a path from the page (in a build, mkdocs' URL of the speech page)."""
    return lambda citation: posixpath.relpath(handbook.speeches[citation.slug].src_uri, posixpath.dirname(page_uri)) + f"#p{citation.number}"


def test_corpus_reads_speech_paragraphs_and_citations(corpus):
    speech = corpus.speeches["test"]
    assert speech.paragraphs == {1: "同志们：", 2: "要强化“四个意识”，做到“两个维护”，  坚持事不过夜。", 3: "一、要严守保密纪律。对涉密文件要规范管理。"}
    assert speech.lines == {1: 11, 2: 13, 3: 15}
    [citation] = corpus.citations
    assert (citation.src_uri, citation.line, citation.clause, citation.quotes) == ("norms/secrecy.md", 13, "保密-01", ("对涉密文件要规范管理",))


def test_citations_are_grouped_by_the_speech_they_cite():
    other = NORM_PAGE.replace("保密-0", "办文-0").replace("[@test#p3", "[@test#p1").replace("只有要求，没有出处。", '[@gone#p1 "x"]')
    corpus = read_handbook([("speeches/test.md", SPEECH_PAGE), ("norms/secrecy.md", NORM_PAGE), ("norms/documents.md", other)], "zh")
    grouped = corpus.citations_by_speech()
    assert list(grouped) == ["test"]  # no entry for the unknown speech 'gone'
    assert [(c.src_uri, c.clause, c.number) for c in grouped["test"]] == [("norms/secrecy.md", "保密-01", 3), ("norms/documents.md", "办文-01", 1)]


def test_valid_citation_renders_as_link_with_tooltip_and_quotes():
    norm = '依据：[@test#p2 "强化“四个意识”" "“两个维护”，\n坚持"]'.replace("\n", " ")
    text, problems = rendered([("speeches/test.md", SPEECH_PAGE), ("norms/a.md", norm)], "norms/a.md")
    assert problems == []
    html = python_markdown.markdown(text, extensions=["attr_list"])
    assert html == (
        '<p>依据：<a class="hb-cite" href="../speeches/test.md#p2" title="要强化“四个意识”，做到“两个维护”， 坚持事不过夜。">'
        "测试讲话 ¶2</a>「强化“四个意识”」「“两个维护”， 坚持」</p>"
    )


@pytest.mark.parametrize(
    "citation, expected",
    [
        ('[@nope#p1 "同志们"]', "names an unknown speech 'nope'"),
        ('[@test#p9 "同志们"]', "names paragraph p9, but speeches/test.md has paragraphs p1–p3"),
        ('[@test#p2 "强化四个意识"]', '"强化四个意识" is not in test#p2 verbatim'),
        ('[@test#p2 "“两个维护”，坚持"]', "is not in test#p2 verbatim"),  # whitespace removed is a change
        ("[@test#p2]", "quotes nothing"),
        ('[@test#2 "同志们"]', "is not a valid citation"),
    ],
)
def test_broken_citations_are_reported_with_their_line(citation, expected):
    norm = "---\ntitle: a\n---\n" + "\n" * 7 + f"第一行\n依据：{citation}"
    text, problems = rendered([("speeches/test.md", SPEECH_PAGE), ("notes/a.md", norm)], "notes/a.md")
    [problem] = problems
    assert problem.startswith("docs/notes/a.md:12: [citation] ")
    assert expected in problem
    assert citation in text  # left as written, never half-rendered


def test_whitespace_is_normalised_and_nothing_else():
    assert normalise(" 两个维护，\n  坚持 ") == "两个维护， 坚持"


def test_citations_in_code_fences_are_ignored_everywhere():
    found = scan('```\n[@x#p1 "a"]\n## 办文-01 甲 { #办文-01 }\n```\n', "a.md")
    assert found.citations == [] and found.clauses == [] and found.problems == []
    [problem] = scan("[@ not a citation", "a.md").problems
    assert str(problem) == 'docs/a.md:1: [citation] \'[@ not a citation…\' is not a valid citation; write [@slug#p12 "verbatim words"].'


def test_preview_is_a_window_around_the_quote():
    paragraph = "甲" * 200 + "关键话" + "乙" * 200
    window = preview(paragraph, "关键话")
    assert window.startswith("…") and window.endswith("…") and "关键话" in window and len(window) == 92


def test_clauses_need_a_citation_and_a_matching_anchor():
    found = scan(NORM_PAGE.split("---\n", 2)[2], "norms/secrecy.md", line_offset=3)
    assert [(c.id, len(c.citations)) for c in found.clauses] == [("保密-01", 1), ("保密-02", 0)]
    assert [str(p) for p in found.problems] == [
        "docs/norms/secrecy.md:15: [clause] clause 保密-02 cites no speech paragraph; add a 依据 line with [@slug#pN \"…\"]."
    ]
    problems = scan("## 保密-01 标题 { #保密-1 }\n适用：长期有效 · 县委办公室\n依据：[@a#p1 \"x\"]", "n.md").problems
    assert "its anchor is '#保密-1'" in problems[0].message


def test_duplicate_clause_ids_name_both_places():
    first = scan('## 办文-01 甲 { #办文-01 }\n[@a#p1 "x"]', "norms/a.md").clauses
    second = scan('## 办文-01 乙 { #办文-01 }\n[@a#p1 "x"]', "norms/b.md", line_offset=5).clauses
    [problem] = duplicate_clause_problems(first + second)
    assert str(problem).startswith("docs/norms/b.md:6: [clause] clause ID 办文-01 is already used at docs/norms/a.md:1")


def test_clause_id_badge_keeps_anchor_and_title():
    assert mark_clause_ids("## 办文-01 甲乙 { #办文-01 }") == '## <span class="hb-clause-id">办文-01</span> 甲乙 { #办文-01 }'


def test_coverage_counts_cited_non_normative_and_uncovered(corpus):
    statuses = paragraph_statuses(corpus, {"test": {1: "称呼"}})
    assert [(s.number, bool(s.clauses), s.reason, s.uncovered) for s in statuses["test"]] == [
        (1, False, "称呼", False), (2, False, None, True), (3, True, None, False)]
    [problem] = uncovered_problems(corpus, statuses)
    assert str(problem).startswith("docs/speeches/test.md:13: paragraph p2 is neither cited")
    summary, heading, detail = coverage_parts(corpus, statuses, lambda uri, fragment="": f"/{uri}#{fragment}", ZH["coverage"])
    assert heading == "## 测试讲话 { #test }"

    def rows(table):
        return [[(cell.text_content(), [a.get("href") for a in cell.iter("a")]) for cell in row] for row in table.iter("tr")]
    assert rows(summary)[1] == [("测试讲话", ["#test"]), ("3", []), ("1", []), ("1", []), ("1", []), ("50%", [])]
    assert summary.find("tbody/tr/td[2]").get("align") == "right"  # the counts, as Markdown's --: aligned them
    assert rows(detail)[3] == [("¶3", ["/speeches/test.md#p3"]), ("已引用", []), ("保密-01", ["/norms/secrecy.md#保密-01"])]
    assert rows(detail)[2] == [("¶2", ["/speeches/test.md#p2"]), ("未覆盖", []), ("", [])]
    assert detail.find("tbody/tr[2]/td[2]/strong").text == "未覆盖"  # an uncovered paragraph stands out


def test_non_normative_entries_must_exist(corpus):
    source = "test:\n  1: 称呼\n  7: 不存在\nother:\n  1: x\n"
    problems = non_normative_problems(corpus, {"test": {1: "称呼", 7: "不存在"}, "other": {1: "x"}}, source)
    assert [str(p) for p in problems] == [
        "sources/non-normative.yml:3: test has no paragraph 7; remove the entry.",
        "sources/non-normative.yml:4: unknown speech 'other'; use a slug of docs/speeches/.",
    ]


def test_reading_time_counts_chinese_characters_and_english_words():
    assert reading_minutes("---\ntitle: x\n---\n" + "字" * 301) == 2
    assert reading_minutes("word " * 150) == 1
    assert reading_minutes('依据：[@slug#p1 "十个字十个字十个字十"]' + "<!-- " + "注" * 900 + " -->") == 1


def test_reading_path_table_and_missing_page():
    sources = {"norms/a.md": ("甲", "字" * 600), "norms/b.md": ("乙", "字" * 10)}
    table, problems = reading_path_table(
        [{"page": "norms/a.md", "why": "先读"}, {"page": "norms/b.md", "why": "再读"}, {"page": "norms/x.md"}],
        "onboarding/index.md", sources, ZH["reading_path"], front_matter_line=4)
    assert "| 1 | [甲](../norms/a.md) | 先读 | 2 分钟 |" in table
    assert "| | 合计 | | 3 分钟 |" in table
    assert [str(p) for p in problems] == [
        "docs/onboarding/index.md:4: [reading-path] reading_path step 3 names 'norms/x.md', which is not a page of the site; "
        "use a path relative to docs/."]


def test_unlocalized_strips_the_language_suffix():
    assert unlocalized("speeches/x.en.md", "en") == "speeches/x.md"
    assert unlocalized("speeches/x.md", "zh") == "speeches/x.md"


def test_speech_pages_without_text_have_no_paragraphs():
    corpus = read_handbook([("speeches/t.en.md", "---\ntitle: T\nsource: t.txt\ntranslation: pending\n---\n# T\n")], "en")
    assert corpus.speeches["t"] == Speech("t", "speeches/t.md", "T", "t.txt", {}, {})
    assert corpus.problems == []  # a stand-in awaiting translation holds no text yet: not a problem
