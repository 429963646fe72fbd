"""The 保密 gate against personal data in the forms a hurried editor pastes (Word, WeChat, a scanned form),
in every place the handbook publishes: unit tests of the matchers, fixture-site builds per place, and
the real site (zero hits with an empty allowlist)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, make_fixture_site, run_mkdocs_build
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
    "ideographic-spaces": lambda n: grouped(n, "\u3000"),
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
    index = {"docs": [{"location": "a/#sec", "title": "甲", "text": "<p>电话 138 1234 5678</p>"},
                      {"location": "b/", "title": "乙", "text": "办文"}]}
    assert [(where, f.rule.name) for where, _, f in scan_texts(search_index_texts(index), [], [], None)] == [
        ("a/#sec", "mobile-number")]


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

PLANTED_LINES = {form: f"联系人：{FORMS[form](NUMBERS[rule])}" for form, rule in zip(
    sorted(FORMS), (sorted(NUMBERS) * 3)[:len(FORMS)])}


def planted_page() -> tuple[str, dict[str, int]]:
    """A page with one form per paragraph; the line each starts on."""
    text, where = "# 甲\n", {}
    for form, planted in PLANTED_LINES.items():
        where[form] = text.count("\n") + 2
        text += f"\n{planted}\n"
    return text, where


def test_planted_personal_data_stops_the_build_in_every_source_place(tmp_path: Path):
    body, body_lines = planted_page()
    front = "---\ntitle: 乙\nauthor: 张三 １３８ １２３４ ５６７８\ndescription: 来信 office＠example.gov.cn\n---\n# 乙\n"
    shown = ('# 丙\n\n![值班 138-1234-5678](../assets/diagrams/x.svg)\n\n'
             '见[流程](../a.md "微信号：zhang_san88")。\n\n<abbr title="QQ：１２３４５６７８">值班</abbr>\n')
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "a.md": body, "b.md": front, "sub/c.md": shown,
                                           "assets/diagrams/x.svg": SVG})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    reported = problems_in(result.stderr)

    def named(prefix: str, rule: str) -> bool:
        return any(line.split(" -  ", 1)[-1].startswith(prefix) and f"[保密:{rule}]" in line for line in reported)

    for form, line in body_lines.items():
        rule = next(f.rule.name for f in find(PLANTED_LINES[form]))
        assert named(f"docs/a.md:{line}: ", rule), (form, "\n".join(reported))
    assert named("docs/b.md:3: ", "mobile-number") and named("docs/b.md:4: ", "email-address")
    assert named("docs/sub/c.md:3: ", "mobile-number") and named("docs/sub/c.md:5: ", "wechat-id")
    assert named("docs/sub/c.md:7: ", "chat-group")
    assert named("docs/assets/diagrams/x.svg:5: ", "mobile-number") and named("docs/assets/diagrams/x.svg:7: ", "email-address")
    # the built pages (alt text and titles included) and the search index are checked as well
    assert named("site/sub/c/index.html: ", "wechat-id") and named("site/sub/c/index.html: ", "chat-group")
    assert named("site/b/index.html: ", "email-address")  # the description's <meta> tag
    assert named("site/search/search_index.json: a/", "bank-card")


def test_planted_personal_data_in_the_offline_zip_stops_the_build(tmp_path: Path, monkeypatch):
    bundle = tmp_path / "handbook-offline.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("office-handbook/a.html", "<html><body>\n<p>甲</p>\n<p>身份证 " + grouped(resident_id(), " ") + "</p>\n</body></html>")
    monkeypatch.setenv("HANDBOOK_OFFLINE_ZIP", str(bundle))
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n\n<!-- downloads -->\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "site/downloads/handbook-offline.zip: office-handbook/a.html:3: [保密:resident-id]" in result.stderr


def test_planted_personal_data_in_the_pdfs_stops_the_build(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_PDF", "true")
    page = "# 甲\n\n来信请寄 ｏｆｆｉｃｅ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ。\n"
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n\n<!-- downloads -->\n", "a.md": page})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/a.md:3: [保密:email-address]" in result.stderr  # the source, and then what was rendered from it:
    assert "site/downloads/handbook-zh.pdf: page " in result.stderr and "[保密:email-address]" in result.stderr
    assert "site/en/downloads/handbook-en.pdf" not in result.stderr  # the English stand-in does not carry it


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
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    hits += [(where, f) for where, _, f in scan_texts(search_index_texts(index), [], [], None)]
    assert hits == []
