"""The 保密 gate against personal data in the forms a hurried editor pastes (Word, WeChat, a scanned form),
in every place the handbook publishes: unit tests of the matchers, fixture-site builds per place, and
the real site (zero hits with an empty allowlist)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, make_fixture_site, run_mkdocs_build
from handbook.search import edition_index_path
from handbook.secrecy import (
    PERSONAL_DATA,
    find,
    normalise,
    pdf_texts,
    scan,
    scan_texts,
    search_index_texts,
    svg_texts,
    valid_luhn,
    zip_texts,
)
from lxml import html as lxml_html
from test_integrity import problems_in, resident_id


def bank_card() -> str:
    """A made-up UnionPay number with a valid Luhn digit."""
    body = "622202123456789012"
    return next(body + d for d in "0123456789" if valid_luhn(body + d))


# The kinds of number, each written as digits (one per rule that matches digits).
NUMBERS = {
    "resident-id": resident_id(),
    "mobile-number": "13812345678",
    "landline-number": "01087654321",
    "bank-card": bank_card(),
}
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
SPELLED = str.maketrans("0123456789", "〇一二三四五六七八九")
SPELLED_ZERO = str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")


def grouped(number: str, separator: str) -> str:
    """The number in groups of 3, then 4 (how phone and card numbers are written)."""
    groups, rest = [number[:3]], number[3:]
    while rest:
        groups.append(rest[:4])
        rest = rest[4:]
    return separator.join(groups)


FORMS = {
    "plain": lambda n: n,
    "full-width": lambda n: n.translate(FULL_WIDTH),
    "spaces": lambda n: grouped(n, " "),
    "ideographic-spaces": lambda n: grouped(n.translate(FULL_WIDTH), "\u3000"),  # typed with a full-width IME
    "hyphens": lambda n: grouped(n, "-"),
    "full-width-hyphens": lambda n: grouped(n.translate(FULL_WIDTH), "－"),
    "dots": lambda n: grouped(n, "."),
    "slashes": lambda n: grouped(n, " / "),
    "line-break": lambda n: n[:6] + "\n" + n[6:],
    "chinese-numerals": lambda n: n.translate(SPELLED),
    "financial-numerals": lambda n: grouped(n.translate(SPELLED_ZERO), " "),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("rule", sorted(NUMBERS))
def test_each_number_in_each_written_form_is_found_where_it_is_written(rule, form):
    written = FORMS[form](NUMBERS[rule])
    text = "办公室工作要规范。\n联系人：" + written + "，请登记。\n事不过夜。\n"
    findings = [(f.rule.name, f.line, f.column, f.text) for f in find(text)]
    assert findings == [(rule, 2, 5, written)]


@pytest.mark.parametrize("text, rule, found", [
    ("加ＱＱ：１２３４５６７８", "chat-group", "ＱＱ：１２３４５６７８"),
    ("QQ群 1234 5678", "chat-group", "QQ群 1234 5678"),
    ("扣扣：一二三四五六七八", "chat-group", "扣扣：一二三四五六七八"),
    ("微信：13912345678", "chat-group", "微信：13912345678"),
    ("微信号：ｗｘｉｄ＿ｏｆｆｉｃｅ０１", "wechat-id", "微信号：ｗｘｉｄ＿ｏｆｆｉｃｅ０１"),
    ("WeChat ID: zhang_san88", "wechat-id", "WeChat ID: zhang_san88"),
    ("来信 ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ", "email-address", "ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ"),
    ("来信 office＠example.gov.cn", "email-address", "office＠example.gov.cn"),
    ("车牌京A·12345", "vehicle-plate", "京A·12345"),
    ("车牌粤Ｂ　Ｄ１２３４５", "vehicle-plate", "粤Ｂ　Ｄ１２３４５"),
    ("车牌川A 1234X", "vehicle-plate", "川A 1234X"),
    ("值班电话：6812345", "phone-number", "电话：6812345"),
    ("电话（０１０）８７６５４３２１", "landline-number", "（０１０）８７６５４３２１"),
    ("电话 +86 138 1234 5678", "mobile-number", "+86 138 1234 5678"),
])
def test_ids_addresses_and_plates_in_their_written_forms(text, rule, found):
    assert [(f.rule.name, f.text) for f in find(text)] == [(rule, found)]


@pytest.mark.parametrize("text", [
    # clause IDs, paragraph numbers, citations, dates, and the speeches' own figures
    "### 保密-01 涉密文件规范管理 { #保密-01 }", "依据：[@county-gov-office-2020#p23 \"首先要由法制办进行政策法规方面审核\"]",
    "¶57 ¶58 ¶59 ¶60", "p1–p3、p12", "2020年5月8日", "2020-05-08 至 2021-05-07", "二〇二〇年五月八日",
    "二〇一四年 二〇一五年 二〇一六年", "第2019号，1.5万字，80个字", "12345热线", "一要、二要、三要", "十三五规划",
    "京津冀协同发展", "新A阶段", "共1,234,567元", "1 2 3 4 5 6 7 8 9 10 11 12", "2019 2020 2021 2022",
    "v1.2.3 c831acb 2026-11-21", "①②③④⑤⑥⑦⑧⑨⑩⑪", "ISBN 978-7-01-012345-6",
])
def test_ordinary_figures_pass(text):
    assert find(text) == []


def test_a_wrong_check_digit_is_not_an_id_and_a_wrong_luhn_digit_not_a_card():
    wrong_id = resident_id()[:17] + ("0" if resident_id()[17] != "0" else "1")
    wrong_card = bank_card()[:-1] + str((int(bank_card()[-1]) + 1) % 10)
    assert find(f"号码 {grouped(wrong_id, ' ')}") == [] and find(f"卡号 {grouped(wrong_card, ' ')}") == []


def test_normalisation_keeps_every_position_true_to_the_source():
    text = "甲\n电话：１３８－１２３４\n５６７８，\t邮箱 ａ＠ｂ．ｃｎ"
    normal = normalise(text)
    assert "13812345678" in normal.text and "a@b.cn" in normal.text
    for index, char in enumerate(normal.text):  # each character comes from the one it folds from
        assert normalise(text[normal.source_index(index)]).text == char


def test_front_matter_is_checked_for_personal_data_only():
    front_matter = "---\ntitle: 甲\n密级: 内部\nauthor: 张三 13812345678\n---\n"
    assert [(f.rule.name, f.line) for f in scan(front_matter, [], [], "docs/a.md", PERSONAL_DATA)] == [("mobile-number", 4)]


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 138 1234">
  <title>办文流程</title>
  <path d="M 138 1234 L 5678 138 1234 5678"/>
  <text x="10" y="20">联系
    <tspan>138</tspan>
    <tspan>1234 5678</tspan></text>
  <text x="10" y="40" aria-label="邮箱 office@example.com">拟稿</text>
</svg>
"""


def test_svg_text_is_read_from_its_elements_not_its_drawing():
    found = [(line, f.rule.name) for _, line, f in scan_texts(svg_texts(SVG), [], [], "docs/x.svg")]
    assert found == [(5, "mobile-number"), (7, "email-address")]  # the line of the number's first digit


def test_search_index_entries_are_named_by_location():
    """Every text of an entry, the questions it is matched by included (published in the index, never shown)."""
    index = {"docs": [{"location": "a/#sec", "title": "甲", "text": "<p>电话 138 1234 5678</p>"},
                      {"location": "b/", "title": "乙", "text": "办文"},
                      {"location": "c/#办文-01", "title": "丙", "text": "办文", "questions": "找谁？",
                       "asked": "能发到 office@example.gov.cn 吗？|公文怎么写？"}]}
    assert [(where, f.rule.name) for where, _, f in scan_texts(search_index_texts(index), [], [], None)] == [
        ("a/#sec", "mobile-number"), ("c/#办文-01", "email-address")]


def test_pdf_text_and_metadata_are_read(tmp_path: Path):
    weasyprint = pytest.importorskip("weasyprint")
    page = ('<html lang="zh"><head><meta name="author" content="张三 138-1234-5678"><title>手册</title></head>'
            '<body><p style="font-family: \'Noto Sans CJK SC\'">来信请寄 office@example.gov.cn</p></body></html>')
    pdf = tmp_path / "x.pdf"
    weasyprint.HTML(string=page).write_pdf(pdf)
    found = {(where, f.rule.name) for where, _, f in scan_texts(pdf_texts(pdf), [], [], None)}
    assert found == {("metadata /Author", "mobile-number"), ("page 1", "email-address")}


def test_zip_members_are_read_with_their_lines(tmp_path: Path):
    bundle = tmp_path / "x.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("office-handbook/a.html", "<html><body>\n<p>甲</p>\n<p>电话 １３８ １２３４ ５６７８</p></body></html>")
        archive.writestr("office-handbook/search/search_index.js",
                         "var __index = " + json.dumps({"docs": [{"location": "b.html", "title": "乙", "text": "ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"}]}))
        archive.writestr("office-handbook/assets/x.js", "var a = '13812345678';")  # code, not published text
        archive.writestr("office-handbook/assets/vendor/LICENSE-x.txt", "Copyright (c) 2020 A. Author <a@example.com>")
    found = [(where, line, f.rule.name) for where, line, f in scan_texts(zip_texts(bundle), [], [], None)]
    assert found == [("office-handbook/a.html", 3, "mobile-number"),
                     ("office-handbook/search/search_index.js b.html", 0, "email-address")]


# --- fixture sites: each form planted in each place stops the strict build, naming file and line ----

# Every written form of a number (each kind in turn), and the IDs, addresses and plates in theirs.
PLANTED = [f"联系人：{FORMS[form](NUMBERS[rule])}"
           for form, rule in zip(sorted(FORMS), (sorted(NUMBERS) * 3)[:len(FORMS)])] + [
    "加ＱＱ：１２３４５６７８", "微信号：ｗｘｉｄ＿ｏｆｆｉｃｅ０１", "来信 ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ", "车牌京A·12345",
    "值班电话：6812345"]


def rule_of(planted: str) -> str:
    (finding,) = find(planted)
    return finding.rule.name


def planted_in(template: str, first_line: int) -> tuple[str, list[tuple[int, str]]]:
    """Each planted text put into ``template`` ({} = the text), one per line (two for the line-break form),
    from ``first_line`` on; the text and (line, rule) of each."""
    text, expected, line = "", [], first_line
    for planted in PLANTED:
        text += template.format(planted) + "\n"
        expected.append((line + planted.split("\n")[0].count("\n"), rule_of(planted)))
        line += template.format(planted).count("\n") + 1
    return text, expected


def reported_at(reported: list[str], prefix: str) -> list[str]:
    return [line.split(" -  ", 1)[-1] for line in reported if line.split(" -  ", 1)[-1].startswith(prefix)]


def assert_each_named(reported: list[str], path: str, expected: list[tuple[int, str]]) -> None:
    for line, rule in expected:
        assert any(text.startswith(f"{path}:{line}: ") and f"[保密:{rule}]" in text for text in reported_at(reported, path)), (
            f"{path}:{line} [{rule}] not reported in:\n" + "\n".join(reported))


def test_each_form_planted_in_each_source_place_stops_the_build_naming_file_and_line(tmp_path: Path):
    body, in_body = planted_in("{}\n", 3)
    fields = "".join(f"f{i}: |-\n  " + planted.replace("\n", "\n  ") + "\n" for i, planted in enumerate(PLANTED))
    front = f"---\ntitle: 乙\n{fields}---\n# 乙\n"
    in_front = [(4 + sum(p.count("\n") + 2 for p in PLANTED[:i]), rule_of(p)) for i, p in enumerate(PLANTED)]
    # (each place's text differs: the gate reports a text repeated on several built pages once, like the nav)
    images, in_alt = planted_in("![图示{}](../assets/diagrams/x.svg)\n", 3)
    titles, in_titles = planted_in('见[流程](../a.md "标题{}")。\n', 3)
    texts, in_svg = planted_in('  <text x="0" y="0">{}</text>', 2)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n{texts}</svg>\n'
    pages = {"index.md": "# 首页\n", "a.md": f"# 甲\n\n{body}", "b.md": front, "sub/c.md": f"# 丙\n\n{images}",
             "sub/d.md": f"# 丁\n\n{titles}", "assets/diagrams/x.svg": svg}
    result = run_mkdocs_build(make_fixture_site(tmp_path, pages), tmp_path / "site")
    assert result.returncode != 0
    reported = problems_in(result.stderr)
    assert_each_named(reported, "docs/a.md", in_body)
    assert_each_named(reported, "docs/b.md", in_front)
    assert_each_named(reported, "docs/sub/c.md", in_alt)
    assert_each_named(reported, "docs/sub/d.md", in_titles)
    assert_each_named(reported, "docs/assets/diagrams/x.svg", in_svg)
    # What is built from them is checked as well: the pages (alt text and titles included), the search index.
    for path in ("site/a/index.html", "site/sub/c/index.html", "site/sub/d/index.html", "site/search/search_index.json: a/"):
        assert len(reported_at(reported, path)) == len(PLANTED), (path, "\n".join(reported))


def test_each_form_planted_in_the_offline_zip_stops_the_build(tmp_path: Path, monkeypatch):
    paragraphs, expected = planted_in("<p>{}</p>", 3)
    bundle = tmp_path / "handbook-offline.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("office-handbook/a.html", f"<html><body>\n<p>甲</p>\n{paragraphs}</body></html>")
    monkeypatch.setenv("HANDBOOK_OFFLINE_ZIP", str(bundle))
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n\n<!-- downloads -->\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert_each_named(problems_in(result.stderr), "site/downloads/handbook-offline.zip: office-handbook/a.html", expected)


def test_each_form_planted_in_a_page_is_found_in_the_pdf_too(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_PDF", "true")
    body, _ = planted_in("{}\n", 3)
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n\n<!-- downloads -->\n", "a.md": f"# 甲\n\n{body}"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    in_pdf = reported_at(problems_in(result.stderr), "site/downloads/handbook-zh.pdf: page ")
    assert sorted({text.split("[保密:")[1].split("]")[0] for text in in_pdf}) == sorted({rule_of(p) for p in PLANTED})
    assert len(in_pdf) == len(PLANTED), "\n".join(in_pdf)
    assert "site/en/downloads/handbook-en.pdf" not in result.stderr  # the English stand-in does not carry them


def test_pdf_metadata_is_checked_in_the_build(tmp_path: Path, monkeypatch):
    """The PDF's metadata comes from the site's settings (its title from site_name), not from a page."""
    monkeypatch.setenv("HANDBOOK_PDF", "true")
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n\n<!-- downloads -->\n"})
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_name: .*$", "site_name: 值班１３８－１２３４－５６７８", text, count=1), encoding="utf-8")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "site/downloads/handbook-zh.pdf: metadata /Title: [保密:mobile-number]" in result.stderr, result.stderr[-3000:]


def test_the_real_site_has_no_hit_without_any_allowlist_entry(built_site: Path):
    """Every published place of the real site, scanned with an empty allowlist."""
    hits = []
    for source in sorted((REPO / "docs").rglob("*.md")):
        hits += [(source, f) for f in find(source.read_text(encoding="utf-8"))]
    for svg in sorted((REPO / "docs").rglob("*.svg")):
        hits += [(svg, f) for _, _, f in scan_texts(svg_texts(svg.read_bytes()), [], [], None)]
    for page in sorted(built_site.rglob("*.html")):
        root = lxml_html.parse(str(page)).getroot()
        texts = [("", 0, root.text_content())] + [("", 0, value) for value in root.xpath("//@alt | //@title | //meta/@content")]
        hits += [(page, f) for _, _, f in scan_texts(texts, [], [], None)]
    for language in ("zh", "en"):
        index = json.loads(edition_index_path(built_site, language).read_text(encoding="utf-8"))
        hits += [(where, f) for where, _, f in scan_texts(search_index_texts(index), [], [], None)]
    assert hits == []
