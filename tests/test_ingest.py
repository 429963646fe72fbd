"""Ingestion: advertising dropped, every other line verbatim, headings from the speech's own numbering."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, seed_files
from handbook.ingest import IngestError, Rules, clean, front_matter, ingest, occasion_of
from mkdocs.utils.meta import get_data

RULES = Rules.load(REPO / "sources" / "ingest-rules.yml")

# Line numbers (1-based) of the advertising and disclaimer lines in each seed file.
EXPECTED_DROPPED = {
    "000_d5175bd5635a341e.txt": [],
    "001_efc65934385781aa.txt": [1, 2, 3, 4, 5, 7, 8, 9],
    "002_85a4a743d5241472.txt": [1],
    "003_5a37d1547815d936.txt": [],
    "004_9135a42bee387a85.txt": [],
}

EXPECTED_HEADINGS = {
    "000_d5175bd5635a341e.txt": ["## 一、争做政治坚定的忠诚哨兵。", "## 二、争做勤勉敬业的参谋助手。",
                                 "## 三、争做素质过硬的业务骨干。", "## 四、争做作风优良的廉政模范。"],
    "001_efc65934385781aa.txt": ["## 一要坚守信念，忠诚为先。", "## 二要胸怀大局，服务发展。", "## 三要勇于担当，恪尽职守。",
                                 "## 四要淡泊名利，甘于奉献。", "## 五要严于自律，清白做人。"],
    "002_85a4a743d5241472.txt": [
        "## 一、团结拼搏实干，2019年工作取得新成绩", "## 二、确立更高标准，扎实做好今年重点工作",
        "### （一）强化顶层设计，积极参与政务，持续提升服务大局能力",
        "### （二）当好参谋助手，全力掌管事务，持续提升督导落实能力",
        "#### 1、完善工作机制。", "#### 2、狠抓工作落实。", "#### 3、坚持依法行政。",
        "### （三）加强后勤保障，确保高质量提供服务，持续提升政务运行能力",
        "## 三、勇于创先争优，进一步树立办公室形象", "### （一）要注重党性，提升党建水平",
        "### （二）要注重学习，提升素质能力", "### （三）要注重团结，形成工作合力", "### （四）要注重作风，做到高效为民",
        "### （五）要注重细节，力争工作完美", "### （六）要注重廉洁，树立良好形象"],
    "003_5a37d1547815d936.txt": ["## 第一，要永葆政治忠诚。", "## 第二，要弘扬严实作风。", "## 第三，要锤炼过硬本领。",
                                 "## 第四，要严明纪律规矩。"],
    "004_9135a42bee387a85.txt": [
        "## 一、要进一步增强参谋服务的主动性。", "## 二、要进一步增强协调服务的实效性。",
        "## 三、要进一步增强日常服务的规范性。", "## 四、要进一步增强督查服务的权威性。",
        "### （一）要忠诚可靠，经得起政治考验。", "### （二）要业务精湛，挑得起服务重担。",
        "### （三）要作风扎实，经得起群众检验。", "### （四）要公正廉洁，抗得住各种诱惑。",
        "### （五）要甘于奉献，耐得住艰苦寂寞。"],
}


def test_every_seed_has_expectations():
    assert [seed.name for seed in seed_files()] == sorted(EXPECTED_DROPPED)


@pytest.mark.parametrize("seed", seed_files(), ids=lambda p: p.name[:3])
def test_clean_keeps_every_speech_line_verbatim_and_drops_exactly_the_ads(seed: Path):
    raw = seed.read_text(encoding="utf-8")
    speech = clean(raw, RULES, seed.name)
    numbered = list(enumerate(raw.splitlines(), start=1))
    expected_dropped = EXPECTED_DROPPED[seed.name]
    assert [number for number, _ in speech.dropped] == expected_dropped
    expected_kept = [line for number, line in numbered if line.strip() and number not in expected_dropped]
    assert ([speech.title] if speech.title else []) + speech.lines == expected_kept


@pytest.mark.parametrize("seed", seed_files(), ids=lambda p: p.name[:3])
def test_ingest_reproduces_the_committed_page_with_the_speech_headings(seed: Path, tmp_path: Path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "docs" / "speeches").mkdir(parents=True)
    for name in ("ingest-rules.yml", "speeches.yml"):
        (tmp_path / "sources" / name).write_bytes((REPO / "sources" / name).read_bytes())
    page, _ = ingest(seed, tmp_path)
    committed = REPO / "docs" / "speeches" / page.name
    assert page.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{committed} differs from what `make ingest` produces: re-run it instead of editing the page by hand"
    )
    assert (tmp_path / "sources" / seed.name).read_bytes() == seed.read_bytes()
    assert (REPO / "sources" / seed.name).read_bytes() == seed.read_bytes()
    headings = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("##")]
    assert headings == EXPECTED_HEADINGS[seed.name]


def test_front_matter_states_only_what_the_text_supports():
    metas = {}
    for page in (REPO / "docs" / "speeches").glob("*.md"):
        _, meta = get_data(page.read_text(encoding="utf-8"))
        if meta.get("source") and ".en." not in page.name:
            metas[meta["source"]] = meta
    assert metas["000_d5175bd5635a341e.txt"]["title_by_editor"] is True
    assert metas["000_d5175bd5635a341e.txt"]["occasion"] == "县政府办党支部6月份主题党日活动"
    assert metas["004_9135a42bee387a85.txt"]["title_by_editor"] is True
    assert metas["004_9135a42bee387a85.txt"]["occasion"] == "全县办公室主任工作会议"
    assert metas["002_85a4a743d5241472.txt"]["title"] == "在政府公室2020年度工作会上的讲话"  # kept as written
    assert metas["002_85a4a743d5241472.txt"]["year"] == 2020
    assert [m.get("year") for s, m in sorted(metas.items()) if s != "002_85a4a743d5241472.txt"] == [None] * 4


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "holds no text"),
        ("\n  \n", "holds no text"),
        ("在某会议上的讲话\n", "speech is empty"),
        ("某某内部资料汇编\n同志们：\n要做好工作。\n", "not recognised as advertising"),
        ("随便一段没有开头的话。\n", "no title line"),
    ],
)
def test_malformed_input_names_the_file_and_line(raw: str, message: str):
    with pytest.raises(IngestError) as error:
        clean(raw, RULES, "bad_speech.txt")
    assert str(error.value).startswith("bad_speech.txt:")
    assert message in str(error.value)


def test_title_without_title_line_and_without_occasion_is_an_error():
    speech = clean("同志们：\n大家好。\n", RULES, "x.txt")
    assert occasion_of(speech) is None
    with pytest.raises(IngestError, match="add `title:`"):
        front_matter(speech, "x.txt", {})


def test_registry_has_an_entry_per_source():
    registry = yaml.safe_load((REPO / "sources" / "speeches.yml").read_text(encoding="utf-8"))
    speech_files = [p.name for p in (REPO / "sources").iterdir() if p.suffix in (".txt", ".docx")]
    assert sorted(registry) == sorted(speech_files)


# --- what editors have: Word documents, and text in any encoding and line ending ---------------------------

SEED = next(seed for seed in seed_files() if seed.name == "002_85a4a743d5241472.txt")  # an ad line, three heading levels
SEED_ENTRY = yaml.safe_load((REPO / "sources" / "speeches.yml").read_text(encoding="utf-8"))[SEED.name]


def repo_for(tmp_path: Path, name: str, entry: dict | None = None) -> Path:
    """An empty project whose sources/speeches.yml gives ``name`` the seed's entry."""
    repo = tmp_path / "repo"
    (repo / "sources").mkdir(parents=True)
    (repo / "docs" / "speeches").mkdir(parents=True)
    (repo / "sources" / "ingest-rules.yml").write_bytes((REPO / "sources" / "ingest-rules.yml").read_bytes())
    registry = {name: entry if entry is not None else SEED_ENTRY}
    (repo / "sources" / "speeches.yml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return repo


def files_of(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}


def committed_page_for(name: str) -> str:
    """The committed page of the seed, as ingest writes it from a source file called ``name``."""
    page = (REPO / "docs" / "speeches" / f"{SEED_ENTRY['slug']}.md").read_text(encoding="utf-8")
    return page.replace(SEED.name, name)


def word_document(lines: list[str], path: Path, title: str | None = None) -> Path:
    """A .docx made with python-docx, one paragraph per line (the one reading ``title`` styled Title)."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line, style="Title" if line == title else None)
    document.save(str(path))
    return path


@pytest.mark.parametrize("encoding, newline, read_as", [
    ("utf-8", "\n", "UTF-8"),
    ("utf-8-sig", "\r\n", "UTF-8 with BOM"),
    ("utf-16", "\r\n", "UTF-16"),  # Notepad's "Unicode": little-endian with a BOM
    ("utf-16-be", "\n", "UTF-16"),  # no BOM: told by its zero bytes
    ("utf-16-le", "\r", "UTF-16"),
    ("gb18030", "\r\n", "GB18030"),  # Notepad's ANSI on a Chinese Windows
    ("gb18030", "\r", "GB18030"),
])
def test_text_in_any_encoding_and_line_ending_gives_the_same_page(tmp_path: Path, encoding, newline, read_as):
    incoming = tmp_path / "incoming" / "speech.txt"
    incoming.parent.mkdir()
    raw = SEED.read_bytes()
    incoming.write_bytes(raw.decode("utf-8").replace("\n", newline).encode(encoding))
    repo = repo_for(tmp_path, incoming.name)
    page, speech = ingest(incoming, repo)
    assert speech.read_as == read_as
    assert page.read_text(encoding="utf-8") == committed_page_for(incoming.name)
    assert (repo / "sources" / incoming.name).read_bytes() == incoming.read_bytes()  # the record, unchanged


@pytest.mark.parametrize("title_style", [False, True], ids=["title-by-pattern", "title-styled"])
def test_a_word_document_gives_the_paragraphs_of_its_text(tmp_path: Path, title_style: bool):
    """The seed typed into Word, one paragraph a line (empty ones too): the same page as the text gives,
    its ad line dropped, its numbering made headings, the paragraph styled Title as the title."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    source = word_document(lines, tmp_path / "讲话.docx", "在政府公室2020年度工作会上的讲话" if title_style else None)
    repo = repo_for(tmp_path, source.name)
    page, speech = ingest(source, repo)
    assert speech.read_as == "Word document"
    assert page == repo / "docs" / "speeches" / f"{SEED_ENTRY['slug']}.md"
    assert page.read_text(encoding="utf-8") == committed_page_for(source.name)
    assert [number for number, _ in speech.dropped] == EXPECTED_DROPPED[SEED.name]  # paragraph numbers of the file
    assert (repo / "sources" / source.name).read_bytes() == source.read_bytes()
    assert page.with_suffix(".en.md").is_file()


def numbered_document(path: Path, number_format: str, text: str) -> Path:
    """A document whose two headings are numbered by Word (a numbering definition with ``number_format``
    and ``text``, such as %1、), not typed: python-docx writes the paragraphs, the XML the numbering."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("在测试会议上的讲话")
    document.add_paragraph("同志们：")
    headings = [document.add_paragraph("要坚定信念。"), document.add_paragraph("要做好服务。")]
    document.add_paragraph("总之，要做好工作。")
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{number_format}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for paragraph in headings:
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    document.save(str(path))
    return path


@pytest.mark.parametrize("number_format, text, headings", [
    ("chineseCounting", "%1、", ["## 一、要坚定信念。", "## 二、要做好服务。"]),
    ("chineseCountingThousand", "（%1）", ["## （一）要坚定信念。", "## （二）要做好服务。"]),
    ("decimal", "%1.", ["## 1\\.要坚定信念。", "## 2\\.要做好服务。"]),  # the page escapes the full stop
])
def test_word_numbering_is_spelled_out_and_becomes_headings(tmp_path: Path, number_format, text, headings):
    source = numbered_document(tmp_path / "numbered.docx", number_format, text)
    page, speech = ingest(source, repo_for(tmp_path, source.name, {"slug": "numbered"}))
    assert speech.lines[1:3] == [heading.split(" ", 1)[1].replace("\\", "") for heading in headings]
    assert [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("##")] == headings


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def document_with(kind: str, path: Path) -> Path:
    document = docx.Document()
    for line in ("在测试会议上的讲话", "同志们：", "要做好工作。"):
        document.add_paragraph(line)
    if kind == "table":
        document.add_table(rows=2, cols=2).cell(0, 0).text = "分工"
    elif kind == "picture":
        document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    elif kind == "tracked":
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        document.paragraphs[2]._p.append(parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="x"><w:r><w:t>补充。</w:t></w:r></w:ins>'))
    elif kind == "numbering":
        numbered_document(path, "hebrew1", "%1.")
        return path
    document.save(str(path))
    return path


@pytest.mark.parametrize("name, make, expected", [
    ("table.docx", lambda p: document_with("table", p), "table.docx:4: the document holds a table after paragraph 3"),
    ("picture.docx", lambda p: document_with("picture", p), "picture.docx:4: paragraph 4 of the document holds a picture"),
    ("tracked.docx", lambda p: document_with("tracked", p), "tracked.docx:3: paragraph 3 of the document holds tracked changes"),
    ("numbering.docx", lambda p: document_with("numbering", p), "numbering.docx:3: paragraph 3 of the document is numbered by Word in the format 'hebrew1'"),
    ("renamed.docx", lambda p: p.write_text("同志们：\n", encoding="utf-8"), "renamed.docx:1: is not a Word document that can be opened"),
    ("truncated.docx", lambda p: p.write_bytes(word_document(["同志们："], p).read_bytes()[:300]), "truncated.docx:1: is not a Word document"),
    ("old.doc", lambda p: p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(500)), "old.doc:1: is an old-format Word or WPS document"),
    ("locked.docx", lambda p: p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(500)), "locked.docx:1: is an old-format Word or WPS document (or one with a password)"),
    ("word.txt", lambda p: word_document(["同志们："], p), "word.txt:1: is a zip archive, not text; if it is a Word document, name it .docx"),
    ("binary.txt", lambda p: p.write_bytes(bytes(range(256)) * 3), "binary.txt:2: not text in UTF-8, UTF-16 or GB18030"),
    ("control.txt", lambda p: p.write_bytes("同志们：\n要做好\x00工作。".encode()), "control.txt:2: holds the control character U+0000"),
    ("bad.txt", lambda p: p.write_bytes("同志们：\n".encode("gb18030") + b"\x81\x20\n"), "bad.txt:2: not text in UTF-8, UTF-16 or GB18030"),
    ("missing.txt", lambda p: None, "missing.txt:1: cannot be read (No such file or directory)"),
    ("讲话.txt", lambda p: p.write_text("同志们：\n要做好工作。\n", encoding="utf-8"), "sources/speeches.yml:1: 讲话.txt needs an entry with its `slug:`"),
], ids=lambda value: value if isinstance(value, str) and "." in value and ":" not in value else "")
def test_a_file_that_cannot_be_ingested_stops_with_one_line_and_writes_nothing(tmp_path: Path, name, make, expected):
    incoming = tmp_path / "incoming" / name
    incoming.parent.mkdir()
    make(incoming)
    repo = repo_for(tmp_path, "other.txt")
    before = files_of(repo)
    with pytest.raises(IngestError) as error:
        ingest(incoming, repo)
    message = str(error.value)
    assert message.startswith(str(incoming) if not message.startswith("sources/") else "sources/"), message
    assert expected in message and "\n" not in message, message
    assert files_of(repo) == before


def test_make_ingest_prints_how_it_read_the_file_and_one_line_on_failure(tmp_path: Path):
    """tools/ingest.py, as `make ingest SRC=…` runs it, on a copy of the project (never the real one)."""
    project = tmp_path / "project"
    (project / "tools").mkdir(parents=True)
    (project / "tools" / "ingest.py").write_bytes((REPO / "tools" / "ingest.py").read_bytes())
    (project / "hooks").symlink_to(REPO / "hooks")
    repo = repo_for(tmp_path, "speech.txt")
    (repo / "sources").rename(project / "sources")
    (repo / "docs").rename(project / "docs")
    good = tmp_path / "speech.txt"
    good.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    run = subprocess.run([sys.executable, str(project / "tools" / "ingest.py"), str(good)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert re.search(r"^speech\.txt \(GB18030\) -> docs/speeches/county-gov-office-2020\.md: \d+ paragraphs$",
                     run.stdout, re.MULTILINE), run.stdout
    bad = tmp_path / "table.docx"
    document_with("table", bad)
    run = subprocess.run([sys.executable, str(project / "tools" / "ingest.py"), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1 and run.stderr.count("\n") == 1 and "holds a table" in run.stderr, run.stderr


def test_an_unknown_status_in_the_registry_stops_ingest(tmp_path: Path):
    source = tmp_path / "speech.txt"
    source.write_text("在测试会议上的讲话\n同志们：\n要做好工作。\n", encoding="utf-8")
    repo = repo_for(tmp_path, source.name, {"slug": "s", "status": "finished"})
    with pytest.raises(IngestError, match=re.escape("sources/speeches.yml:1: speech.txt: status 'finished' is not known")):
        ingest(source, repo)
    repo_for(tmp_path / "draft", source.name, {"slug": "s", "status": "draft"})
    page, _ = ingest(source, tmp_path / "draft" / "repo")
    assert page.is_file()
