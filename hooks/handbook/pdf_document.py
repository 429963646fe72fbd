"""The printable handbook: one HTML document assembled from a language's built pages, for WeasyPrint.

Why our own assembly and not mkdocs-to-pdf (measured here): under mkdocs-static-i18n that plugin
collects the pages of every language into one PDF, it sets Japanese glyph forms for Chinese, titles
its TOC "Table of contents" and numbers chapters 1.1; and it cannot make a second, shorter edition
(the 新人入职 pack). Working from the built site also means the PDF shows exactly what the site
shows, after every hook has run.

The order and titles come from the site's own navigation (the sidebar of the home page), so the
PDF's bookmarks match it. Every id is made unique per page; a link to a page in the edition
points inside the PDF, any other link becomes plain text (a PDF reader has no site to go to).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from handbook.labels import label_table

EDITIONS = ("handbook", "onboarding")
# Pages that only make sense on the site: the home page (cards, how to use the site) and the tag index.
SITE_ONLY = {"", "tags"}
SPEECHES = "speeches"
ONBOARDING = "onboarding"
NORMS = "norms"
# Site chrome inside the article that has no place on paper.
DROP = (("nav", "md-tags"), ("aside", "md-source-file"), ("a", "headerlink"), ("a", "md-content__button"),
        ("form", None), ("script", None))

@dataclass
class NavEntry:
    title: str
    key: str | None  # the page's site path without index.html and slashes ("norms/documents"); None: a bare section
    children: list[NavEntry] = field(default_factory=list)


@dataclass
class Chapter:
    """One page of the edition, in reading order."""
    key: str
    title: str  # as in the navigation
    level: int  # bookmark level: 1 for a top-level entry
    part: str  # the top-level navigation title, for the running header
    source: Path  # the built HTML file
    base: str  # the directory its relative links start from ("norms/documents", or "norms" offline)
    sections: list[tuple[int, str]] = field(default_factory=list)  # bare nav sections opening before this page


def page_key(path: str) -> str:
    """Canonical site path of a page: 'norms/documents/', 'norms/documents/index.html' and
    'norms/documents.html' (offline build) all give 'norms/documents'; the home page gives ''."""
    path = path.split("#")[0].split("?")[0]
    for suffix in ("index.html", ".html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    normal = posixpath.normpath(path).strip("/") if path.strip("/") else ""
    return "" if normal == "." else normal


def anchor_of(key: str, fragment: str = "") -> str:
    """The id a page (or an anchor in it) gets in the assembled document."""
    base = "page-" + (key.replace("/", "-") or "home")
    return f"{base}--{fragment}" if fragment else base


def built_file(language_dir: Path, key: str) -> tuple[Path, str]:
    """The built HTML file of a page and the directory its links are relative to, with directory URLs
    (norms/documents/index.html) or without them (the offline build: norms/documents.html)."""
    directory = language_dir / key / "index.html"
    if directory.is_file() or not key:
        return directory, key
    return language_dir / f"{key}.html", posixpath.dirname(key)


def read_navigation(home: lxml_html.HtmlElement) -> list[NavEntry]:
    """The primary navigation as the site shows it (Material's sidebar on the home page)."""
    navs = [ul for nav in elements(home, "nav", "md-nav--primary") for ul in nav.xpath("./ul")]
    if not navs:
        raise ValueError("no primary navigation (nav.md-nav--primary) in the home page")

    def entries(ul) -> list[NavEntry]:
        found = []
        for item in ul.xpath("./li"):
            links = item.xpath('./div[contains(@class, "md-nav__container")]/a | ./a')
            href = links[0].get("href") if links else None
            if href is not None and href.startswith("#"):
                continue  # the home page's own table of contents, not navigation
            label = links[0] if links else item.xpath("./label")[0]
            title = " ".join(label.text_content().split())
            children = [entry for sub in item.xpath("./nav/ul") for entry in entries(sub)]
            found.append(NavEntry(title, page_key(href) if href is not None else None, children))
        return found

    return entries(navs[0])


def chapters_of(navigation: list[NavEntry], language_dir: Path, edition: str, language: str,
                onboarding_keys: list[str] | None = None) -> list[Chapter]:
    """The pages of an edition in navigation order, with their bookmark levels.

    handbook: every page but the site-only ones, the speeches last as an appendix.
    onboarding: the 新人入职 page and the norm pages it links to, in the order it gives them.
    """
    words = label_table(language)["pdf"]
    chapters: list[Chapter] = []

    def walk(entries: list[NavEntry], level: int, part: str, pending: list[tuple[int, str]]) -> None:
        for entry in entries:
            top = part or entry.title
            if level == 1 and entry.key is not None and entry.key.split("/")[0] == SPEECHES:
                top = words["appendix"] + entry.title
            if entry.key is not None and entry.key not in SITE_ONLY:
                title = top if level == 1 else entry.title
                chapters.append(Chapter(entry.key, title, level, top, *built_file(language_dir, entry.key),
                                        list(pending)))
                pending.clear()
            elif entry.key is None and entry.children:
                pending.append((level, top if level == 1 else entry.title))
            walk(entry.children, level + 1, top, pending)

    walk(navigation, 1, "", [])
    if edition == "handbook":
        return chapters
    by_key = {chapter.key: chapter for chapter in chapters}
    norms_title = by_key[NORMS].title if NORMS in by_key else NORMS
    onboarding = by_key[ONBOARDING]
    pack = [Chapter(onboarding.key, onboarding.title, 1, onboarding.title, onboarding.source, onboarding.base)]
    norms = [by_key[key] for key in onboarding_keys or [] if key in by_key]
    pack += [Chapter(c.key, c.title, 2, norms_title, c.source, c.base, [(1, norms_title)] if i == 0 else [])
             for i, c in enumerate(norms)]
    return pack


def linked_norm_pages(article: lxml_html.HtmlElement, base: str) -> list[str]:
    """Norm pages a page links to, in the order of first mention (the onboarding pack's contents)."""
    found: list[str] = []
    for link in article.iter("a"):
        target = resolve(base, link.get("href") or "")
        if target and target[0].split("/")[0] == NORMS and target[0] not in found and target[0] != NORMS:
            found.append(target[0])
    return found


def resolve(base: str, href: str) -> tuple[str, str] | None:
    """(page key, fragment) of an internal link on a page whose links start from ``base``;
    None for external links and files."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("mailto:"):
        return None
    fragment = unquote(parts.fragment)
    if not parts.path:
        return None if href.startswith("?") else ("", fragment)  # the caller knows its own page
    if posixpath.splitext(parts.path.rstrip("/"))[1] not in ("", ".html"):
        return None  # an image, a stylesheet, a download
    return page_key(posixpath.join(base, unquote(parts.path))), fragment


def elements(root: lxml_html.HtmlElement, tag: str, css_class: str | None = None) -> list[lxml_html.HtmlElement]:
    """Descendants with this tag (and class): the CSS selector tag.class, without a cssselect dependency."""
    if css_class is None:
        return root.xpath(f".//{tag}")
    return root.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {css_class} ")]')


def article_of(page: lxml_html.HtmlElement, source: Path) -> lxml_html.HtmlElement:
    found = elements(page, "article", "md-content__inner")
    if not found:
        raise ValueError(f"{source}: no article.md-content__inner; is this a page built by Material?")
    return found[0]


def prepare_article(article: lxml_html.HtmlElement, chapter: Chapter, included: set[str],
                    language_dir: Path) -> lxml_html.HtmlElement:
    """The page's content made ready for print: chrome dropped, ids unique, links inside the PDF or plain text."""
    for tag, css_class in DROP:
        for element in elements(article, tag, css_class):
            element.drop_tree()
    for element in article.iter():
        if element.get("id"):
            element.set("id", anchor_of(chapter.key, element.get("id")))
        if element.tag == "img" and element.get("src"):
            src_path = posixpath.normpath(posixpath.join(chapter.base, unquote(urlsplit(element.get("src")).path)))
            element.set("src", (language_dir / src_path).resolve().as_uri())
    for checkbox in elements(article, "label", "task-list-control"):
        box = lxml_html.Element("span", {"class": "hb-pdf-checkbox"})
        box.tail = (checkbox.tail or "").lstrip()  # the box keeps its own margin; justified text would widen a space
        checkbox.getparent().replace(checkbox, box)
    for link in list(article.iter("a")):
        href = link.get("href") or ""
        target = resolve(chapter.base, href)
        if target and not urlsplit(href).path:
            target = (chapter.key, target[1])  # #anchor on the same page
        link.attrib.pop("title", None)  # hover previews: nothing to hover on paper
        if target and target[0] in included:
            page, fragment = target
            link.set("href", "#" + anchor_of(page, fragment))
        elif "hb-para-link" in (link.get("class") or ""):
            link.tag = "span"  # the ¶N paragraph number stays, as text
            link.attrib.pop("href", None)
        else:
            link.drop_tag()  # a page outside this edition: keep the words, drop the link
    article.tag = "section"
    article.attrib.clear()
    article.set("class", "hb-pdf-chapter hb-pdf-" + chapter.key.split("/")[0])
    article.set("id", anchor_of(chapter.key))
    article.set("data-part", chapter.part)
    article.set("data-title", chapter.title)
    article.set("data-level", str(chapter.level))
    return article
