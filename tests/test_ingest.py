"""Ingestion: advertising dropped, every other line verbatim, headings from the speech's own numbering."""

from __future__ import annotations

from pathlib import Path

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


def test_undecodable_file_names_the_file(tmp_path: Path):
    bad = tmp_path / "gbk_speech.txt"
    bad.write_bytes("同志们：".encode("gbk"))
    with pytest.raises(IngestError, match=r"gbk_speech.txt:1: not UTF-8"):
        ingest(bad, REPO)


def test_title_without_title_line_and_without_occasion_is_an_error():
    speech = clean("同志们：\n大家好。\n", RULES, "x.txt")
    assert occasion_of(speech) is None
    with pytest.raises(IngestError, match="add `title:`"):
        front_matter(speech, "x.txt", {})


def test_registry_has_an_entry_per_source():
    registry = yaml.safe_load((REPO / "sources" / "speeches.yml").read_text(encoding="utf-8"))
    assert sorted(registry) == sorted(p.name for p in (REPO / "sources").glob("*.txt"))
