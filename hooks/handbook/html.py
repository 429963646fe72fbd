"""Small operations on rendered page HTML, with lxml (never regular expressions over markup)."""

from __future__ import annotations

from collections import Counter

from lxml import etree
from lxml import html as lxml_html

_WRAPPER = "hb-fragment"


def parse_fragment(content: str) -> lxml_html.HtmlElement:
    """Parse page content (a fragment with many top-level elements) under one wrapper div."""
    return lxml_html.fragment_fromstring(content, create_parent=_WRAPPER)


def serialize_fragment(root: lxml_html.HtmlElement) -> str:
    """The HTML inside ``root`` (a wrapper without attributes): one call of the serializer, not one per child."""
    html = lxml_html.tostring(root, encoding="unicode")
    return html[len(f"<{root.tag}>") : -len(f"</{root.tag}>")]


_IDS = etree.XPath(".//@id", smart_strings=False)


def duplicate_ids(root: lxml_html.HtmlElement) -> list[str]:
    """Element ids that occur more than once in the page content, in order of first use."""
    counts = Counter(anchor for anchor in _IDS(root) if anchor)
    return [anchor for anchor, count in counts.items() if count > 1]


def add_paragraph_links(root: lxml_html.HtmlElement, label: str) -> None:
    """Put a small copyable link before each paragraph anchor (#p1, #p2, …), kept out of search.

    ``label`` is a format string with {number}, e.g. "第{number}段：复制本段链接".
    """
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


def add_backlinks(root: lxml_html.HtmlElement, backlinks: dict[str, list[tuple[str, str, str]]], label: str,
                  separator: str = "、") -> None:
    """After each cited paragraph, a small list of what cites it, kept out of search.

    ``backlinks`` maps a paragraph anchor (p12) to (href, text, title) links. A paragraph
    whose anchor sits on its heading gets the list after the body that follows the heading.
    """
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


SKIPPED_FOR_TERMS = {"a", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def add_term_links(root: lxml_html.HtmlElement, matcher, href_for, policy: str = "first-in-section") -> None:
    """Link occurrences of the matcher's terms in running text, never in headings, links or code.

    ``href_for(term)`` gives the link target, or None where the term must not be linked (its own
    page). With ``first-in-section`` only a term's first occurrence after each heading is linked.
    """
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
