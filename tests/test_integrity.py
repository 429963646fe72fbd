"""Integrity checks: one fixture site per class of breakage, each failing --strict with exactly its error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_fixture_site, run_mkdocs_build, speech_page
from handbook.links import Site, check_page, is_external, link_key, references, source_line, split_url
from handbook.model import read_handbook
from handbook.parity import check_parity
from handbook.secrecy import scan, valid_resident_id
from lxml import html as lxml_html


def resident_id() -> str:
    """A made-up number with a valid check digit (not a real person's)."""
    from handbook.secrecy import ID_CHECK, ID_WEIGHTS

    body = "11010519491231002"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


SPEECH = speech_page()

CASES = {
    "missing-page": ({"a.md": "# 甲\n\n见[乙](nowhere.md)。\n"},
                     ["docs/a.md:3: [broken-link] nowhere.md", "contains a link 'nowhere.md', but the target is not found"]),
    "missing-anchor": ({"a.md": "# 甲\n\n见[下文](#nosuch)。\n"},
                       ["docs/a.md:3: [missing-anchor] #nosuch", "there is no such anchor on this page"]),
    "broken-citation-anchor": ({"a.md": '# 甲\n\n依据：[@t#p9 "做好测试工作"]\n', "speeches/t.md": SPEECH},
                               ["docs/a.md:3: [citation] citation [@t#p9 \"做好测试工作\"] names paragraph p9"]),
    "raw-html-link": ({"a.md": '# 甲\n\n<a href="../gone/">旧页</a>\n'}, ["docs/a.md:3: [broken-link] ../gone/"]),
    "external-script": ({"a.md": '# 甲\n\n<script src="https://cdn.example.com/x.js"></script>\n'},
                        ["docs/a.md:3: [external-resource] https://cdn.example.com/x.js"]),
    "external-font": ({"a.md": "# 甲\n\n<style>@font-face { font-family: x; src: url(https://fonts.example.com/x.woff2); }</style>\n"},
                      ["docs/a.md:3: [external-resource] https://fonts.example.com/x.woff2"]),
    "classification-marking": ({"a.md": "# 甲\n\n本文件机密★10年。\n"},
                               ["docs/a.md:3: [保密:classification-marking] '机密★'", "site/a/index.html: [保密:classification-marking]",
                     "site/search/search_index.json: a/: [保密:classification-marking]"]),
    "resident-id": ({"a.md": f"# 甲\n\n身份证号{resident_id()}。\n"},
                    [f"docs/a.md:3: [保密:resident-id] '{resident_id()}'", "site/a/index.html: [保密:resident-id]",
                     "site/search/search_index.json: a/: [保密:resident-id]"]),
    "phone-number": ({"a.md": "# 甲\n\n联系电话13812345678。\n"},
                     ["docs/a.md:3: [保密:mobile-number] '13812345678'", "site/a/index.html: [保密:mobile-number]",
                     "site/search/search_index.json: a/: [保密:mobile-number]"]),
    "ad-residue": ({"a.md": "# 甲\n\n欢迎加入会员群。\n"},
                   ["docs/a.md:3: [保密:advertising] '会员群'", "site/a/index.html: [保密:advertising]",
                     "site/search/search_index.json: a/: [保密:advertising]"]),
    "missing-translation": ({"a.md": "# 甲\n"}, ["docs/a.md:1: [parity] no English counterpart a.en.md"]),
    "orphan-page": ({"a.md": "# 甲\n", "hidden.md": "# 藏\n"}, ["docs/hidden.md:1: [orphan]"]),
}


def problems_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_breakage_fails_strict_with_exactly_its_errors(tmp_path: Path, case: str):
    pages, expected = CASES[case]
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", **pages},
                                sources={"test.txt": "x", "non-normative.yml": "t:\n  1: 称呼\n  2: 测试\n"},
                                stand_ins=case != "missing-translation")
    if case == "orphan-page":
        config = project / "mkdocs.yml"
        config.write_text(config.read_text("utf-8") + "\nnav:\n  - index.md\n  - a.md\n", "utf-8")
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    reported = problems_in(result.stderr)
    for needle in expected:
        assert sum(needle in line for line in reported) == 1, f"{needle!r} not reported once in:\n" + "\n".join(reported)
    unexpected = [line for line in reported if not any(needle in line for needle in expected)]
    assert unexpected == [], "\n".join(unexpected)


def test_classified_page_stops_the_build(tmp_path: Path):
    page = "---\ntitle: 甲\n密级: 秘密\n---\n# 甲\n"
    project = make_fixture_site(tmp_path, {"index.md": "# 首页\n", "a.md": page})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/a.md:1: [保密:密级] 密级 '秘密' may not be built" in result.stderr
    assert not (tmp_path / "site" / "a").exists()


def test_internal_pages_declared_public_or_internal_build(tmp_path: Path):
    page = "---\ntitle: 甲\n密级: 内部\n---\n# 甲\n\n保密工作要求对涉密文件规范管理，手册的密级为内部。\n"
    result = run_mkdocs_build(make_fixture_site(tmp_path, {"index.md": "# 首页\n", "a.md": page}), tmp_path / "site")
    assert result.returncode == 0, result.stderr


def test_allowlisted_exception_passes_and_needs_a_reason(tmp_path: Path):
    page = "# 甲\n\n值班电话13812345678。\n"
    allow = "- file: docs/a.md\n  text: '13812345678'\n  reason: 测试用的公开值班号码\n"
    project = make_fixture_site(tmp_path / "ok", {"index.md": "# 首页\n", "a.md": page}, sources={"secrecy-allowlist.yml": allow})
    assert run_mkdocs_build(project, tmp_path / "ok" / "site").returncode == 0
    project = make_fixture_site(tmp_path / "bad", {"index.md": "# 首页\n", "a.md": page},
                                sources={"secrecy-allowlist.yml": allow.replace("  reason: 测试用的公开值班号码\n", "")})
    result = run_mkdocs_build(project, tmp_path / "bad" / "site")
    assert result.returncode != 0 and "secrecy-allowlist.yml: [保密:allowlist] entry 1 needs file, text and reason" in result.stderr


def test_gate_has_no_false_positives_on_real_wording():
    text = "办公室是组织性、纪律性、机密性要求很严的要害部门。对涉密文件要规范管理，强化保密意识。版本与密级：见页脚。2014年5月8日，80个字，第2019号。"
    assert scan(text, ["会员群"], [], "x.md") == []
    assert scan("文件名 001_efc65934385781aa.txt", [], [], "x.md") == []


@pytest.mark.parametrize("rule, text", [
    ("classification-marking", "本文件机密★10年"), ("classification-marking", "秘密 保密期限：五年"),
    ("classification-label", "密级：秘密"), ("resident-id", "号码" + resident_id()), ("mobile-number", "电话13812345678"),
    ("landline-number", "电话010-12345678"), ("email-address", '依据 [@t#p1 "测试"]，来信寄 office@example.gov.cn'),
    ("chat-group", "加QQ群：12345678"),
])
def test_each_rule_is_found_in_a_page_of_ordinary_text(rule, text):
    # Only a text with a rule's clue is scanned with the full patterns: the clue must not miss a match.
    page = "办公室工作要规范。\n" * 50 + text + "\n" + "事不过夜。\n" * 50
    assert [(finding.rule.name, finding.line) for finding in scan(page, [], [], "x.md")] == [(rule, 51)]


def test_resident_id_check_digit():
    assert valid_resident_id(resident_id())
    wrong = resident_id()[:17] + ("0" if resident_id()[17] != "0" else "1")
    assert not valid_resident_id(wrong)
    assert scan(f"号码{wrong}", [], [], "x.md") == []


def test_link_resolution_and_external_detection(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="x"><a href="../b/#y">b</a><a href="#x">x</a><a href="./">self</a>'
                                               '<img src="https://img.example.com/i.png"><a href="https://intra.example/">i</a></p>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h2 id="z">b</h2>')
    count, problems = check_page(Site(tmp_path), tmp_path / "a" / "index.html", {"intra.example"})
    assert count == 5
    assert [(p.rule, p.subject) for p in problems] == [("missing-anchor", "../b/#y"), ("external-resource", "https://img.example.com/i.png")]
    assert is_external("//cdn.example.com/x.js") and not is_external("data:image/png;base64,x") and not is_external("../x/")


def test_references_are_every_url_attribute_and_css_url_links_of_a_first():
    root = lxml_html.fromstring(
        '<html><head><link rel="stylesheet" href="a.css"><link rel="canonical" href="/c/">'
        '<style>@import "i.css"; p { background: url(bg.png) }</style></head>'
        '<body><a href="#x" style="background: url(\'s.png\')">x</a><img srcset="one.png 1x, two.png 2x" src="i.png">'
        '<form action="/f"></form><object data="o.svg"></object><video poster="p.jpg"></video><p id="x" title="t">t</p></body></html>')
    assert references(root) == [
        ("a", "#x", False),
        ("link", "a.css", True), ("link", "/c/", False), ("style", "bg.png", True), ("style", "i.css", True),
        ("a", "s.png", True), ("img", "one.png", True), ("img", "two.png", True), ("img", "i.png", True),
        ("form", "/f", False), ("object", "o.svg", True), ("video", "p.jpg", True),
    ]


def test_source_line_finds_the_link():
    assert source_line("# 甲\n\n正文\n见[乙](../b.md#办文-03)\n", "../b/#%E5%8A%9E%E6%96%87-03") == 4
    assert source_line("# 甲\n", "../zzz/") == 0


def test_parity_compares_anchors_of_translated_pages():
    # The files of each language's build, as static-i18n gives them (fallback_to_default: a Chinese
    # page without its counterpart is built in English too).
    original = read_handbook([("n.md", "# 甲\n\n## 办文-01 标题 { #办文-01 }\n"), ("p.md", "# 乙\n"), ("q.md", "# 丙\n")], "zh")
    translation = read_handbook([("n.en.md", "# A\n\n## 办文-02 Title { #办文-02 }\n"),
                                 ("p.en.md", "---\ntranslation: pending\n---\n# B\n"), ("q.md", "# 丙\n"),
                                 ("orphan.en.md", "# C\n")], "en", default_language=False)
    report = check_parity(original, translation)
    messages = [str(p) for p in report.problems]
    assert report.pending == ["p.md"]
    assert any(re.search(r"n\.en\.md:1: \[parity\] anchor #办文-01 of n\.md is missing", m) for m in messages)
    assert any("anchor #办文-02 is not in n.md" in m for m in messages)
    assert any("orphan.en.md:1: [parity] English page without a Chinese original" in m for m in messages)
    assert any("q.md:1: [parity] no English counterpart q.en.md" in m for m in messages)


def test_links_under_the_site_url_are_this_site(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<link rel="canonical" href="http://127.0.0.1:8000/a/"><a href="http://127.0.0.1:8000/b/">b</a>')
    count, problems = check_page(Site(tmp_path), tmp_path / "a" / "index.html", set(), "http://127.0.0.1:8000/")
    assert count == 2 and [(p.rule, p.subject) for p in problems] == [("broken-link", "/b/")]


def test_a_link_means_the_same_from_every_page_its_steps_lead_alike(tmp_path: Path):
    """The link check's verdicts are shared by link_key; each must be what resolving from that page gives."""
    for folder, ids in (("a/x", "p1"), ("a/y", "p2"), ("b/z", "p3"), ("", "top")):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text(f'<p id="{ids}">t</p>')
    pages = ["a/x/index.html", "a/y/index.html", "b/z/index.html", "index.html"]
    urls = ["../y/#p2", "../y/#p1", "../../b/z/", "../../b/z/#p3", "../../../a/x/", "/a/x/#p1", "/a/x/#nope", "#p1",
            "#top", "?q", "./", "../x/../y/", "a/x/", "../../index.html#top", "../nope/"]
    shared = Site(tmp_path)
    for page in pages:
        for url in urls:
            fresh = Site(tmp_path)
            target = fresh.resolve(page, url)
            fragment = split_url(url).fragment
            expected = ("broken-link" if target is None else
                        "missing-anchor" if fragment and target.endswith(".html") and fragment not in fresh.ids(target) else "ok")
            assert shared.verdict(page, url)[0] == expected, (page, url)
    assert link_key("a/x/index.html", "../../b/z/") == link_key("b/z/index.html", "../../b/z/") == ("", "b/z/")
    # check_page keeps each URL's outcome for the pages of a folder (../ URLs: of sibling folders): the same
    # problems as a fresh check of each page alone, whatever order the pages are checked in.
    links = "".join(f'<a href="{url}">l</a>' for url in urls) + '<a href=" ../y/#p1 ">s</a><img src="../y/i.png"><img src="i.png">'
    for page, ids in zip(pages, ("p1", "p2", "p3", "top")):
        (tmp_path / page).write_text(f'<p id="{ids}">{links}</p>')
    (tmp_path / "a" / "y" / "i.png").write_bytes(b"")

    def problems(site, page):
        return [(p.rule, p.subject, p.message) for p in check_page(site, tmp_path / page, set())[1]]
    expected = {page: problems(Site(tmp_path), page) for page in pages}
    shared = Site(tmp_path)
    assert {page: problems(shared, page) for page in reversed(pages)} == expected
    assert ("missing-anchor", "../y/#p1", "../y/#p1 in a/x/index.html: a/y/index.html has no element with id 'p1'") in expected["a/x/index.html"]
    assert ("missing-anchor", "../y/#p1", "../y/#p1 in a/y/index.html: this page has no element with id 'p1'") in expected["a/y/index.html"]
    assert link_key("a/x/index.html", "#p1") != link_key("a/y/index.html", "#p1")
