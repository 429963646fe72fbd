"""Citation suggestions (issue 27): the clauses a paragraph no clause cites most likely supports, the citation line
to paste, the editors' report and the leave-one-speech-out measurement, on small hand-made models (no mkdocs).

The real figure (≥ 80 % of the cited paragraphs with a citing clause in the first three) is the benchmark's:
`python tools/bench.py --only suggest`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import REPO, speech_page
from handbook.builds import Build
from handbook.coverage import paragraph_statuses
from handbook.grammar import CITATION
from handbook.labels import label_table
from handbook.model import read_handbook
from handbook.suggest import (
    balanced,
    best_fragment,
    clause_index,
    grams,
    hit_rate,
    leave_one_out,
    rank,
    rate_text,
    report_lines,
    suggest,
    suggestions_for,
    uncited,
)

sys.path.insert(0, str(REPO / "tools"))
import suggest as suggest_tool  # noqa: E402

SPEECH_A = speech_page(
    "同志们：",
    "要严格把关，精简会议和文件，改进会风和文风，使领导从文山会海中摆脱出来，集中精力谋大事、抓大事。",
    "公车使用要严格执行派车制度，做到一车一单，杜绝公车私用。",
    "第三，要守口如瓶，绝不泄露尚未公开的决定。",
    source="a.txt", short_title="甲讲话")
SPEECH_B = speech_page(
    "同志们：",
    "会议要少而精，精简会议和文件，提高会议质量。",
    "今天天气很好，大家辛苦了，祝大家节日快乐。",
    source="b.txt", short_title="乙讲话")

# 后勤-01 is held by speech a alone; 保密-01's rule shares nothing with the paragraph it cites (only its quotation
# does); the others are distractors, three of which share words with a#p4 so that 保密-01 has rivals there.
NORMS = """---
title: 规范
---
# 规范

### 办会-01 精简会议，改进会风 { #办会-01 }

严格把关，精简会议，改进会风，集中精力谋大事、抓大事。

适用：长期有效 · 县政府办公室

依据：[@a#p2 "精简会议和文件"]；[@b#p2 "精简会议和文件"]

### 后勤-01 公车一车一单 { #后勤-01 }

严格执行派车制度，一车一单，杜绝公车私用。

适用：长期有效 · 全县办公室系统

依据：[@a#p3 "做到一车一单，杜绝公车私用"]

### 保密-01 口风要紧 { #保密-01 }

对外不谈内部事务。

适用：长期有效 · 县委办公室

依据：[@a#p4 "绝不泄露尚未公开的决定"]

### 办文-01 公开的决定及时发布 { #办文-01 }

尚未公开的决定，定稿后及时发布。

适用：2020年度任务 · 县政府办公室

依据：[@b#p2 "提高会议质量"]

### 办事-01 绝不推诿 { #办事-01 }

要绝不推诿，守口如瓶的同时热情服务。

适用：长期有效 · 县政府办公室

依据：[@b#p2 "会议要少而精"]

### 作风-01 第三方评价 { #作风-01 }

第三，要接受群众评价。

适用：长期有效 · 县政府办公室

依据：[@b#p2 "提高会议质量"]
"""


def handbook_of(*pages: tuple[str, str]):
    return read_handbook([("speeches/a.md", SPEECH_A), ("speeches/b.md", SPEECH_B), ("norms/rules.md", NORMS), *pages])


def test_grams_never_cross_punctuation():
    assert grams("精简，会议") == {"精简", "会议"}
    assert grams("抓大事") == {"抓大", "大事", "抓大事"}


def test_a_paragraph_repeating_a_clause_suggests_it_first_with_a_line_the_build_accepts():
    handbook = handbook_of()
    new = speech_page("同志们：", "各单位要严格执行派车制度，做到一车一单，不得公车私用。", source="c.txt")
    handbook = handbook_of(("speeches/c.md", new))
    found = suggest(clause_index(handbook), handbook, "c", 2)
    assert found.suggestions[0].clause.id == "后勤-01"
    line = found.suggestions[0].citation("c", 2)
    assert line.startswith("依据：[@c#p2 ")
    fragment = CITATION.search(line)["quotes"].strip().strip('"')
    assert fragment in handbook.speeches["c"].paragraphs[2]  # verbatim
    # The real outcome: the clause with the pasted line reads without a problem.
    cited = NORMS.replace('依据：[@a#p3 "做到一车一单，杜绝公车私用"]', f'{line.removeprefix("依据：")}；[@a#p3 "做到一车一单"]')
    pasted = read_handbook([("speeches/a.md", SPEECH_A), ("speeches/b.md", SPEECH_B), ("speeches/c.md", new),
                            ("norms/rules.md", cited)])
    assert not pasted.problems
    assert ("c", 2) in pasted.cited_by_clauses()


def test_a_paragraph_like_no_clause_is_a_candidate_new_clause_in_the_report():
    handbook = handbook_of()
    found = suggestions_for(handbook, [("b", 3)])
    assert found[0].suggestions == ()
    zh, en = label_table("zh"), label_table("en")
    lines = report_lines(found, handbook, zh["suggest"], ("「", "」"))
    assert "## 乙讲话（b）" in lines
    assert lines[lines.index("¶3 今天天气很好，大家辛苦了，祝大家节日快乐。") + 1].strip() == "候选新条款或非规范性文字"
    english = report_lines(found, handbook, en["suggest"], ("“", "”"))
    assert "  candidate new clause or non-normative text" in english


def test_only_paragraphs_neither_cited_nor_listed_as_non_normative_are_ranked():
    handbook = handbook_of()
    statuses = paragraph_statuses(handbook, {"a": {1: "称呼"}, "b": {1: "称呼"}})
    assert uncited(statuses) == [("b", 3)]
    assert uncited(paragraph_statuses(handbook, {"a": {1: "称呼"}, "b": {1: "称呼", 3: "寒暄"}})) == []
    assert suggestions_for(handbook, []) == []  # nothing to rank: no index is made
    assert report_lines([], handbook, label_table("zh")["suggest"], ("「", "」"))[-1] == "每一段都已被条款引用或列为非规范性文字。"


def test_the_report_names_each_clause_its_score_its_reasons_and_the_line_to_paste():
    handbook = handbook_of(("speeches/c.md", speech_page("同志们：", "要严格把关，精简会议和文件，减少陪会。", source="c.txt")))
    lines = report_lines(suggestions_for(handbook, [("c", 2)]), handbook, label_table("zh")["suggest"], ("「", "」"))
    first = next(line for line in lines if line.startswith("  1. "))
    assert first.startswith("  1. 办会-01 精简会议，改进会风 — 得分 ")
    assert "条文相同：「严格把关，精简会议" in first and "引文相同：「精简会议和文件」" in first
    assert first.endswith("引用后见于 2 → 3 篇讲话")  # held in speeches a and b, and c once cited
    assert lines[lines.index(first) + 1].strip().startswith("依据：[@c#p2 \"")


def test_leave_one_out_counts_every_cited_paragraph_and_forgets_the_speech_taken_out():
    handbook = handbook_of()
    outcomes = leave_one_out(handbook)
    by_paragraph = {(o.slug, o.number): o for items in outcomes.values() for o in items}
    assert set(by_paragraph) == {("a", 2), ("a", 3), ("a", 4), ("b", 2)}  # the cited ones, nothing else
    assert by_paragraph["a", 2].hit and by_paragraph["b", 2].hit
    # 后勤-01 cites speech a alone: with a out it has no citation left, yet its rule still finds the paragraph.
    assert by_paragraph["a", 3].citing == ("后勤-01",) and by_paragraph["a", 3].suggested[0] == "后勤-01"
    # 保密-01 is found only through its quotation of a#p4: with a out it is not among the first three.
    assert by_paragraph["a", 4].citing == ("保密-01",) and not by_paragraph["a", 4].hit
    assert len(by_paragraph["a", 4].suggested) == 3
    assert [hit_rate(outcomes[slug]) for slug in ("a", "b")] == [(2, 3), (1, 1)]
    assert rate_text(3, 4) == "3/4 (75.0 %)"
    # The same paragraph with speech a in: its quotation counts, and 保密-01 comes first.
    text = handbook.speeches["a"].paragraphs[4]
    assert rank(clause_index(handbook), text)[0][2].clause.id == "保密-01"
    without = {profile.clause.id: profile for profile in clause_index(handbook, without="a").profiles}
    assert without["后勤-01"].citations == () and without["保密-01"].quoted == frozenset()


def test_a_fragment_is_one_sentence_s_phrases_with_whole_quotations():
    text = "要强化“四个意识”，坚定“四个自信”，做到“两个维护”。其他工作另行安排。"
    wanted = frozenset(grams("坚定四个自信"))
    fragment = best_fragment(text, wanted, dict.fromkeys(wanted, 1.0))
    assert fragment == "坚定“四个自信”" and fragment in text
    assert not balanced("确保不漏“一文") and balanced("《通知》和“一文”")
    # A phrase over twice the length a fragment should have: the best of its list items, split at 、.
    listing = "要做到" + "、".join(["严格执行请示报告制度", "严格执行值班制度", "严格执行保密制度", "严格执行公车派车制度",
                                    "严格执行财务制度", "严格执行会议制度", "严格执行考勤制度", "严格执行接待制度"]) + "。"
    wanted = frozenset(grams("公车派车"))
    assert best_fragment(listing, wanted, dict.fromkeys(wanted, 1.0)) == "严格执行公车派车制度"


def test_make_suggest_prints_lines_the_build_accepts_and_names_an_unknown_speech(capsys):
    assert suggest_tool.main(["no-such-speech"]) == 2
    assert "unknown speech no-such-speech; known speeches: " in capsys.readouterr().err
    assert suggest_tool.main(["--as-new", "county-party-office-integrity"]) == 0
    out = capsys.readouterr().out
    handbook = suggest_tool.chinese_handbook()
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("依据：")]
    assert lines and all(line.startswith("依据：[@county-party-office-integrity#p") for line in lines)
    for line in lines:
        match = CITATION.search(line)
        quote = match["quotes"].strip().strip('"')
        assert " ".join(quote.split()) in handbook.speeches[match["slug"]].normalised[int(match["number"])]
    assert "¶1 " not in out  # the salutation is listed as non-normative


def test_the_build_writes_the_report_in_the_chinese_build_only(tmp_path: Path):
    sys.path.insert(0, str(REPO / "hooks"))
    import pipeline

    handbook = handbook_of(("speeches/c.md", speech_page("同志们：", "各单位要严格执行派车制度，做到一车一单。", source="c.txt")))
    for language, default in (("en", False), ("zh", True)):
        build = Build(language, default, {}, label_table(language))
        build.handbook, build.non_normative = handbook, {"a": {1: "称呼"}, "b": {1: "称呼", 3: "寒暄"}, "c": {1: "称呼"}}
        pipeline.report_citation_suggestions(build, SimpleNamespace(site_dir=str(tmp_path / language)))
    assert not (tmp_path / "en" / pipeline.SUGGESTIONS_FILE).exists()
    report = (tmp_path / "zh" / pipeline.SUGGESTIONS_FILE).read_text(encoding="utf-8")
    assert "¶2 各单位要严格执行派车制度，做到一车一单。" in report and "  1. 后勤-01 公车一车一单 — " in report
