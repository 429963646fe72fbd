"""An English page shows no Chinese interface text and no Chinese punctuation in its interface.

Interface: everything outside the page's own Markdown text (header, navigation, search, footer, the
palette toggle, the table of contents) and what the build adds inside it (cited-by lists, 出处与引用,
translation notes, table headings), plus every title, aria-label, alt and placeholder. Allowed, each for
its reason: clause IDs (published URLs, 政治-01), text marked lang="zh" (a link to the Chinese original),
the language menu's 中文 (each language is named in itself), and the marking 内部资料 quoted in the footer.
Full-width punctuation (、，：（）) is flagged anywhere on the page when it stands among English text; beside
Chinese characters it belongs to a quotation. The onboarding page's script strings are checked in
test_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO
from lxml import etree
from lxml import html as lxml_html

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
CLAUSE_ID = re.compile(r"[\u4e00-\u9fff]{2}-\d{2}")
MARKING = "内部资料"
INTERFACE_IN_CONTENT = etree.XPath(".//th | .//*[contains(concat(' ', @class, ' '), ' hb-cited-by ') or contains("
                                  "concat(' ', @class, ' '), ' hb-backlinks ') or contains(concat(' ', @class, ' '), "
                                  "' hb-translated ') or contains(concat(' ', @class, ' '), ' md-source-file ') or "
                                  "contains(concat(' ', @class, ' '), ' headerlink ')]")
UTF8 = lxml_html.HTMLParser(encoding="utf-8")
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def allowed_removed(text: str) -> str:
    return CLAUSE_ID.sub("", text).replace(MARKING, "")


def interface_problems(page: Path, site: Path) -> list[str]:
    root = lxml_html.parse(str(page), parser=UTF8).getroot()
    where = page.relative_to(site).as_posix()
    for element in root.xpath("//script | //style | //*[starts-with(@lang, 'zh')]"
                              " | //a[contains(@class, 'md-select__link')][@hreflang]"):
        element.drop_tree()
    problems = []
    article = root.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
    content = article[0] if article else None
    interface_in_content = set(INTERFACE_IN_CONTENT(content)) if content is not None else set()

    def is_interface(element) -> bool:
        if content is None or (element is not content and content not in element.iterancestors()):
            return True
        return element in interface_in_content or any(a in interface_in_content for a in element.iterancestors())

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ATTRIBUTES:
            value = allowed_removed(element.get(name) or "")
            if HAN.search(value) or CJK_PUNCTUATION.search(value):
                problems.append(f"{where}: <{element.tag} {name}=\"{element.get(name)}\">")
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            text = allowed_removed(text or "")
            if owner is None or not text.strip():
                continue
            if HAN.search(text) and is_interface(owner):
                problems.append(f"{where}: Chinese in <{owner.tag} class=\"{owner.get('class')}\">: {text.strip()[:60]}")
            elif CJK_PUNCTUATION.search(text) and not HAN.search(text):
                problems.append(f"{where}: Chinese punctuation in <{owner.tag} class=\"{owner.get('class')}\">:"
                                f" {text.strip()[:60]!r}")
    return problems


def test_english_pages_show_no_chinese_interface_text_or_punctuation(built_site):
    pages = sorted((built_site / "en").rglob("*.html"))
    assert len(pages) > 70
    problems = [problem for page in pages for problem in interface_problems(page, built_site)]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:30])


def test_the_scan_finds_chinese_interface_text(tmp_path):
    page = tmp_path / "en" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html><body><header><label title="切换到深色模式">x</label></header>'
        '<article class="md-content__inner"><p>Our own “五个坚持” text, <a href="#">政治-01</a></p>'
        '<div class="hb-cited-by">Cited by: <a>政治-01</a>、<a>政治-02</a></div>'
        '<p><span lang="zh">中文原文</span></p></article>'
        '<footer>Internal material (内部资料) · 版本 1</footer></body></html>', encoding="utf-8")
    problems = interface_problems(page, tmp_path)
    assert len(problems) == 3, problems
    assert "title=\"切换到深色模式\"" in problems[0]
    assert "'、'" in problems[1]
    assert "版本" in problems[2]


DIAGRAMS = REPO / "docs" / "assets" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"
SHAPES = [f"{SVG}{tag}" for tag in ("rect", "line", "path", "circle", "marker")]


def svg_labels(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def test_every_diagram_has_an_english_version_with_the_same_layout_and_recorded_labels():
    chinese = sorted(path for path in DIAGRAMS.glob("*.svg") if not path.name.endswith(".en.svg"))
    assert len(chinese) == 3
    sources = (REPO / "sources" / "diagram-sources.md").read_text(encoding="utf-8")
    for path in chinese:
        english = path.with_name(path.stem + ".en.svg")
        assert english.exists(), f"{english.name} is missing: every diagram needs an English version"
        zh_root, en_root = etree.parse(str(path)).getroot(), etree.parse(str(english)).getroot()
        for tag in SHAPES:  # the same shapes at the same places
            assert [dict(e.attrib) for e in zh_root.iter(tag)] == [dict(e.attrib) for e in en_root.iter(tag)], tag
        assert en_root.get("lang") == "en" and en_root.get("viewBox") == zh_root.get("viewBox")
        english_text = etree.tostring(en_root, encoding="unicode")
        assert not HAN.search(english_text) and not CJK_PUNCTUATION.search(english_text), english.name
        zh_labels, en_labels = svg_labels(path), svg_labels(english)
        assert len(zh_labels) == len(en_labels)
        for zh_label, en_label in zip(zh_labels, en_labels):  # each pair is recorded with its source
            assert f"- {zh_label} → " in sources, f"{path.name}: {zh_label} has no line in diagram-sources.md"
            assert en_label.replace(" ", "") in sources.replace(" ", ""), f"{english.name}: {en_label!r} not recorded"


def test_english_pages_show_the_english_diagrams(built_site):
    pages = [built_site / "en" / "norms" / name / "index.html" for name in ("documents", "meetings", "supervision")]
    for page in pages:
        (image,) = lxml_html.parse(str(page), parser=UTF8).getroot().xpath("//img[contains(@src, 'assets/diagrams/')]")
        served = (page.parent / image.get("src")).resolve()
        assert served.is_relative_to(built_site / "en"), served
        text = served.read_text(encoding="utf-8")
        assert not HAN.search(text), f"{served}: Chinese in the diagram an English page shows"
        chinese = (built_site / served.relative_to(built_site / "en")).read_text(encoding="utf-8")
        assert HAN.search(chinese), "the Chinese pages keep the Chinese diagram"
