"""The benchmark's own parts: the synthetic corpus, the timed build, measured children, the table.

No timing is asserted here (speed targets are printed by `make bench`); these check that the
benchmark measures what it says it measures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_fixture_site, run_mkdocs_build, speech_page
from handbook.grammar import CLAUSE_ID

sys.path.insert(0, str(REPO / "tools"))
from bench_build import ALL_HOOKS, configured_hooks, measure_build  # noqa: E402
from bench_corpus import (  # noqa: E402
    MAX_COPIES,
    clause_tag,
    copied_non_normative,
    dedup_seconds,
    measure_corpus,
    rewrite_norm_page,
    write_corpus,
)
from bench_load import load_figures, lua_script, path_mix  # noqa: E402
from bench_pdf import EDITIONS, LANGUAGES, pdf_runs  # noqa: E402
from bench_web import sent_bytes  # noqa: E402
from benchkit import median, run_measured, table_lines  # noqa: E402


def test_clause_tags_keep_ids_valid_and_unique():
    tags = [clause_tag(copy) for copy in range(1, MAX_COPIES)]
    assert len(set(tags)) == MAX_COPIES - 1
    assert all(CLAUSE_ID.match(f"保密{tag}-01") for tag in tags)
    for outside in (0, MAX_COPIES):
        with pytest.raises(ValueError):
            clause_tag(outside)


def test_a_copied_norm_page_cites_its_own_speech_copies_under_new_ids():
    page = ('### 保密-01 标题 { #保密-01 }\n\n依据：[@speech-a#p4 "要保密"]；[@elsewhere#p2 "别的"]\n\n'
            '### 保密-10 另一条 { #保密-10 }\n\n见保密-01。[@speech-a#p5 "再保密"]\n')
    copied = rewrite_norm_page(page, 7, {"speech-a"}, ["保密-01", "保密-10"])
    assert copied == ('### 保密零七-01 标题 { #保密零七-01 }\n\n依据：[@speech-a-x07#p4 "要保密"]；[@elsewhere#p2 "别的"]\n\n'
                      '### 保密零七-10 另一条 { #保密零七-10 }\n\n见保密零七-01。[@speech-a-x07#p5 "再保密"]\n')


def test_non_normative_paragraphs_are_listed_for_every_copy():
    source = "speech-a:\n  1: {zh: 称呼, en: salutation}\n"
    listed = __import__("yaml").safe_load(copied_non_normative(source, ["speech-a"], 3))
    assert set(listed) == {"speech-a", "speech-a-x01", "speech-a-x02"}
    assert listed["speech-a-x02"] == {1: {"zh": "称呼", "en": "salutation"}}


def test_the_10x_corpus_builds_strict_with_10x_the_speech_paragraphs(tmp_path):
    single = measure_corpus(REPO, 1)
    project = tmp_path / "corpus"
    size = write_corpus(project, 10)
    assert size.speech_paragraphs == 10 * single.speech_paragraphs > 0
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    # Copy 7 of a norm page links to copy 7 of the speech it cites, under its own clause IDs.
    built = (tmp_path / "site" / "norms" / "secrecy-x07" / "index.html").read_text(encoding="utf-8")
    assert "speeches/county-party-office-integrity-x07/#p6" in built
    assert 'id="保密零七-01"' in built


def test_static_i18n_search_dedup_removes_nothing_from_our_index(built_site: Path):
    # The scale corpora switch it off (it is quadratic); that is only fair if it changes nothing.
    sections, removed, _ = dedup_seconds(built_site)
    assert sections > 1000
    assert removed == 0


def test_a_timed_build_reports_every_hook_and_none_without_hooks(tmp_path):
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "speeches/a.md": speech_page(source="a.txt")},
                                sources={"a.txt": "在测试会议上的讲话\n同志们：\n要做好测试工作。\n",
                                         "non-normative.yml": "a:\n  1: 称呼\n  2: 测试\n"})
    config = project / "mkdocs.yml"
    with_hooks = measure_build(config, tmp_path / "site-hooks")
    assert {name.partition(":")[0] for name in with_hooks.hook_seconds} == set(configured_hooks(config))
    # The pipeline's features are timed one by one (hooks/pipeline.py calls them from lists).
    assert {"hooks/pipeline.py:render_page_citations", "hooks/pipeline.py:check_links"} <= set(with_hooks.hook_seconds)
    assert (tmp_path / "site-hooks" / "speeches" / "a" / "index.html").is_file()
    without = measure_build(config, tmp_path / "site-plain", ALL_HOOKS)
    assert without.hook_seconds == {}
    # Without the paragraph hook the speech has no #p anchors: the hooks really were off.
    assert 'id="p2"' in (tmp_path / "site-hooks" / "speeches" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'id="p2"' not in (tmp_path / "site-plain" / "speeches" / "a" / "index.html").read_text(encoding="utf-8")


def test_a_measured_child_reports_its_exit_and_peak_memory():
    megabytes = 64
    result = run_measured([sys.executable, "-c", f"b = bytearray({megabytes} * 2**20); print('done'); raise SystemExit(3)"])
    assert result.returncode == 3
    assert result.stdout.strip() == "done"
    assert result.peak_rss_bytes >= megabytes * 2**20


STUB_PDF_SCRIPT = """
import argparse, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("site", type=pathlib.Path)
parser.add_argument("--language", choices=["zh", "en"], required=True)
parser.add_argument("--edition", choices=["handbook", "onboarding"], required=True)
parser.add_argument("--output", type=pathlib.Path, required=True)
args = parser.parse_args()
assert (args.site / "index.html").is_file()
if args.edition == "onboarding" and args.language == "en":
    raise SystemExit("no English onboarding yet")
args.output.write_bytes(b"%PDF-1.7 stub")
print(f"{args.output}: 12 pages, 13 bytes, 0.1 s")
"""


def test_pdf_part_runs_every_edition_and_language_through_the_cli(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>", encoding="utf-8")
    assert pdf_runs(site, tmp_path, tmp_path / "absent.py") is None
    script = tmp_path / "build_pdf.py"
    script.write_text(STUB_PDF_SCRIPT, encoding="utf-8")
    runs = pdf_runs(site, tmp_path, script)
    assert [(run.edition, run.language) for run in runs] == [(e, lang) for e in EDITIONS for lang in LANGUAGES]
    failed = [run for run in runs if not run.ok]
    assert [(run.edition, run.language, run.error) for run in failed] == [("onboarding", "en", "no English onboarding yet")]
    assert all(run.pages == 12 and run.pdf_bytes == 13 and run.peak_rss_bytes > 0 for run in runs if run.ok)


def test_text_is_counted_gzip_compressed_and_images_as_they_are():
    text = ("办公室工作规范 " * 500).encode("utf-8")
    assert sent_bytes(text, "text/html; charset=utf-8") < len(text) / 10
    assert sent_bytes(text, "image/svg+xml") < len(text) / 10
    assert sent_bytes(text, "image/png") == len(text)


def test_median_and_table():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([1.0, 2.0]) == 1.5
    assert json.dumps(median([])) == "NaN"
    table = table_lines(("a", "b"), [("1", "x | y")])
    assert table.split("\n") == ["| a | b |", "|---|---|", "| 1 | x \\| y |"]


def test_load_figures_are_read_from_the_lua_summary_line():
    output = ("Running 10s test @ http://127.0.0.1:8080/\n  2 threads and 16 connections\n"
              "HANDBOOK-LOAD requests=5000 duration_us=10000000 bytes=800000000 p50_us=2500 p99_us=41000 max_us=90000 "
              "ok=4600 not_found=380 unexpected=20 gzipped=4200 connect=0 read=3 write=0 timeout=2 status=400\n")
    figures = load_figures(output)
    assert figures.requests_per_second == 500.0 and (figures.p50_ms, figures.p99_ms) == (2.5, 41.0)
    assert (figures.ok, figures.not_found, figures.unexpected, figures.socket_errors) == (4600, 380, 20, 5)
    with pytest.raises(ValueError, match="no HANDBOOK-LOAD line"):
        load_figures("unable to connect to 127.0.0.1:8080 Connection refused\n")


def test_load_mix_spreads_pages_over_both_languages_and_adds_index_pdf_and_404(tmp_path: Path):
    for directory in ["", "en", "norms/a", "en/norms/a", "speeches/b", "en/speeches/b"]:
        (tmp_path / directory).mkdir(parents=True, exist_ok=True)
        (tmp_path / directory / "index.html").write_text("x", encoding="utf-8")
    paths = path_mix(tmp_path, pages=3)
    assert paths == ["/", "/en/norms/a/", "/norms/a/", "/search/search_index.json", "/downloads/handbook-zh.pdf",
                     "/no-such-page/"]
    assert 'local paths = {"/", "/en/norms/a/", "/norms/a/", ' in lua_script(paths)


def test_a_served_directory_stays_up_and_a_failed_part_keeps_its_row_on_one_line(tmp_path):
    import gc
    import urllib.request

    from benchkit import serve, table_lines

    (tmp_path / "index.html").write_text("ok", encoding="utf-8")
    url = serve(tmp_path)
    gc.collect()  # nothing of the server may depend on an object the caller does not keep
    assert urllib.request.urlopen(url, timeout=5).read() == b"ok"
    assert table_lines(None, [("Search", "failed", "Error: refused\nCall log:\n  - navigating")]) == \
        "| Search | failed | Error: refused Call log: - navigating |"
