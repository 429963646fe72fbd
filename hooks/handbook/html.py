"""Small operations on rendered page HTML, with lxml (never regular expressions over markup)."""

from __future__ import annotations

import os
from collections import Counter

from lxml import etree
from lxml import html as lxml_html

_WRAPPER = "hb-fragment"


_built_pages: dict[str, tuple[tuple[int, int], lxml_html.HtmlElement]] = {}


def parse_built_page(path) -> lxml_html.HtmlElement:
    """A built page, parsed once for all the post-build checks (links, 保密 gate) that read it.

    Kept per path until release_built_pages(), and reparsed when the file changes, so
    `mkdocs serve` rebuilds see new pages.
    """
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _built_pages.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = (stamp, lxml_html.parse(str(path)).getroot())
        _built_pages[str(path)] = cached
    return cached[1]


def release_built_pages() -> None:
    """Forget the parsed built pages: the last post-build check of a language calls this, so the
    trees (most of a build's memory) do not outlive it."""
    _built_pages.clear()


def parse_fragment(content: str) -> lxml_html.HtmlElement:
    """Parse page content (a fragment with many top-level elements) under one wrapper div."""
    return lxml_html.fragment_fromstring(content, create_parent=_WRAPPER)


def serialize_fragment(root: lxml_html.HtmlElement) -> str:
    """The HTML inside ``root`` (a wrapper without attributes): one call of the serializer, not one per child."""
    html = lxml_html.tostring(root, encoding="unicode")
    return html[len(f"<{root.tag}>") : -len(f"</{root.tag}>")]


# The page content, parsed once for all the hooks of one on_page_content event (¶ links, cited-by
# lists, principle links). Each hook must return the HTML as a string, and mkdocs hands the next hook
# that very string object; so the tree it was serialized from is handed on with it instead of being
# parsed again. The slot holds one page, is keyed by the string object (which it keeps alive, so the
# identity cannot be reused) and is emptied when taken: a build, a language or a `mkdocs serve`
# rebuild never sees a tree other than the one of the string it was given.
_handed_on: tuple[str, lxml_html.HtmlElement] | None = None


def parse_content(content: str) -> lxml_html.HtmlElement:
    """The tree of ``content``: the one handed on with this string, else a new parse. Yours to change."""
    global _handed_on
    handed, _handed_on = _handed_on, None
    if handed is not None and handed[0] is content:
        return handed[1]
    return parse_fragment(content)


def hand_on(content: str, root: lxml_html.HtmlElement) -> str:
    """Return ``content``, handing ``root`` (its unchanged tree) on to the next parse_content of it."""
    global _handed_on
    _handed_on = (content, root)
    return content


def serialize_content(root: lxml_html.HtmlElement) -> str:
    """The HTML of ``root``, which is handed on with it: do not change ``root`` afterwards."""
    return hand_on(serialize_fragment(root), root)


_IDS = etree.XPath(".//@id", smart_strings=False)


def duplicate_ids(content: str) -> list[str]:
    """Element ids that occur more than once in the page content, in order of first use."""
    root = parse_content(content)
    counts = Counter(anchor for anchor in _IDS(root) if anchor)
    hand_on(content, root)  # read, not changed
    return [anchor for anchor, count in counts.items() if count > 1]


def add_paragraph_links(content: str, label: str) -> str:
    """Put a small copyable link before each paragraph anchor (#p1, #p2, …), kept out of search.

    ``label`` is a format string with {number}, e.g. "第{number}段：复制本段链接".
    """
    root = parse_content(content)
    for element in root.iter():
        anchor = element.get("id") or ""
        number = anchor[1:]
        if not (anchor.startswith("p") and number.isdigit()):
            continue
        link = lxml_html.Element(
            "a",
            {
                "class": "hb-para-link",
                "href": f"#{anchor}",
                "title": label.format(number=number),
                "data-search-exclude": "",
            },
        )
        link.text = f"¶{number}"
        link.tail = element.text
        element.text = None
        element.insert(0, link)
    return serialize_content(root)


def drop_alternate_links(document: str) -> str:
    """Remove <link rel="alternate" hreflang> from a whole page.

    Material fetches sitemap.xml relative to each of these links (for instant navigation,
    which we do not use); static-i18n makes them page-specific, so every page load logged
    404s. The visible language switcher is a separate element and is kept. Only the <head>
    is parsed and rewritten: the body is most of the page and is left untouched.
    """
    # Plain string search only to cut the <head> out; it is then parsed with lxml.
    start, end = document.find("<head>"), document.find("</head>")
    if start < 0 or end < start:
        return document
    head = lxml_html.fragment_fromstring(document[start + len("<head>") : end], create_parent="head")
    links = head.xpath("./link[@rel='alternate'][@hreflang]")
    if not links:
        return document
    for link in links:
        link.drop_tree()
    return document[: start + len("<head>")] + serialize_fragment(head) + document[end:]


def add_backlinks(content: str, backlinks: dict[str, list[tuple[str, str, str]]], label: str,
                  separator: str = "、") -> str:
    """After each cited paragraph, a small list of what cites it, kept out of search.

    ``backlinks`` maps a paragraph anchor (p12) to (href, text, title) links. A paragraph
    whose anchor sits on its heading gets the list after the body that follows the heading.
    """
    root = parse_content(content)
    for element in list(root.iter()):
        links = backlinks.get(element.get("id") or "")
        if not links:
            continue
        anchor_point = element
        following = element.getnext()
        if element.tag in ("h2", "h3", "h4", "h5", "h6") and following is not None and following.tag == "p" and not following.get("id"):
            anchor_point = following
        box = lxml_html.Element("div", {"class": "hb-cited-by", "data-search-exclude": ""})
        box.text = label
        for index, (href, text, title) in enumerate(links):
            link = lxml_html.Element("a", {"href": href, "title": title})
            link.text = text
            link.tail = separator if index < len(links) - 1 else ""
            box.append(link)
        box.tail = anchor_point.tail
        anchor_point.tail = None
        anchor_point.addnext(box)
    return serialize_content(root)


SKIPPED_FOR_TERMS = {"a", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LINK_POLICIES = ("first-in-section", "first-on-page", "every")


def add_term_links(content: str, matcher, href_for, policy: str = "first-in-section") -> str:
    """Link occurrences of the matcher's terms in running text, never in headings, links or code.

    ``href_for(term)`` gives the link target, or None where the term must not be linked (its own
    page). With ``first-in-section`` only a term's first occurrence after each heading is linked.
    """
    root = parse_content(content)
    seen: set = set()

    def links_for(text: str) -> tuple[str, list]:
        """Split ``text`` into its leading text and the <a> elements (with tails) that follow."""
        leading, anchors, position = None, [], 0
        for match in matcher.find(text):
            href = href_for(match.term)
            if href is None or (policy != "every" and match.term.src_uri in seen):
                continue
            seen.add(match.term.src_uri)
            before = text[position : match.start]
            if anchors:
                anchors[-1].tail = before
            else:
                leading = before
            link = lxml_html.Element("a", {"class": "hb-principle", "href": href, "title": match.term.summary})
            link.text = text[match.start : match.end]
            anchors.append(link)
            position = match.end
        if anchors:
            anchors[-1].tail = text[position:]
        return (leading if anchors else text), anchors

    def visit(element) -> None:
        if element.tag in HEADINGS and policy == "first-in-section":
            seen.clear()
        if element.tag in SKIPPED_FOR_TERMS or element.get("data-search-exclude") is not None:
            return
        if element.text:
            element.text, anchors = links_for(element.text)
            for index, anchor in enumerate(anchors):
                element.insert(index, anchor)
        for child in list(element):
            if isinstance(child.tag, str):  # not a comment: its own text may hold terms
                visit(child)
            if child.tail:
                child.tail, anchors = links_for(child.tail)
                for anchor in reversed(anchors):
                    child.addnext(anchor)

    visit(root)
    return serialize_content(root)
