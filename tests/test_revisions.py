"""Issue 16: the registry of published clause IDs, support and scope, generated related lists, the quotation
check and the 修订记录 — unit tests on small corpora, fixture-site builds, and the real site's registry walked
in the built pages of both languages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from conftest import MKDOCS, REPO, make_fixture_site, speech_page
from handbook.model import read_handbook
from handbook.quotations import quotation_problems
from handbook.registry import REGISTRY_FILE, Registry, clause_digest, read_registry, registry_problems, registry_text
from handbook.revisions import changes, current_record, registry_baseline, with_history
from handbook.scopes import scope_problems
from handbook.support import support_of
from lxml import html as lxml_html

SPEECH_A = speech_page("同志们：", "要坚持事不过夜，会议要精简。", "文件要少而精。", short_title="甲讲话", source="a.txt")
SPEECH_B = speech_page("同志们：", "坚持事不过夜，提高效率。", title="在乙会议上的讲话", short_title="乙讲话", source="b.txt")
NORMS = """---
title: 办会
---

# 办会

## 办会-01 精简会议 { #办会-01 }

会议要精简。

适用：长期有效 · 县政府办公室

依据：[@a#p2 "会议要精简"]

## 办会-02 “事不过夜” { #办会-02 }

坚持事不过夜。

适用：长期有效 · 县政府办公室

依据：[@a#p2 "要坚持事不过夜"]；[@b#p2 "坚持事不过夜"]

## 办会-03 文件“少而精”，不搞“文山会海” { #办会-03 }

文件要少而精。

适用：长期有效 · 县政府办公室

依据：[@a#p3 "文件要少而精"]
"""


def model(norms: str = NORMS):
    return read_handbook([("speeches/a.md", SPEECH_A), ("speeches/b.md", SPEECH_B), ("norms/meetings.md", norms)])


def registry_of(text: str, tmp_path: Path) -> tuple[Registry, list]:
    path = tmp_path / "clause-registry.yml"
    path.write_text(text, encoding="utf-8")
    return read_registry(path)


# Registry ----------------------------------------------------------------------


def test_the_registry_written_from_the_pages_holds_every_clause_once(tmp_path: Path):
    clauses = model().clauses
    text, added = registry_text(clauses)
    registry, problems = registry_of(text, tmp_path)
    assert problems == [] and added == ["办会-01", "办会-02", "办会-03"]
    assert {entry.page for entry in registry.entries.values()} == {"norms/meetings.md"}
    assert registry_problems(registry, clauses) == []
    assert registry_text(clauses, registry) == ("", [])  # nothing new: nothing added


def test_the_registry_tool_writes_once_then_only_adds_new_ids(tmp_path: Path, capsys):
    from clause_registry import main

    (tmp_path / "docs" / "norms").mkdir(parents=True)
    (tmp_path / "sources").mkdir()
    (tmp_path / "docs" / "norms" / "meetings.md").write_text(NORMS, encoding="utf-8")
    (tmp_path / "docs" / "norms" / "meetings.en.md").write_text("# Meetings\n", encoding="utf-8")
    assert main(["--write"], repo=tmp_path) == 0
    written = (tmp_path / REGISTRY_FILE).read_text(encoding="utf-8")
    assert written.startswith("# Published clause IDs") and written.count("page: norms/meetings.md") == 3
    edited = written.replace("办会-03:\n", "办会-03:\n  replaced_by: 办会-02\n")
    (tmp_path / REGISTRY_FILE).write_text(edited, encoding="utf-8")
    (tmp_path / "docs" / "norms" / "meetings.md").write_text(
        NORMS + "\n## 办会-04 新条款 { #办会-04 }\n\n文件要少而精。\n\n适用：2020年度任务 · 县政府办公室\n\n依据：[@a#p3 \"文件要少而精\"]\n", encoding="utf-8")
    assert main(["--write"], repo=tmp_path) == 0
    again = (tmp_path / REGISTRY_FILE).read_text(encoding="utf-8")
    assert again.startswith(edited) and again[len(edited):].startswith("办会-04:\n  page: norms/meetings.md")
    assert "1 IDs added, 3 were there" in capsys.readouterr().out


def test_an_id_that_neither_exists_nor_is_mapped_fails_with_the_registry_line(tmp_path: Path):
    text, _ = registry_text(model().clauses)
    registry, _ = registry_of(text + "办会-04:\n  page: norms/meetings.md\n"
                                     "办会-05:\n  page: norms/meetings.md\n  replaced_by: 办会-99\n"
                                     "办会-06:\n  page: norms/meetings.md\n  replaced_by: 办会-02\n", tmp_path)
    problems = registry_problems(registry, model().clauses)
    messages = {problem.line: str(problem) for problem in problems}
    assert len(problems) == 2, messages
    line_4 = text.count("\n") + 1
    assert f"sources/clause-registry.yml:{line_4}: [registry] clause 办会-04" in messages[line_4]
    assert "replaced_by" in messages[line_4]  # says how to fix it
    assert "办会-99, which is not a clause" in messages[line_4 + 2]


def test_a_clause_moved_to_another_page_or_still_present_but_mapped_is_an_error(tmp_path: Path):
    registry, _ = registry_of("办会-01:\n  page: norms/documents.md\n办会-02:\n  page: norms/meetings.md\n"
                              "  replaced_by: 办会-01\n", tmp_path)
    problems = registry_problems(registry, model().clauses)
    assert [problem.line for problem in problems] == [1, 3]
    assert "would break" in problems[0].message and "still heads a clause" in problems[1].message


def test_the_digest_changes_with_the_rule_or_the_citations_only():
    before = {clause.id: clause_digest(clause) for clause in model().clauses}
    reworded = model(NORMS.replace("会议要精简。\n", "会议一定要精简。\n"))
    recited = model(NORMS.replace('依据：[@a#p2 "会议要精简"]', '依据：[@a#p2 "会议要精简"]；[@b#p2 "提高效率"]'))
    noted = model(NORMS.replace("会议要精简。\n", "会议要精简。\n\n说明：编者的话。\n"))
    assert clause_digest(reworded.clauses[0]) != before["办会-01"]
    assert clause_digest(recited.clauses[0]) != before["办会-01"]
    assert clause_digest(noted.clauses[0]) == before["办会-01"]


# Support and scope ---------------------------------------------------------------


def test_support_counts_the_speeches():
    handbook = model()
    supports = {clause.id: support_of(clause, handbook.speeches) for clause in handbook.clauses}
    assert supports["办会-02"].slugs == ("a", "b")
    assert supports["办会-01"].slugs == ("a",)


def test_a_scope_names_known_offices_and_a_translation_states_the_same_scope():
    audiences = {"县政府办公室": "County Government Office", "县委办公室": "County Party Committee Office"}
    chinese = model(NORMS.replace("适用：长期有效 · 县政府办公室\n\n依据：[@a#p3", "适用：2020年度任务 · 县委办公室\n\n依据：[@a#p3"))
    assert scope_problems(chinese.clauses, audiences, "zh") == []
    unknown = model(NORMS.replace("适用：长期有效 · 县政府办公室\n\n依据：[@a#p2 \"会议", "适用：长期有效 · 县政府\n\n依据：[@a#p2 \"会议"))
    [problem] = scope_problems(unknown.clauses, audiences, "zh")
    assert "norms/meetings.md:11: [scope] the scope of 办会-01 names '县政府'" in str(problem)
    english = read_handbook([("norms/meetings.en.md", MERGED_NORMS_EN)], "en", default_language=False)
    by_id = {clause.id: clause for clause in chinese.clauses}
    [problem] = scope_problems(english.clauses, audiences, "en", by_id)  # 办会-03 is 2020's task in Chinese
    assert "[scope] the scope of 办会-03 differs from the Chinese clause's (2020年度任务 · 县委办公室)" in str(problem)
    assert scope_problems(english.clauses, audiences, "en", {clause.id: clause for clause in model().clauses}) == []


# Quotation marks ------------------------------------------------------------------


def test_quoted_words_must_be_in_the_cited_paragraphs():
    handbook = model()
    found = {clause.id: quotation_problems(clause, "norms/meetings.md", handbook.speeches, handbook.terms)
             for clause in handbook.clauses}
    assert found["办会-01"] == [] and found["办会-02"] == []
    (problem,) = found["办会-03"]  # “少而精” is in ¶3; “文山会海” is in no speech
    assert problem.line == NORMS.split("\n").index("## 办会-03 文件“少而精”，不搞“文山会海” { #办会-03 }") + 1
    assert "“文山会海”" in problem.message and problem.rule == "quotation"


def test_a_note_repeating_the_quoted_words_explains_them():
    noted = model(NORMS.replace("文件要少而精。\n", "文件要少而精。\n\n说明：“文山会海”是编者的概括。\n"))
    clause = noted.clauses[2]
    assert quotation_problems(clause, "norms/meetings.md", noted.speeches, noted.terms) == []


# Revisions ------------------------------------------------------------------------


def test_a_plain_build_compares_with_the_registry(tmp_path: Path):
    text, _ = registry_text(model().clauses)
    registry, _ = registry_of(text, tmp_path)
    unchanged = current_record(model().clauses, registry, "v1", "2026-11-29")
    assert changes(registry_baseline(registry), unchanged) == {"added": [], "changed": [], "merged": [], "moved": [], "retired": []}
    merged_norms = NORMS.replace("会议要精简。\n", "会议一定要精简。\n").replace(
        "## 办会-03 文件“少而精”，不搞“文山会海” { #办会-03 }", "## 办会-04 文件少而精 { #办会-04 }")
    registry, _ = registry_of(text.replace("办会-03:\n", "办会-03:\n  replaced_by: 办会-02\n"), tmp_path)
    record = with_history(registry_baseline(registry), current_record(model(merged_norms).clauses, registry, "v2", "d"))
    assert record["history"][0] == {"version": "v2", "date": "d", "since": "", "added": ["办会-04"],
                                         "changed": ["办会-01"], "merged": ["办会-03"], "moved": [], "retired": []}
    # A move is the same rule under a new ID on the page readers look in: listed as moved, not merged.
    registry, _ = registry_of(text.replace("办会-03:\n", "办会-03:\n  replaced_by: 办会-04\n  moved: true\n"), tmp_path)
    record = with_history(registry_baseline(registry), current_record(model(merged_norms).clauses, registry, "v2", "d"))
    assert (record["history"][0]["merged"], record["history"][0]["moved"]) == ([], ["办会-03"])
    assert registry_problems(registry, model(merged_norms).clauses) == []
    moved_nowhere, _ = registry_of(text.replace("办会-03:\n", "办会-03:\n  moved: true\n"), tmp_path)
    assert any("办会-03 is moved but names no clause" in p.message
               for p in registry_problems(moved_nowhere, model(merged_norms).clauses))


def test_a_release_compares_with_the_previous_record_and_keeps_its_history(tmp_path: Path):
    registry = Registry({}, present=False)
    first = with_history(registry_baseline(registry), current_record(model().clauses, registry, "v1", "d1"))
    second = with_history(first, current_record(model().clauses, registry, "v2", "d2"))
    assert second["history"] == first["history"]  # nothing changed: no new entry
    changed = NORMS.replace('依据：[@a#p3 "文件要少而精"]', '依据：[@a#p3 "文件要少而精"]；[@b#p2 "提高效率"]')
    third = with_history(second, current_record(model(changed).clauses, registry, "v3", "d3"))
    assert [entry["version"] for entry in third["history"]] == ["v3", "v1"]  # newest first
    assert third["history"][0]["changed"] == ["办会-03"] and third["history"][0]["since"] == "v2"


# Fixture sites --------------------------------------------------------------------

ENGLISH_SPEECH_A = speech_page("Comrades:", "We must keep to no business left overnight; meetings must be streamlined.",
                               "Documents must be few and refined.", title="Speech A", short_title="Speech A",
                               source="a.txt")
ENGLISH_SPEECH_B = speech_page("Comrades:", "Keep to no business left overnight; raise efficiency.", title="Speech B",
                               short_title="Speech B", source="b.txt")
MERGED_NORMS = """---
title: 办会
---

# 办会

## 办会-02 事不过夜 { #办会-02 }

坚持事不过夜，会议要精简。

适用：长期有效 · 县政府办公室

依据：[@a#p2 "要坚持事不过夜" "会议要精简"]；[@b#p2 "坚持事不过夜"]

## 办会-03 文件少而精 { #办会-03 }

文件要少而精。

适用：长期有效 · 县政府办公室

依据：[@a#p3 "文件要少而精"]
"""
MERGED_NORMS_EN = """---
title: Meetings
---

# Meetings

## 办会-02 No business left overnight { #办会-02 }

Keep to no business left overnight; streamline meetings.

Scope: Standing · County Government Office

Basis: [@a#p2 "no business left overnight" "meetings must be streamlined"]; [@b#p2 "no business left overnight"]

## 办会-03 Few and refined documents { #办会-03 }

Documents must be few and refined.

Scope: Standing · County Government Office

Basis: [@a#p3 "Documents must be few and refined"]
"""
REGISTRY = """办会-01:
  page: norms/meetings.md
  replaced_by: 办会-02
办会-02:
  page: norms/meetings.md
  digest: 'not-today'
办会-03:
  page: norms/meetings.md
  digest: '{digest}'
"""


def fixture_project(tmp_path: Path, registry: str) -> Path:
    handbook = read_handbook([("speeches/a.md", SPEECH_A), ("speeches/b.md", SPEECH_B), ("norms/meetings.md", MERGED_NORMS)])
    pages = {"index.md": "# 首页\n", "speeches/a.md": SPEECH_A, "speeches/b.md": SPEECH_B, "norms/meetings.md": MERGED_NORMS,
             "speeches/a.en.md": ENGLISH_SPEECH_A, "speeches/b.en.md": ENGLISH_SPEECH_B,
             "norms/meetings.en.md": MERGED_NORMS_EN, "revisions.md": (REPO / "docs" / "revisions.md").read_text(),
             "revisions.en.md": (REPO / "docs" / "revisions.en.md").read_text()}
    sources = {"a.txt": "x", "b.txt": "x", "non-normative.yml": "a:\n  1: 称呼\nb:\n  1: 称呼\n",
               "clause-registry.yml": registry.format(digest=clause_digest(handbook.clauses[1]))}
    return make_fixture_site(tmp_path, pages, sources)


def build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    command = [*MKDOCS, "build", "--strict", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml")]
    return subprocess.run(command, cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})


def element(site: Path, page: str, anchor: str):
    root = lxml_html.parse(str(site / page)).getroot()
    found = root.xpath(f'//*[@id="{anchor}"]')
    return found[0] if found else None


def test_a_merged_id_resolves_in_both_languages_and_the_revisions_page_lists_the_changes(tmp_path: Path):
    project = fixture_project(tmp_path, REGISTRY)
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    for prefix, formerly in (("", "原编号：办会-01"), ("en/", "Formerly 办会-01")):
        old = element(site, f"{prefix}norms/meetings/index.html", "办会-01")
        assert old is not None and old.tag == "li"
        assert [unquote(a.get("href")) for a in old.xpath(".//a")] == ["./#办会-02"]
        clause_text = lxml_html.parse(str(site / f"{prefix}norms/meetings/index.html")).getroot().text_content()
        assert formerly in clause_text
        revisions = lxml_html.parse(str(site / f"{prefix}revisions/index.html")).getroot()
        links = [unquote(a.get("href")) for a in revisions.xpath('//article//a[contains(@href, "norms")]')]
        # 办会-02 changed (its digest is not today's), 办会-01 merged into it; 办会-03 is unchanged
        assert "../norms/meetings/#办会-02" in links and "../norms/meetings/#办会-01" in links
        assert not any(link.endswith("#办会-03") for link in links)
    support = element(site, "norms/meetings/index.html", "办会-02").getparent()
    assert "见于 2 篇讲话：甲讲话、乙讲话" in support.text_content()
    record = json.loads((site / "clause-record.json").read_text(encoding="utf-8"))
    assert set(record["clauses"]) == {"办会-02", "办会-03"} and record["replaced"] == {"办会-01": "办会-02"}
    # Search finds the clause by its old ID (原编号 is in its indexed text), not by the support line.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(doc for doc in index["docs"] if doc["location"] == "norms/meetings/#办会-02")
    assert "办会-01" in entry["text"] and "见于" not in entry["text"]

    # The next release compares with this one's record: nothing changed since, the history is kept.
    again = build(project, tmp_path / "site2", HANDBOOK_PREVIOUS_RECORD=str(site / "clause-record.json"))
    assert again.returncode == 0, again.stderr
    second = json.loads((tmp_path / "site2" / "clause-record.json").read_text(encoding="utf-8"))
    assert second["history"] == record["history"]


def test_an_unmapped_registry_id_fails_the_build_with_the_registry_line(tmp_path: Path):
    project = fixture_project(tmp_path, REGISTRY.replace("  replaced_by: 办会-02\n", ""))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "sources/clause-registry.yml:1: [registry] clause 办会-01 (published on norms/meetings.md) no longer exists" \
        in result.stderr
    assert "Traceback" not in result.stderr


# The real site -------------------------------------------------------------------


def live_ids() -> list[str]:
    """The registered IDs that still head a clause (neither merged nor retired)."""
    registry, _ = read_registry(REPO / REGISTRY_FILE)
    return [entry.id for entry in registry.entries.values() if not entry.replaced_by and not entry.retired]


def test_every_registered_id_resolves_in_both_languages(built_site: Path):
    registry, problems = read_registry(REPO / REGISTRY_FILE)
    assert problems == [] and len(registry.entries) >= 153
    missing = []
    for entry in registry.entries.values():
        page = entry.page[: -len(".md")] + "/index.html"
        for prefix in ("", "en/"):
            found = element(built_site, prefix + page, entry.id)
            if found is None:
                missing.append(f"{prefix}{entry.page}#{entry.id}")
            elif entry.replaced_by:  # the old ID's item on its old page links to the clause that holds the rule now
                targets = [unquote(href).rpartition("#")[2] for href in found.xpath(".//a/@href")]
                if targets != [entry.replaced_by]:
                    missing.append(f"{prefix}{entry.page}#{entry.id} links to {targets}, not {entry.replaced_by}")
    assert missing == []
    assert sum(bool(entry.replaced_by) for entry in registry.entries.values()) >= 11  # issue 16's merges


def test_every_clause_shows_its_support_and_its_scope_in_both_languages(built_site: Path):
    handbook_ids = yaml.safe_load((REPO / REGISTRY_FILE).read_text(encoding="utf-8"))
    shown, scopes = 0, {}
    for page in sorted({entry["page"] for entry in handbook_ids.values()}):
        for prefix, label, standing, task in (("", "篇讲话：", "适用：长期有效 · ", "适用：2020年度任务 · "),
                                              ("en/", "Held in", "Scope: Standing · ", "Scope: Task for 2020 · ")):
            root = lxml_html.parse(str(built_site / prefix / page.replace(".md", "/index.html"))).getroot()
            lines = root.xpath('//p[contains(@class, "hb-support")]')
            assert all(label in line.text_content() for line in lines)
            shown += len(lines)
            for line in root.xpath('//p[contains(@class, "hb-scope")]'):
                clause_id = line.xpath("preceding::*[self::h2 or self::h3][1]/@id")[0]
                expected = standing if line.get("data-scope") == "standing" else task
                assert line.text_content().startswith(expected), (prefix, clause_id, line.text_content())
                assert line.get("data-search-exclude") is not None
                scopes.setdefault(clause_id, []).append(line.get("data-scope"))
    assert shown == 2 * len(live_ids())
    assert sorted(scopes) == sorted(live_ids())  # every clause has one, in both languages, and the same one
    assert all(len(kinds) == 2 and kinds[0] == kinds[1] for kinds in scopes.values())
    # Standing rules read as standing however their sources are dated (issue 25): 严禁酒后驾驶 is no year's task.
    assert scopes["后勤-18"][0] == "standing"
    assert {kind for kinds in scopes.values() for kind in kinds} == {"standing", "task-2020"}


def test_the_related_lists_are_generated_with_each_languages_titles(built_site: Path):
    root = lxml_html.parse(str(built_site / "en" / "principles" / "shi-bu-guo-ye" / "index.html")).getroot()
    heading = root.xpath('//h2[@id="related-norms"]')[0]
    items = heading.getnext().xpath("./li")
    assert items and all(not any("\u4e00" <= ch <= "\u9fff" for ch in item.text_content().split(" ", 1)[1])
                         for item in items)


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_norms_index_offers_every_clause_each_scope_or_those_held_across_speeches(built_site: Path, language: str):
    root = lxml_html.parse(str(built_site / language / "norms" / "index.html")).getroot()
    section = root.xpath('//section[contains(@class, "hb-clause-list")]')[0]
    assert section.get("data-search-exclude") is not None
    every, standing, task, shared = section.xpath('.//div[contains(@class, "tabbed-block")]')
    labels = [label.text_content() for label in section.xpath('.//div[@class="tabbed-labels"]/label')]
    assert labels[1].startswith("长期有效" if not language else "Standing")
    assert labels[2].startswith("2020年度任务" if not language else "Task for 2020")
    assert len(every.xpath(".//tbody/tr")) == len(live_ids()) > len(shared.xpath(".//tbody/tr")) > 0
    rows = {"standing": standing.xpath(".//tbody/tr"), "task": task.xpath(".//tbody/tr")}
    assert len(rows["standing"]) + len(rows["task"]) == len(live_ids())
    # Each row names its scope in the second column, so the tabs filter by what the clause's own line says.
    assert all(row.xpath("./td")[1].text_content().startswith(labels[2].split("（")[0].split(" (")[0])
               for row in rows["task"])
