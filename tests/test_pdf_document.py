"""Unit tests of the PDF assembly (hooks/handbook/pdf_document.py) and the download links, without mkdocs."""

from __future__ import annotations

from pathlib import Path

import pytest
from handbook.downloads import downloads_section, editions_of
from handbook.labels import label_table
from handbook.pdf_document import (
    Chapter,
    anchor_of,
    chapters_of,
    linked_norm_pages,
    page_key,
    prepare_article,
    read_navigation,
    resolve,
)
from lxml import html as lxml_html

NAV = """<html><body><nav class="md-nav md-nav--primary"><ul>
<li class="md-nav__item"><a class="md-nav__link" href="."><span class="md-ellipsis">首页</span></a>
  <nav><ul><li><a class="md-nav__link" href="#toc">本页目录</a></li></ul></nav></li>
<li class="md-nav__item"><a class="md-nav__link" href="onboarding/">新人入职</a></li>
<li class="md-nav__item md-nav__item--nested"><div class="md-nav__link md-nav__container">
  <a class="md-nav__link" href="norms/">工作规范</a></div>
  <nav><ul><li><a class="md-nav__link" href="norms/documents/">办文</a></li>
           <li><a class="md-nav__link" href="norms/secrecy/">保密规定</a></li></ul></nav></li>
<li class="md-nav__item md-nav__item--nested"><a class="md-nav__link" href="principles/">重要提法</a>
  <nav><ul><li class="md-nav__item--nested"><label class="md-nav__link">政治要求</label>
    <nav><ul><li><a class="md-nav__link" href="principles/wu-ge-jian-chi/">五个坚持</a></li></ul></nav></li></ul></nav></li>
<li class="md-nav__item"><div class="md-nav__container"><a href="speeches/">讲话原文</a></div>
  <nav><ul><li><a class="md-nav__link" href="speeches/x/">某讲话</a></li></ul></nav></li>
<li class="md-nav__item"><a class="md-nav__link" href="tags/">标签</a></li>
</ul></nav></body></html>"""


def navigation():
    return read_navigation(lxml_html.fromstring(NAV))


@pytest.mark.parametrize("path, key", [
    ("norms/documents/", "norms/documents"), ("norms/documents/index.html", "norms/documents"),
    ("norms/documents.html", "norms/documents"), (".", ""), ("", ""), ("norms/../index.html", ""),
])
def test_page_key_is_the_same_with_and_without_directory_urls(path, key):
    assert page_key(path) == key


@pytest.mark.parametrize("base, href, target", [
    ("norms/documents", "../../speeches/x/#p6", ("speeches/x", "p6")),
    ("norms/documents", "../../principles/shi-bu-guo-ye/", ("principles/shi-bu-guo-ye", "")),
    ("norms", "../speeches/x.html#p6", ("speeches/x", "p6")),  # the offline build
    ("norms/documents", "#%E5%8A%9E%E6%96%87-03", ("", "办文-03")),
    ("norms/documents", "../../assets/diagrams/a.svg", None),
    ("norms/documents", "https://example.org/", None),
])
def test_resolve_finds_the_page_and_anchor_of_a_link(base, href, target):
    assert resolve(base, href) == target


def test_navigation_is_read_from_the_sidebar_without_the_home_pages_own_toc():
    entries = navigation()
    assert [entry.title for entry in entries] == ["首页", "新人入职", "工作规范", "重要提法", "讲话原文", "标签"]
    assert [child.key for child in entries[2].children] == ["norms/documents", "norms/secrecy"]
    assert entries[0].children == []
    assert entries[3].children[0].key is None and entries[3].children[0].title == "政治要求"


def test_handbook_edition_leaves_out_site_only_pages_and_puts_the_speeches_in_an_appendix(tmp_path):
    chapters = chapters_of(navigation(), tmp_path, "handbook", "zh")
    assert [(c.level, c.title) for c in chapters] == [
        (1, "新人入职"), (1, "工作规范"), (2, "办文"), (2, "保密规定"), (1, "重要提法"), (3, "五个坚持"),
        (1, "附录：讲话原文"), (2, "某讲话")]
    assert chapters[5].sections == [(2, "政治要求")]  # the bare section opens before its first page
    assert chapters[7].part == "附录：讲话原文"


def test_onboarding_edition_is_the_path_and_the_norm_pages_it_links(tmp_path):
    onboarding = lxml_html.fromstring('<article><a href="../norms/secrecy/#保密-04">保密-04</a>'
                                      '<a href="../norms/secrecy/">again</a><a href="../speeches/x/">讲话</a></article>')
    keys = linked_norm_pages(onboarding, "onboarding")
    assert keys == ["norms/secrecy"]
    chapters = chapters_of(navigation(), tmp_path, "onboarding", "zh", keys)
    assert [(c.level, c.key) for c in chapters] == [(1, "onboarding"), (2, "norms/secrecy")]
    assert chapters[1].sections == [(1, "工作规范")]


def test_article_is_made_ready_for_print(tmp_path):
    article = lxml_html.fromstring(
        '<article class="md-content__inner"><nav class="md-tags"><a href="../../tags/">办文</a></nav>'
        '<h3 id="办文-03">办文-03 标题<a class="headerlink" href="#办文-03">¶</a></h3>'
        '<p>依据：<a class="hb-cite" title="preview" href="../../speeches/x/#p23">讲话 ¶23</a>'
        '<a href="../../principles/y/">提法</a></p><img src="../../assets/a.svg">'
        '<aside class="md-source-file">最后更新</aside></article>')
    chapter = Chapter("norms/documents", "办文", 2, "工作规范", tmp_path / "x.html", "norms/documents")
    prepared = prepare_article(article, chapter, {"norms/documents", "speeches/x"}, tmp_path)
    text = lxml_html.tostring(prepared, encoding="unicode")
    assert prepared.get("id") == anchor_of("norms/documents") == "page-norms-documents"
    assert prepared.xpath("//h3/@id") == ["page-norms-documents--办文-03"]
    assert prepared.xpath("//a/@href") == ["#page-speeches-x--p23"]  # the principle page is not in this edition
    assert "提法" in text and "preview" not in text and "最后更新" not in text and "md-tags" not in text
    assert "headerlink" not in text
    assert prepared.xpath("//img/@src") == [(tmp_path / "assets" / "a.svg").as_uri()]


def test_download_links_only_for_what_the_release_builds():
    assert downloads_section("zh", True, [], offline_zip=False, labels=label_table("zh")["downloads"]) == ""
    assert editions_of(["index.md", "norms/a.md"]) == ["handbook"]  # no 新人入职 page, no pack
    both = editions_of(["index.md", "onboarding/index.md"])
    assert both == ["handbook", "onboarding"]
    zh = downloads_section("zh", True, both, offline_zip=True, labels=label_table("zh")["downloads"])
    assert 'href="downloads/handbook-zh.pdf"' in zh and 'href="downloads/handbook-offline.zip"' in zh
    assert "onboarding-zh.pdf" not in downloads_section("zh", True, ["handbook"], offline_zip=False, labels=label_table("zh")["downloads"])
    en = downloads_section("en", False, both, offline_zip=True, labels=label_table("en")["downloads"])
    assert 'href="downloads/onboarding-en.pdf"' in en and 'href="../downloads/handbook-offline.zip"' in en
    assert en.startswith("## Downloads")


def test_build_pdf_refuses_a_site_that_was_not_built(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "tools" / "build_pdf.py"),
                             str(tmp_path), "--output", str(tmp_path / "x.pdf")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "index.html not found; build the site first" in result.stderr


def test_onboarding_pack_of_a_site_without_a_new_staff_page_is_a_clear_error(tmp_path):
    from handbook.pdf import assemble

    (tmp_path / "index.html").write_text(NAV.replace('href="onboarding/"', 'href="guide/"'), encoding="utf-8")
    with pytest.raises(ValueError, match="no onboarding/ page in the navigation"):
        assemble(tmp_path, "zh", "onboarding")
