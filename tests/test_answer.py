"""Issue 26 without a browser: where to ask instead (a setting the 保密 gate checks), the unanswered questions'
log as `make gaps` reads it, with personal data masked, and the nginx site that writes that log."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO, run_mkdocs_build
from handbook.labels import label_table
from handbook.search import edition_index_path, search_labels
from handbook.secrecy import mask_personal_data, scan_texts, search_index_texts
from handbook.settings import read_settings
from test_integrity import resident_id

sys.path.insert(0, str(REPO / "tools"))
from gaps import read_log  # noqa: E402
from nginx_conf import render_server_config  # noqa: E402
from question_sets import read_set, resolve  # noqa: E402


@pytest.mark.parametrize(("text", "masked"), [
    ("我的手机13812345678丢了", "我的手机***********丢了"),
    ("电话 138 1234 5678 打不通", "电话 ************* 打不通"),
    ("手机号是一三八一二三四五六七八", "手机号是***********"),
    (f"身份证{resident_id()}怎么补", "身份证******************怎么补"),
    ("写信到 zhang.san@example.gov.cn 行吗", "写信到 ************************ 行吗"),
    ("会议室在3楼，2020年的规定", "会议室在3楼，2020年的规定"),
])
def test_personal_data_is_masked_in_any_written_form(text: str, masked: str):
    assert mask_personal_data(text) == masked


def log_line(time: str, language: str, question: str) -> str:
    """A line as the shipped log_format writes it: the query argument as the browser sent it (URLSearchParams)."""
    return f"{time} {language} {quote(question, safe='').replace('%20', '+')}\n"


def test_gaps_lists_questions_by_count_masked_and_decoded(tmp_path: Path):
    log = tmp_path / "handbook-gaps.log"
    log.write_text(log_line("2026-12-07T09:00:00+00:00", "zh", "办公室能养宠物吗")
                   + log_line("2026-12-08T09:00:00+00:00", "zh", "办公室能养宠物吗？")
                   + log_line("2026-12-08T10:00:00+00:00", "en", "can I bring my dog?")
                   + log_line("2026-12-09T10:00:00+00:00", "zh", "手机13812345678丢了找谁")
                   + "2026-12-09T10:00:01+00:00 zh -\n"  # a GET without a question: not counted
                   + "a line of something else\n", encoding="utf-8")
    rotated = tmp_path / "handbook-gaps.log.2.gz"
    rotated.write_bytes(gzip.compress(log_line("2026-12-01T09:00:00+00:00", "zh", "办公室能养宠物吗").encode()))
    gaps = read_log([log, rotated])
    assert [(g.count, g.language, g.question, g.first, g.last) for g in gaps] == [
        (3, "zh", "办公室能养宠物吗", "2026-12-01", "2026-12-08"),
        (1, "en", "can I bring my dog", "2026-12-08", "2026-12-08"),
        (1, "zh", "手机***********丢了找谁", "2026-12-09", "2026-12-09")]
    shown = subprocess.run([sys.executable, str(REPO / "tools" / "gaps.py"), str(log)], capture_output=True,
                           text=True, check=True).stdout
    assert "13812345678" not in shown and "    2  zh  办公室能养宠物吗  (2026-12-07…2026-12-08)" in shown


def test_gaps_says_what_a_site_answers_each_question_with_now(tmp_path: Path, built_site: Path):
    """`make gaps SITE=…`: each logged question asked again of that site's search, so an editor sees which gaps the
    release closes (a question since recorded under its clause, or a clause added) and which are left."""
    log = tmp_path / "handbook-gaps.log"
    log.write_text(log_line("2026-12-07T09:00:00+00:00", "zh", "办公室能养宠物吗")
                   + log_line("2026-12-07T10:00:00+00:00", "zh", "喝了酒还能开公车吗")
                   + log_line("2026-12-07T11:00:00+00:00", "en", "do visitors have to sign in at the gate"), encoding="utf-8")
    shown = subprocess.run([sys.executable, str(REPO / "tools" / "gaps.py"), str(log), "--site", str(built_site)],
                           capture_output=True, text=True, check=True).stdout
    assert "办公室能养宠物吗  (2026-12-07)  → none" in shown and "喝了酒还能开公车吗  (2026-12-07)  → 后勤-18" in shown
    assert "do visitors have to sign in at the gate  (2026-12-07)  → 后勤-14" in shown
    wrong = subprocess.run([sys.executable, str(REPO / "tools" / "gaps.py"), str(log), "--site", str(tmp_path)],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and "holds no search/search_index.json" in wrong.stderr and "Traceback" not in wrong.stderr


def test_nginx_escapes_are_undone():
    from gaps import decode

    assert decode(b"a\\x22b%E5%8A%9E+x") == 'a"b办 x'


def test_where_to_ask_is_a_setting_per_language_and_the_gate_reads_it():
    settings, problems = read_settings({"handbook": {"search": {"ask_instead": {"zh": "请向综合科咨询", "en": "Ask us"}}}})
    assert problems == []
    labels = search_labels(label_table("zh"), settings["search"], "zh")
    assert labels["contact"] == "请向综合科咨询" and labels["answer_none"] == "手册中没有直接回答这个问题的条款"
    assert search_labels(label_table("en"), settings["search"], "en")["related"] == "Related clauses"
    _, [problem] = read_settings({"handbook": {"search": {"ask_instead": "请向综合科咨询"}}})
    assert "ask_instead" in problem.message
    # A phone number in the line is found by the gate over the search index, which carries the line.
    index = {"docs": [], "config": {"handbook": {"language": "zh", "labels": {"contact": "请拨打 138-1234-5678 咨询"}}}}
    assert [(where, f.rule.name) for where, _, f in scan_texts(search_index_texts(index), [], [], None)] == [
        ("search labels zh contact", "mobile-number")]


def test_the_shipped_site_logs_unanswered_questions_to_a_log_of_their_own(tmp_path: Path):
    text = render_server_config(tmp_path / "dest", "127.0.0.1:8080", tmp_path / "gaps.log")
    assert f"access_log {tmp_path / 'gaps.log'} handbook_gaps;" in text
    assert "location = /not-answered {" in text and "return 204;" in text
    shipped = render_server_config(tmp_path / "dest")
    assert "access_log /var/log/nginx/handbook-gaps.log handbook_gaps;" in shipped
    # The reader's address is not logged with the question.
    assert "$remote_addr" not in shipped.split("log_format handbook_gaps", 1)[1].split(";", 1)[0]


def test_expected_clauses_resolve_through_the_registry(tmp_path: Path):
    assert resolve(["作风-01", "办文-03"], {"作风-01": "办事-05"}) == ("办事-05", "办文-03")
    assert resolve(["甲-01"], {"甲-01": "乙-01", "乙-01": "丙-01"}) == ("丙-01",)
    path = tmp_path / "set.yml"
    path.write_text("zh:\n  tuning:\n    - {question: 问一, clauses: [作风-01]}\n  held_out:\n    - {question: 问二}\n",
                    encoding="utf-8")
    [tuning] = read_set(path, True, ("tuning",))
    assert (tuning.question, tuning.half, tuning.clauses) == ("问一", "tuning", ("办事-05",))  # the real registry
    assert [q.half for q in read_set(path, False)] == ["tuning", "held_out"]


def test_scripts_are_sent_without_comments_and_every_line_of_code_kept():
    from handbook.search import compact_script

    source = ('"use strict"\n/* a block\n   comment */\nconst a = 1  // kept: code before it\n\n  // a whole-line comment\n'
              '  /* one line */\nconst b = "/* in a string */"\n/* closed */ const c = 3\n')
    assert compact_script(source) == ('"use strict"\nconst a = 1  // kept: code before it\nconst b = "/* in a string */"\n'
                                      '/* closed */ const c = 3\n')


def test_the_stylesheet_is_sent_without_comments_and_every_rule_kept():
    from handbook.search import compact_stylesheet

    source = ('/* about a */\na::after {\n  content: "/* not a comment */";  /* gone */\n}\n\n  /* gone\n  too */\n'
              'b[title=\'x\\\'/*\'] { c: d; }\n')
    assert compact_stylesheet(source) == 'a::after {\ncontent: "/* not a comment */";\n}\nb[title=\'x\\\'/*\'] { c: d; }\n'


def test_the_compacted_worker_answers_as_the_source_does(built_site: Path):
    """The built site's worker (compacted) against the repository's, on the built index: the same results."""
    script = """
const fs = require("fs"), indexes = JSON.parse(process.argv[3])
const answers = process.argv.slice(1, 3).map(file => {
  const worker = require(file)
  return ["zh", "en"].map(language => {
    worker.setup(JSON.parse(fs.readFileSync(indexes[language], "utf-8")), language)
    return ["办公室能养宠物吗", "喝了酒还能开公车吗", "保密", "who keeps the official seal", "supervision"].map(q => worker.search(q))
  })
})
process.stdout.write(JSON.stringify(answers))
"""
    built = built_site / "assets" / "javascripts" / "handbook-search.js"
    source = REPO / "docs" / "assets" / "javascripts" / "handbook-search.js"
    assert len(built.read_text(encoding="utf-8")) < 0.8 * len(source.read_text(encoding="utf-8"))
    indexes = {language: str(edition_index_path(built_site, language)) for language in ("zh", "en")}
    result = subprocess.run(["node", "-e", script, str(source), str(built), json.dumps(indexes)],
                            capture_output=True, text=True, check=True)
    from_source, from_site = json.loads(result.stdout)
    assert from_source == from_site and from_source[0][0]["items"] and from_source[1][4]["items"]


def test_an_office_topic_is_named_only_where_it_stands_as_a_word(built_site: Path):
    """The `none` line names a topic the reader typed (公章), never one that a handbook word straddles: 会计 is a
    topic, but 开会计划 is 开会 + 计划, and 办公章程 holds no 公章."""
    script = """
const fs = require("fs"), worker = require(process.argv[1])
worker.setup(JSON.parse(fs.readFileSync(process.argv[2], "utf-8")), "zh")
const named = q => (worker.search(q).verdict || {}).outside || null
process.stdout.write(JSON.stringify(["公章放在谁那里保管", "开会计划怎么定", "办公章程在哪看", "会计在哪办公"].map(named)))
"""
    outside = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["handbook"]["outside"]
    assert {"公章", "会计"} <= set(outside.split("|"))
    result = subprocess.run(["node", "-e", script, str(REPO / "docs" / "assets" / "javascripts" / "handbook-search.js"),
                             str(built_site / "search" / "search_index.json")], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [["公章"], [], [], ["会计"]]


def test_a_topic_inside_an_everyday_phrase_is_the_clause_s_the_phrase_leads_to(built_site: Path):
    """手机 is an office topic no clause's words hold, but the thesaurus leads 会上玩手机 to the clause on meeting
    discipline: there it is spoken of, elsewhere (手机能带进涉密会议吗) it is not; and a topic holding an everyday phrase
    (加班费, holding 加班) is a topic of its own."""
    script = """
const fs = require("fs"), worker = require(process.argv[1])
worker.setup(JSON.parse(fs.readFileSync(process.argv[2], "utf-8")), "zh")
process.stdout.write(JSON.stringify(process.argv.slice(3).map(q => (worker.search(q).verdict || {}).outside || null)))
"""
    thesaurus = (REPO / "sources" / "thesaurus.yml").read_text(encoding="utf-8")
    assert "会上玩手机" in thesaurus and "加班费" not in thesaurus
    result = subprocess.run(["node", "-e", script, str(REPO / "docs" / "assets" / "javascripts" / "handbook-search.js"),
                             str(edition_index_path(built_site, "zh")), "会上玩手机怎么办", "手机能带进涉密会议吗", "加班有加班费吗"],
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [None, ["手机"], ["加班费"]]


ASK_WORKER = """
const fs = require("fs"), worker = require(process.argv[1])
worker.setup(JSON.parse(fs.readFileSync(process.argv[2], "utf-8")), "zh")
const result = worker.search(process.argv[3])
process.stdout.write(JSON.stringify({ answer: result.verdict.answer, recorded: result.verdict.recorded,
                                      first: result.items[0][0].location }))
"""


def test_a_question_the_editors_record_under_a_clause_is_answered_by_it(tmp_path: Path):
    """The editors' loop (issue 26): a reader's unanswered question, recorded under the clause that answers it in
    sources/search-questions.yml (here under a merged ID), is answered by that clause at the next build, first,
    whatever the verdict's model or the office topics said of it before; typed without its question mark too."""
    from test_revisions import REGISTRY, fixture_project  # noqa: PLC0415 (its fixture site: two clauses, a merged ID)

    question = "开会时手机要静音吗？"
    verdicts = []
    for recorded in ("", f"办会-01:\n  zh: [{question}]\n"):
        project = fixture_project(tmp_path / str(len(verdicts)), REGISTRY)
        (project / "sources" / "office-lexicon.yml").write_text("zh:\n  设备: [手机]\n", encoding="utf-8")
        (project / "sources" / "search-questions.yml").write_text(recorded, encoding="utf-8")
        site = tmp_path / f"site{len(verdicts)}"
        result = run_mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        verdicts.append([json.loads(subprocess.run(
            ["node", "-e", ASK_WORKER, str(REPO / "docs" / "assets" / "javascripts" / "handbook-search.js"),
             str(site / "search" / "search_index.json"), typed], capture_output=True, text=True, check=True).stdout)
            for typed in (question, question.rstrip("？"))])
    assert [v["answer"] for v in verdicts[0]] == ["none", "none"]
    assert verdicts[1] == [{"answer": "clause", "recorded": True, "first": "norms/meetings/#办会-02"}] * 2
