"""No traceback, ever: arbitrary editor input into every parser it reaches returns a result or a
problem naming file and line, and never raises anything else (hypothesis, bounded; see conftest.py).

Each test imports the parser it feeds from where it lives now (hooks/handbook/…), so the imports are
the only lines to change when the parsers move.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, speech_page
from handbook.citations import render_citations
from handbook.clauses import mark_clause_ids
from handbook.drafts import read_drafts
from handbook.front_matter import front_matter_problems, split_front_matter
from handbook.grammar import scan
from handbook.ingest import IngestError, Rules, clean, ingest
from handbook.labels import label_table
from handbook.model import duplicate_clause_problems, read_handbook
from handbook.principles import Matcher, term_of
from handbook.problems import Problem
from handbook.secrecy import find, normalise
from handbook.settings import SETTINGS, read_settings
from handbook.source_files import read_source
from hypothesis import assume, example, given
from hypothesis import strategies as st

# Pieces an editor's text is made of: Chinese and ASCII words, Markdown and YAML syntax, the grammar's
# own marks (citations, clause headings, speech markers), numbers in every width, and odd characters.
PIECES = st.sampled_from([
    "---", "...", "\n", "\n\n", "  ", "\t", ": ", "：", "- ", "[", "]", "{", "}", "{ #", "#", "##", "###", '"', "'", "「", "」",
    "[@", "#p", "[@t#p1 ", '"做好测试工作"', "]", "办文-", "保密-01", "-0", "01", "99999999999999999999", "０１２",
    "title:", "source:", "term:", "variants:", "summary:", "密级:", "同志们：", "在测试会议上的讲话", "一、", "（一）",
    "<!-- speech:start -->", "<!-- speech:end -->", "```", "~~~", "|", "\\", "*", "&", "<", ">", "\x00", "\ufeff", "\u200b",
    "\r", "\r\n", "\u2028", "办公室", "要", "，", "。", "、", "x" * 80, "𝟏", "①",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
# YAML values of every type an editor can write by mistake (a list where text belongs, a number, null, …).
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), PIECES),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), PIECES), children, max_size=4)),
    max_leaves=12,
)
FIELDS = st.dictionaries(st.sampled_from(["title", "source", "term", "variants", "summary", "密级", "tags", "reading_path",
                                          "translation", "short_title", "slug", "year"]), YAML_VALUES, max_size=6)


def front_matter_text(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n"


def assert_problems(problems, path: str | None = None) -> None:
    for problem in problems:
        assert isinstance(problem, Problem) and problem.line >= 0 and problem.message
        if path is not None:
            assert problem.path == path


# --- front matter ------------------------------------------------------------------------------------

@given(TEXT, TEXT)
def test_front_matter_of_any_text(front, body):
    source = f"---\n{front}\n---\n{body}"
    split_front_matter(source)
    assert_problems(front_matter_problems("a.md", source, REPO / "sources"), "a.md")


@given(FIELDS, TEXT)
@example({"title": True, "source": {"": [None], "x": {"保密-01": -1}}}, "")  # found: OSError, file name too long
@example({"title": "甲", "source": "a\x00b"}, "")
def test_front_matter_fields_of_any_type(fields, body):
    source = front_matter_text(fields) + body
    _, meta = split_front_matter(source)
    assert_problems(front_matter_problems("a.md", source, REPO / "sources"), "a.md")
    assert_problems(front_matter_problems("a.md", source, REPO / "sources", parsed=meta), "a.md")


# --- the citation and clause grammar --------------------------------------------------------------------

ZH = label_table("zh")


@given(TEXT)
def test_citations_in_any_text(markdown):
    """Any page text read into the model: citations located and checked once, rendered without raising."""
    handbook = read_handbook([("speeches/t.md", speech_page()), ("norms/a.md", "---\ntitle: x\n---\n" + markdown)], "zh")
    page = handbook.pages["norms/a.md"]
    assert all(citation.line > page.offset for citation in handbook.citations_of("norms/a.md"))
    assert_problems([p for p in handbook.problems if p.path == "norms/a.md"], "norms/a.md")
    assert isinstance(render_citations(page.body, page, handbook, ZH, lambda citation: f"t/#p{citation.number}"), str)


@given(TEXT)
def test_clauses_in_any_text(markdown):
    found = scan(markdown, "norms/a.md", 2)
    assert_problems(found.problems, "norms/a.md")
    assert_problems(duplicate_clause_problems(found.clauses + found.clauses), "norms/a.md")
    assert all(clause.line > 2 for clause in found.clauses)
    mark_clause_ids(markdown)


# --- ingest of a speech file ------------------------------------------------------------------------------

@given(TEXT)
def test_clean_any_speech_text(raw):
    try:
        speech = clean(raw, Rules(ad_markers=["会员群", "免责声明"]), "x.txt")
    except IngestError as error:
        assert str(error).startswith("x.txt:") and str(error).split(":")[1].isdigit()
    else:
        assert speech.lines


@pytest.fixture(scope="module")
def ingest_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    (repo / "sources").mkdir()
    (repo / "docs" / "speeches").mkdir(parents=True)
    (repo / "sources" / "ingest-rules.yml").write_text((REPO / "sources" / "ingest-rules.yml").read_text("utf-8"), "utf-8")
    return repo


@given(raw=st.one_of(TEXT, TEXT.map(lambda text: "同志们：\n" + text)), registry=YAML_VALUES,
       encoding=st.sampled_from(["utf-8", "utf-16", "gb18030", "latin-1"]))
@example(raw="同志们：\n", registry=True, encoding="utf-8")  # found: AttributeError, 'bool' object has no attribute 'get'
@example(raw="同志们：\n要做好测试工作。", registry={"slug": "../../escape"}, encoding="utf-8")
def test_ingest_any_file_with_any_registry(ingest_repo, raw, registry, encoding):
    source = ingest_repo / "incoming" / "speech.txt"
    source.parent.mkdir(exist_ok=True)
    try:
        source.write_bytes(raw.encode(encoding))
    except UnicodeEncodeError:
        assume(False)
    (ingest_repo / "sources" / "speeches.yml").write_text(yaml.safe_dump({"speech.txt": registry}, allow_unicode=True), "utf-8")
    try:
        page, speech = ingest(source, ingest_repo)
    except IngestError as error:
        location = str(error).split(": ", 1)[0]
        assert location.rsplit(":", 1)[-1].isdigit(), str(error)
    else:
        assert page.is_file() and speech.lines


@given(data=st.one_of(st.binary(max_size=200), TEXT.map(lambda text: text.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".docx", ".doc", ""]))
@example(data=b"\xff\xfe\x00\xd8", suffix=".txt")  # UTF-16 with a lone surrogate
def test_read_any_bytes_as_a_speech_file(tmp_path_factory, data, suffix):
    """Any file given to `make ingest SRC=…`: its text, or one line naming the file and a line."""
    path = tmp_path_factory.mktemp("raw") / f"speech{suffix}"
    path.write_bytes(data)
    try:
        source = read_source(path)
    except IngestError as error:
        message = str(error)
        assert message.startswith(f"{path}:") and message[len(str(path)) + 1:].split(":")[0].isdigit(), message
        assert "\n" not in message
    else:
        assert isinstance(source.text, str) and source.read_as


@given(registry=st.one_of(TEXT, YAML_VALUES.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
                         st.fixed_dictionaries({"status": YAML_VALUES}).map(
                             lambda entry: yaml.safe_dump({"speech.txt": entry}, allow_unicode=True))))
@example(registry="speech.txt:\n  status: [draft]\n")
def test_drafts_from_any_registry(ingest_repo, registry):
    """The build reads sources/speeches.yml for `status: draft`: a problem naming its line, or the drafts."""
    (ingest_repo / "sources" / "speeches.yml").write_text(registry, "utf-8")
    drafts, problems = read_drafts(ingest_repo)
    assert_problems(problems, "../sources/speeches.yml")
    assert all(isinstance(line, int) and line >= 1 for line in drafts.values())


# --- principle forms ------------------------------------------------------------------------------------

@given(FIELDS, TEXT)
@example({"title": None, "source": None, "variants": True}, "")  # found: TypeError, 'bool' object is not iterable
def test_principle_page_with_any_front_matter(fields, text):
    source = front_matter_text({**fields, "term": fields.get("term", "坚持")}) + "# 甲\n"
    term = term_of("principles/a.md", split_front_matter(source)[1])
    if term is not None:
        Matcher([term]).find(text)
    assert_problems(front_matter_problems("principles/a.md", source, REPO / "sources"), "principles/a.md")


# Regressions of the crashes found above: each input now gets a problem naming file and line.

def test_a_speech_source_that_is_no_file_name_is_a_problem_not_an_oserror():
    source = "---\ntitle: 甲\nsource:\n  x: [1, 2]\n---\n"
    [problem] = front_matter_problems("speeches/a.md", source, REPO / "sources")
    assert (problem.line, problem.message.split(" (")[0]) == (3, "source must be the file name of the speech in sources/")


def test_variants_that_are_no_list_are_a_problem_and_no_crash():
    source = "---\nterm: 坚持\nvariants: true\nsummary: [a]\n---\n# 甲\n"
    assert term_of("principles/a.md", split_front_matter(source)[1]).variants == ()
    assert [(p.line, p.message.split(" ")[0]) for p in front_matter_problems("principles/a.md", source, REPO / "sources")] == [
        (3, "variants"), (4, "summary")]
    # a single wording is one variant, not one per character
    assert term_of("principles/a.md", split_front_matter("---\nterm: 坚持\nvariants: 始终坚持\n---\n")[1]).variants == ("始终坚持",)


@pytest.mark.parametrize("registry, expected", [
    ("speech.txt: true\n", "sources/speeches.yml:1: the entry for speech.txt must be a mapping"),
    ("- speech.txt\n", "sources/speeches.yml:1: must map each source file name"),
    ("x.txt: {}\nspeech.txt:\n  slug: ../../escape\n", "sources/speeches.yml:2: speech.txt: slug '../../escape' must be"),
    ("speech.txt:\n  notes: 一条说明\n", "sources/speeches.yml:1: speech.txt: notes must be a list"),
    ("speech.txt: [\n", "sources/speeches.yml:2: not valid YAML"),
])
def test_a_malformed_registry_entry_stops_ingest_naming_its_line(ingest_repo, registry, expected):
    source = ingest_repo / "incoming" / "speech.txt"
    source.parent.mkdir(exist_ok=True)
    source.write_text("同志们：\n要做好测试工作。\n", "utf-8")
    (ingest_repo / "sources" / "speeches.yml").write_text(registry, "utf-8")
    with pytest.raises(IngestError, match=re.escape(expected)):
        ingest(source, ingest_repo)


@pytest.mark.parametrize("value, expected", [
    ("links", "mkdocs.yml:3: [settings] extra.handbook must be a mapping of sections"),
    ({"principles": ["every"]}, "mkdocs.yml:4: [settings] extra.handbook.principles must be a mapping of options"),
])
def test_malformed_settings_stop_the_build_naming_the_line(value, expected):
    config_text = yaml.safe_dump({"site_name": "x", "extra": {"handbook": value}}, sort_keys=False)
    _, [problem] = read_settings({"handbook": value}, config_text)
    assert str(problem).startswith(expected)


@given(YAML_VALUES)
def test_settings_of_any_value(value):
    settings, problems = read_settings({"handbook": value}, "extra:\n  handbook:\n")
    assert set(settings) == set(SETTINGS)
    assert_problems(problems, "../mkdocs.yml")


@given(st.lists(st.lists(TEXT, min_size=1, max_size=3), max_size=4), TEXT)
def test_matcher_of_any_forms(forms, text):
    from handbook.principles import Term

    terms = [Term(f"principles/{i}.md", f[0], tuple(f[1:]), "", f[0]) for i, f in enumerate(forms)]
    for match in Matcher(terms).find(text):
        assert 0 <= match.start <= match.end <= len(text)


# --- settings (mkdocs.yml extra.handbook) --------------------------------------------------------------

@given(YAML_VALUES, YAML_VALUES)
def test_settings_of_any_shape(value, option):
    """Any extra.handbook, and any value of a real option: defaults or a problem naming mkdocs.yml, never a raise."""
    config_text = yaml.safe_dump({"site_name": "x", "extra": {"handbook": value}}, allow_unicode=True)
    for handbook in (value, {"principles": {"link": option}}, {"downloads": {"pdf": option}}, {"integrity": option}):
        settings, problems = read_settings({"handbook": handbook}, config_text)
        assert set(settings) == set(SETTINGS)
        assert_problems(problems, "../mkdocs.yml")


# --- the 保密 gate's normalisation ------------------------------------------------------------------------

@given(TEXT)
def test_gate_positions_are_true_to_the_source(text):
    normal = normalise(text)
    for index, char in enumerate(normal.text):
        source = text[normal.source_index(index)]
        # as it is, or folded (a spelled-out numeral folds only three in a row: tripled, it does)
        assert char in (normalise(source).text, normalise(source * 3).text[0])
    for finding in find(text):
        lines = text.split("\n")
        assert lines[finding.line - 1][finding.column - 1:].startswith(finding.text.split("\n")[0])
