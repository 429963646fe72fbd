"""The generated tables and lists (工作规范 index, 覆盖, 常见问题, 修订记录) as HTML elements, built after Markdown.

These pages list every clause or every paragraph: thousands of links at scale. Written as Markdown, each link
went through Python-Markdown's inline patterns and mkdocs' link resolution (a static-i18n file lookup per link),
which cost more than the rest of the build of those pages. Their headings stay Markdown (the table of contents
and the permalinks come from there); what lies between them is built here, as the HTML Python-Markdown wrote
for it, and put in place of a marker comment when the page's HTML is parsed (pipeline.insert_blocks). Links are
final URLs, worked out from the build's files, and the post-build link check resolves them like any other.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Union

from lxml import etree
from lxml import html as lxml_html

MARKER = "hb-block"  # the comment <!-- hb-block N --> a generated block replaces


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


Inline = Union[str, Link, Strong]
Cell = Union[Inline, Sequence[Inline]]
Href = Callable[..., str]  # (page uri, fragment="") -> the URL from the page being built


def _parts(cell: Cell) -> Sequence[Inline]:
    return (cell,) if isinstance(cell, (str, Link, Strong)) else cell


def append_inline(parent, parts: Iterable[Inline]) -> None:
    """Text and links at the end of ``parent``, as Python-Markdown nests them (text in .text or a tail)."""
    for part in parts:
        if isinstance(part, (Link, Strong)):
            element = etree.SubElement(parent, "a", href=part.href) if isinstance(part, Link) else etree.SubElement(parent, "strong")
            element.text = part.text
            continue
        if not part:
            continue
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + part
        else:
            parent.text = (parent.text or "") + part


def format_parts(template: str, **values: Inline | Sequence[Inline]) -> list[Inline]:
    """A label's format string (e.g. "{old} 并入 {new}") with links among its values, as inline parts."""
    parts: list[Inline] = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            value = values[name]
            parts += _parts(value) if not isinstance(value, str) else [format(value, spec or "")]
    return [part for part in parts if part != ""]


def one_line(text) -> str:
    """Text from front matter or data on one line, as a table cell or a link shows it."""
    return " ".join(str(text).split())


def block(tag: str, attributes: dict | None = None, text: str | None = None, tail: str | None = "\n"):
    """A block element, followed by a newline as Python-Markdown writes them."""
    element = lxml_html.Element(tag, attributes or {})
    element.text, element.tail = text, tail
    return element


def table(header: Sequence[str], rows: Iterable[Sequence[Cell]], right: frozenset[int] = frozenset()):
    """A table as Python-Markdown's tables extension writes it (align="right" for the columns in ``right``)."""
    element = block("table", text="\n")
    head = etree.SubElement(element, "thead")
    head.text, head.tail = "\n", "\n"
    head_row = etree.SubElement(head, "tr")
    head_row.text, head_row.tail = "\n", "\n"
    for column, title in enumerate(header):
        cell = etree.SubElement(head_row, "th", align="right") if column in right else etree.SubElement(head_row, "th")
        cell.text, cell.tail = title, "\n"
    body = etree.SubElement(element, "tbody")
    body.text, body.tail = "\n", "\n"
    for row in rows:
        tr = etree.SubElement(body, "tr")
        tr.text, tr.tail = "\n", "\n"
        for column, value in enumerate(row):
            cell = etree.SubElement(tr, "td", align="right") if column in right else etree.SubElement(tr, "td")
            cell.tail = "\n"
            append_inline(cell, _parts(value))
    return element


def bullet_list(items: Iterable[Cell]) -> lxml_html.HtmlElement:
    """<ul> with one <li> per item."""
    element = block("ul", text="\n")
    for item in items:
        entry = etree.SubElement(element, "li")
        entry.tail = "\n"
        append_inline(entry, _parts(item))
    return element


def paragraph(parts: Cell, strong: bool = False) -> lxml_html.HtmlElement:
    element = block("p")
    if strong:
        bold = etree.SubElement(element, "strong")
        append_inline(bold, _parts(parts))
    else:
        append_inline(element, _parts(parts))
    return element


def tabs(titles: Sequence[str], contents: Sequence[lxml_html.HtmlElement]) -> lxml_html.HtmlElement:
    """pymdownx.tabbed's alternate style: radio inputs, then labels, then one block per tab (no script needed).
    Numbered when it is put in its page (insert_blocks), after the page's own tab sets."""
    element = block("div", {"class": "tabbed-set tabbed-alternate", "data-tabs": ""})
    for index in range(len(titles)):
        attributes = {"id": "", "name": "", "type": "radio"}  # the ids are set by number_tab_set
        if index == 0:
            attributes = {"checked": "checked", **attributes}
        etree.SubElement(element, "input", attributes)
    labels = etree.SubElement(element, "div", {"class": "tabbed-labels"})
    labels.tail = "\n"
    for title in titles:
        label = etree.SubElement(labels, "label")
        label.text = title
    content = etree.SubElement(element, "div", {"class": "tabbed-content"})
    content.text, content.tail = "\n", "\n"
    for tab_content in contents:
        tab = etree.SubElement(content, "div", {"class": "tabbed-block"})
        tab.text, tab.tail = "\n", "\n"
        tab.append(tab_content)
    return element


@dataclass
class Blocks:
    """A page's generated blocks: the Markdown carries a marker for each, the elements wait here until the
    page's HTML is parsed."""

    elements: list[list] = field(default_factory=list)

    def markdown(self, parts: Iterable) -> str:
        """Markdown parts (headings) as they are; each run of elements becomes one marker."""
        out: list[str] = []
        run: list = []
        for part in [*parts, ""]:
            if isinstance(part, str):
                if run:
                    self.elements.append(run)
                    out.append(f"<!-- {MARKER} {len(self.elements) - 1} -->")
                    run = []
                if part:
                    out.append(part)
            else:
                run.append(part)
        return "\n\n".join(out)


_TAB_SETS = etree.XPath("descendant-or-self::div[contains(concat(' ', @class, ' '), ' tabbed-set ')]")


def number_tab_set(element, number: int) -> None:
    """The ids pymdownx gives the n-th tab set of a page: __tabbed_<n>_<tab>, the inputs named __tabbed_<n>."""
    inputs = element.findall("input")
    element.set("data-tabs", f"{number}:{len(inputs)}")
    for index, (radio, label) in enumerate(zip(inputs, element.find("div").findall("label")), start=1):
        for name, value in (("id", f"__tabbed_{number}_{index}"), ("name", f"__tabbed_{number}")):
            radio.set(name, value)
        label.set("for", f"__tabbed_{number}_{index}")


def insert_blocks(root, blocks: Blocks) -> None:
    """Put each block's elements where its marker comment stands in the parsed page; their tab sets are
    numbered after the page's own."""
    number = len(_TAB_SETS(root))
    for comment in list(root.iter(etree.Comment)):
        words = (comment.text or "").split()
        if len(words) != 2 or words[0] != MARKER or not words[1].isdigit() or int(words[1]) >= len(blocks.elements):
            continue
        parent, tail = comment.getparent(), comment.tail
        position = parent.index(comment)
        elements = blocks.elements[int(words[1])]
        parent.remove(comment)  # and its tail with it: the last element takes it over (one newline between
        # blocks, as Python-Markdown writes them; a raw HTML block's tail also holds the blank line after it)
        for offset, element in enumerate(elements):
            parent.insert(position + offset, element)
            for tab_set in _TAB_SETS(element):
                number += 1
                number_tab_set(tab_set, number)
        elements[-1].tail = tail if not tail or tail.strip() else "\n"
