"""Front matter checks, without mkdocs."""

from __future__ import annotations

from pathlib import Path

from handbook.front_matter import front_matter_problems, split_front_matter
from mkdocs.utils.meta import get_data


def test_valid_front_matter_has_no_problem(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert front_matter_problems("p.md", "---\ntitle: 标题\nsource: a.txt\n---\n正文\n", tmp_path) == []
    assert front_matter_problems("p.md", "正文，没有前言\n", tmp_path) == []


def test_broken_yaml_names_its_line(tmp_path: Path):
    [problem] = front_matter_problems("speeches/x.md", "---\ntitle: 标题\ntags: [a, b\nsource: a.txt\n---\n", tmp_path)
    assert str(problem).startswith("docs/speeches/x.md:")
    assert problem.line == 3  # the line that opens the unclosed list
    assert "not valid YAML" in problem.message


def test_unclosed_front_matter(tmp_path: Path):
    [problem] = front_matter_problems("x.md", "---\ntitle: 标题\n正文\n", tmp_path)
    assert (problem.line, "never closed" in problem.message) == (1, True)


def test_speech_source_must_exist(tmp_path: Path):
    [problem] = front_matter_problems("s.md", "---\ntitle: 标题\nsource: missing.txt\n---\n", tmp_path)
    assert str(problem) == (
        "docs/s.md:3: source file sources/missing.txt does not exist; ingest the speech with `make ingest SRC=…`."
    )


def test_speech_needs_a_title(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    [problem] = front_matter_problems("s.md", "---\nsource: a.txt\n---\n", tmp_path)
    assert "lacks title" in problem.message


def test_split_front_matter_reads_as_mkdocs_and_hands_out_copies():
    source = "---\ntitle: 甲\ntags: [a]\n---\n\n# 甲\n\n正文\n"
    assert split_front_matter(source) == get_data(source)
    first = split_front_matter(source)[1]
    first["title"] = "改过"
    assert split_front_matter(source)[1]["title"] == "甲"
    assert split_front_matter("没有前置元数据\n") == get_data("没有前置元数据\n")

