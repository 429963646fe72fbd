"""The build model, its grammar, settings, labels and the owner of nested builds, without mkdocs."""

from __future__ import annotations

import re
import string

import pytest
from handbook import builds
from handbook.builds import Build
from handbook.grammar import scan
from handbook.labels import label_table
from handbook.model import read_handbook
from handbook.settings import SETTINGS, read_settings

SPEECH = """---
title: 在测试会议上的讲话
short_title: 测试讲话
source: test.txt
---

# 在测试会议上的讲话

<!-- speech:start -->

同志们：

要坚持事不过夜，会议要精简。

<!-- speech:end -->
"""

NORMS = """---
title: 办会
---

# 办会

## 办会-01 精简会议 { #办会-01 }

会议要精简。

适用：长期有效 · 县政府办公室

依据：[@test#p2 "会议要精简"]

常见问法：会开得太多怎么办？能不能少开点会？

## 办会-02 事不过夜 { #办会-02 }

坚持事不过夜。

适用：2020年度任务 · 县委办公室、县政府办公室

依据：[@test#p2 "坚持事不过夜"]；[@test#p2 "没有这句话"]

```
## 办会-99 代码里的标题不是条款 { #办会-99 }
[@nowhere#p1 "代码里的引用不检查"]
```
"""

PRINCIPLE = """---
title: 事不过夜
term: 事不过夜
summary: 当天的事当天办
---

# 事不过夜
"""


@pytest.fixture
def handbook():
    return read_handbook([("speeches/test.md", SPEECH), ("norms/meetings.md", NORMS),
                          ("principles/shi-bu-guo-ye.md", PRINCIPLE), ("index.md", "# 首页\n")], "zh")


def test_the_model_holds_pages_speeches_clauses_and_citations(handbook):
    assert list(handbook.pages) == ["speeches/test.md", "norms/meetings.md", "principles/shi-bu-guo-ye.md", "index.md"]
    assert handbook.speeches["test"].paragraphs == {1: "同志们：", 2: "要坚持事不过夜，会议要精简。"}
    assert [(clause.id, clause.title, clause.line) for clause in handbook.clauses] == [
        ("办会-01", "精简会议", 7), ("办会-02", "事不过夜", 17)]
    first, second = handbook.clauses
    assert first.questions == ("会开得太多怎么办？", "能不能少开点会？") and first.questions_line == 15
    assert [(c.slug, c.number, c.clause) for c in second.citations] == [("test", 2, "办会-02"), ("test", 2, "办会-02")]
    assert len(handbook.citations) == 3  # the fenced one is text, for every reader alike
    assert handbook.anchors["norms/meetings.md"] == {"办会-01", "办会-02"}
    assert handbook.anchors["speeches/test.md"] == {"p1", "p2"}


def test_citations_are_validated_once_and_problems_name_file_and_line(handbook):
    [(citation, problem)] = handbook.invalid_citations.items()
    assert citation.quotes == ("没有这句话",)
    assert [str(p) for p in handbook.problems] == [str(problem)]
    assert str(problem).startswith('docs/norms/meetings.md:23: [citation] citation [@test#p2 "没有这句话"]: "没有这句话" is not in')


def test_principles_and_their_occurrences_come_from_the_same_read(handbook):
    [term] = handbook.terms
    assert term.term == "事不过夜"
    assert [slug for slug, _, _ in handbook.occurrences.in_speeches[term.src_uri]] == ["test"]
    assert [clause_id for _, clause_id, _ in handbook.occurrences.in_clauses[term.src_uri]] == ["办会-02"]


def test_a_translation_is_read_under_the_same_page_names():
    english = read_handbook([("norms/meetings.en.md", "# M\n\n## 办会-01 Fewer meetings { #办会-01 }\n\n"
                              "Scope: Standing · County Government Office\n\nBasis: [@test#p2 \"x\"]\n\nCommon questions: Too many meetings? Can we meet less?\n")],
                            "en", default_language=False)
    [clause] = english.clauses
    assert english.page("norms/meetings.en.md").uri == "norms/meetings.md"
    assert clause.questions == ("Too many meetings?", "Can we meet less?")
    assert (clause.scope.year, clause.scope.audiences) == (0, ("County Government Office",))
    assert not [problem for problem in english.problems if problem.rule == "scope"]


@pytest.mark.parametrize("markdown, expected", [
    ("常见问法：会太多怎么办？\n\n## 办会-01 甲 { #办会-01 }\n\n[@t#p1 \"x\"]\n", ":1: [questions] common questions outside any clause"),
    ("## 办会-01 甲 { #办会-01 }\n\n[@t#p1 \"x\"]\n\n常见问法：会太多怎么办？少开会\n", ":5: [questions] '少开会' in the common questions of 办会-01 does not end"),
    ("## 办会-01 甲 { #办会-01 }\n\n[@t#p1 \"x\"]\n\n常见问法：甲？\n\n常见问法：乙？\n", ":7: [questions] clause 办会-01 has a second line"),
])
def test_question_lines_belong_to_a_clause_and_end_with_question_marks(markdown, expected):
    [problem] = [p for p in scan(markdown, "norms/meetings.md").problems if p.rule != "scope"]
    assert expected in str(problem)


def test_the_handbook_reads_each_clauses_scope(handbook):
    first, second = handbook.clauses
    assert (first.scope.standing, first.scope.audiences) == (True, ("县政府办公室",))
    assert (second.scope.year, second.scope.audiences) == (2020, ("县委办公室", "县政府办公室"))


CLAUSE = "## 办会-01 甲 { #办会-01 }\n\n会要少开。\n\n"
CITED = "依据：[@t#p1 \"x\"]\n"


@pytest.mark.parametrize("markdown, expected", [
    (CLAUSE + CITED, ":1: [scope] clause 办会-01 has no scope line"),
    (CLAUSE + "适用：今年 · 县政府办公室\n\n" + CITED, ":5: [scope] the scope line of 办会-01 does not read as a scope"),
    (CLAUSE + "适用：长期有效\n\n" + CITED, ":5: [scope] the scope line of 办会-01 does not read as a scope"),
    (CLAUSE + "适用：长期有效 · 县政府办公室\n\n适用：2020年度任务 · 县政府办公室\n\n" + CITED,
     ":7: [scope] clause 办会-01 has a second scope line"),
    ("适用：长期有效 · 县政府办公室\n\n" + CLAUSE + "适用：长期有效 · 县政府办公室\n\n" + CITED,
     ":1: [scope] a scope line outside any clause"),
])
def test_a_clause_without_a_readable_scope_fails_with_file_and_line(markdown, expected):
    [problem] = scan(markdown, "norms/meetings.md").problems
    assert f"norms/meetings.md{expected}" in str(problem)
    assert problem.fix


def test_settings_fill_defaults_and_name_a_wrong_value_with_the_allowed_ones():
    settings, problems = read_settings({"handbook": {"principles": {"link": "every"}}})
    assert problems == [] and settings["principles"] == {"link": "every", "discovery": "info"}
    assert settings["integrity"]["pending_translations"] == "info"
    text = "extra:\n  handbook:\n    principles:\n      discovery: loud\n"
    _, [problem] = read_settings({"handbook": {"principles": {"discovery": "loud"}}}, text)
    assert str(problem) == ("mkdocs.yml:4: [settings] extra.handbook.principles.discovery is 'loud'; allowed: info, warning; "
                            "set one of the allowed values.")
    _, problems = read_settings({"handbook": {"integrity": {"pending_translation": "error"}, "downlaods": {}}})
    assert [p.message for p in problems] == ["extra.handbook.integrity.pending_translation is not a setting",
                                             "extra.handbook.downlaods is not a setting"]
    _, [problem] = read_settings({"handbook": {"downloads": {"pdf": "yes"}}})
    assert "downloads.pdf is 'yes'; expected true or false" in str(problem)


def test_every_declared_setting_is_set_in_the_real_config():
    from conftest import REPO

    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for section, options in SETTINGS.items():
        for key in options:
            assert re.search(rf"^\s+{key}:", text, re.M), f"extra.handbook.{section}.{key} is not in mkdocs.yml"


def _shape(table):
    """Keys and format placeholders of a label table, values aside."""
    if isinstance(table, dict):
        return {key: _shape(value) for key, value in table.items()}
    if isinstance(table, (list, tuple)):
        return len(table)
    return sorted(name for _, name, _, _ in string.Formatter().parse(table) if name)


def test_label_tables_have_the_same_keys_and_english_has_no_chinese():
    zh, en = label_table("zh"), label_table("en")
    assert _shape(zh) == _shape(en)

    def strings(table):
        if isinstance(table, dict):
            return [s for value in table.values() for s in strings(value)]
        if isinstance(table, (list, tuple)):
            return [s for value in table for s in strings(value)]
        return [table]
    chinese = [s for s in strings(en) if re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", s)]
    assert chinese == [en["original"]]  # the name of the Chinese original, in Chinese on purpose


def test_nested_language_builds_finish_inside_out_and_a_new_site_build_forgets_an_aborted_one():
    def build(language, default):
        return Build(language, default, {}, {})

    builds.start(build("zh", True))
    builds.start(build("en", False))  # static-i18n builds English inside the Chinese build
    assert builds.current().language == "en"
    assert builds.finish()[0].language == "en" and builds.current().language == "zh"
    finished, outermost = builds.finish()
    assert finished.language == "zh" and outermost
    builds.start(build("zh", True))
    builds.start(build("en", False))  # aborted here (an error in `mkdocs serve`) …
    builds.start(build("zh", True))  # … and the next build starts clean
    restarted, outermost = builds.finish()
    assert restarted.language == "zh" and outermost and builds.current() is None
