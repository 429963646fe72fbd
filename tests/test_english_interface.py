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
