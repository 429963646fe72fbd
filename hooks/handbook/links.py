"""The final-HTML link check: every internal href/src resolves to a built file and, with a
fragment, to an element id in it; nothing loads from another host.

mkdocs validates Markdown links only; links written in raw HTML, by templates or by our hooks
(citations, principle links, backlinks, tags, the language switcher) are checked here.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from handbook.problems import Problem

# Attributes that load a resource into the page (an external one is never allowed) ...
RESOURCE_ATTRIBUTES = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("source", "src"),
                       ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
                       ("object", "data"), ("input", "src"), ("track", "src"), ("image", "href")}
# ... and those that link to another page (external only to allowlisted hosts).
HYPERLINK_ATTRIBUTES = {("a", "href"), ("area", "href"), ("form", "action")}
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon", "mask-icon"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")  # CSS, not markup: a pattern is the right tool
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


class Url(NamedTuple):
    external: bool
    host: str  # of an external URL
    path: str  # unquoted
    fragment: str  # unquoted


@functools.lru_cache(maxsize=65536)
def split_url(url: str) -> Url:
    """A URL's parts, worked out once: every page repeats the navigation's links (a pure function, so a
    cache keyed by the URL stays right across `mkdocs serve` rebuilds)."""
    parts = urlsplit(url)
    external = url.startswith("//") or bool(parts.scheme) and parts.scheme not in ("data", "blob")
    return Url(external, (parts.hostname or url) if external else "", unquote(parts.path), unquote(parts.fragment))


def is_external(url: str) -> bool:
    return split_url(url).external


# Most references are the href of an <a>: one XPath gives them as plain strings, in C. The other attributes
# that can hold a URL, and the text of <style> elements, come as lxml's "smart strings" (the value, and where it
# was found), in document order. Visiting every element in Python cost more than the rest of the check.
_ANCHOR_HREFS = etree.XPath("//a/@href", smart_strings=False)
_OTHER_REFERRING = etree.XPath("//*[not(self::a)]/@href | //@src | //@srcset | //@poster | //@data | //@action"
                               " | //@style | //style/text()")
_IDS = etree.XPath("//@id | //a/@name", smart_strings=False)
_SHOWN = etree.XPath("//@alt | //@title | //@aria-label | //@placeholder | //meta/@content", smart_strings=False)


def references(root) -> list[tuple[str, str, bool]]:
    """(tag, url, loads_resource) for every reference in a parsed page, CSS url() included: the links of <a>
    first, then the others in document order."""
    found = [("a", url, False) for url in _ANCHOR_HREFS(root)]
    for node in _OTHER_REFERRING(root):
        element = node.getparent()
        tag = element.tag.lower()
        if node.is_text:  # a <style> element's text
            found += [(tag, url, True) for url in CSS_URL.findall(node) + CSS_IMPORT.findall(node)]
            continue
        attribute, value = node.attrname, str(node)
        key = (tag, attribute)
        if key in RESOURCE_ATTRIBUTES:
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
            found += [(tag, url, True) for url in urls if url]
        elif key in HYPERLINK_ATTRIBUTES:
            found.append((tag, value, False))
        elif tag == "link" and attribute == "href":
            loads = bool(LOADING_RELS & set((element.get("rel") or "").lower().split()))
            found.append((tag, value, loads))
        elif attribute == "style":
            found += [(tag, url, True) for url in CSS_URL.findall(value)]
    return found


@dataclass(frozen=True)
class BuiltPage:
    ids: frozenset[str]
    lines: tuple[str, ...]  # its text's lines that are not blank, for the 保密 gate (which skips blank lines)
    shown: tuple[str, ...] = ()  # attributes a reader sees or hears (alt, title, labels, meta content): the gate too


class Site:
    """The built site: which files exist and which ids each page has (each page parsed once, for the link
    check and the 保密 gate alike, and forgotten with this object at the end of the language build).

    The file list is read once, and links are resolved as strings with a cache: a page's
    navigation repeats the same relative links on every page of a folder.
    """

    def __init__(self, site_dir: Path, known: dict[str, BuiltPage] | None = None):
        """``known``: pages read before and not written since (the preview of `make serve` keeps them)."""
        self.site_dir = site_dir
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for folder, dirnames, filenames in os.walk(site_dir):
            relative = Path(folder).relative_to(site_dir).as_posix()
            relative = "" if relative == "." else relative
            self.dirs.update(posixpath.join(relative, name) for name in dirnames)
            self.files.update(posixpath.join(relative, name) for name in filenames)
        self._pages: dict[str, BuiltPage] = dict(known or {})
        self._references: dict[str, tuple[tuple[str, str, bool], ...]] = {}  # until the link check takes them
        # Each distinct line or attribute once: every page repeats the navigation, header and footer, and at
        # 100× one copy of them per page was a large part of the build's peak memory.
        self._strings: dict[str, str] = {}
        # What each internal link comes to, by the folder its ../ steps lead to and the rest of the URL
        # (see link_key): every page repeats the navigation's links, and a cache by page would hit nothing.
        self._verdicts: dict[tuple[str, str], tuple[str, str | None]] = {}  # most are OK, one shared tuple
        # What each URL written on a page comes to, for the pages of one folder: check_page's own cache, which
        # spares it even the key of a verdict for the navigation's links (see outcomes).
        self._outcomes: dict[tuple[str, str | None], dict[str, tuple[str, str | None, str]]] = {}

    def page(self, relative: str) -> BuiltPage:
        """What the checks need of a built page, read from one parse; the tree itself is not kept (at 100×
        the site's size, keeping every parsed page was most of the build's peak memory)."""
        if relative not in self._pages:
            root = lxml_html.parse(str(self.site_dir / relative)).getroot()
            strings = self._strings
            self._references[relative] = tuple(references(root))
            self._pages[relative] = BuiltPage(frozenset(value for value in _IDS(root) if value),
                                              tuple(strings.setdefault(line, line) for line in root.text_content().split("\n")
                                                    if line and not line.isspace()),
                                              tuple(strings.setdefault(value, value) for value in _SHOWN(root)))
        return self._pages[relative]

    def pages_read(self) -> dict[str, BuiltPage]:
        return self._pages

    def take_references(self, relative: str) -> tuple[tuple[str, str, bool], ...]:
        """The references of a built page, handed over once: the link check is their only reader."""
        self.page(relative)
        return self._references.pop(relative, ())

    def outcomes(self, page: str) -> tuple[dict, dict]:
        """Where check_page keeps what each URL of ``page`` comes to: one dict for the URLs that begin with ../,
        shared by the pages of every sibling folder (the first step leads to the same parent), and one for the
        others, shared by the pages of the same folder. A URL that begins with # or ? is the page's own."""
        folder = page.rpartition("/")[0]
        parent = folder.rpartition("/")[0] if folder else None  # None: above the site
        return self._outcomes.setdefault(("up", parent), {}), self._outcomes.setdefault(("here", folder), {})

    def ids(self, relative: str) -> frozenset[str]:
        return self.page(relative).ids

    def verdict(self, page: str, url: str) -> tuple[str, str | None]:
        """("ok", None), ("broken-link", None) or ("missing-anchor", the built file) for an internal ``url`` of ``page``."""
        key = link_key(page, url)
        found = self._verdicts.get(key)
        if found is None:
            target = self.resolve(page, url)
            fragment = split_url(url).fragment
            if target is None:
                found = ("broken-link", None)
            elif fragment and target.endswith(".html") and fragment not in self.ids(target):
                found = ("missing-anchor", target)
            else:
                found = _OK
            self._verdicts[key] = found
        return found

    def resolve(self, page: str, url: str) -> str | None:
        """The site-relative built file a relative (or site-absolute) URL points at, or None.

        Worked out each time, segment by segment, as posixpath.normpath would: a cache by page folder and path
        rarely hit (with directory URLs every page is its own folder) and at 100× held a million entries."""
        path = split_url(url).path
        if not path:
            return page
        parts = [] if path.startswith("/") or "/" not in page else page.rsplit("/", 1)[0].split("/")
        for segment in path.split("/"):
            if segment == "..":
                if not parts:
                    return None  # above the site
                parts.pop()
            elif segment and segment != ".":
                parts.append(segment)
        target = "/".join(parts)
        if target in self.dirs:
            target = f"{target}/index.html" if target else "index.html"
        return target if target in self.files else None


_OK = ("ok", None)


def link_key(page: str, url: str) -> tuple[str, str]:
    """What an internal link's target depends on: the folder its leading ../ steps lead to from ``page``, and
    the rest of the URL. A link with no path (#x, ?q) is the page's own."""
    if url.startswith(("#", "?")):
        return page, url
    if url.startswith("/"):
        return "/", url
    folders = page.split("/")[:-1]
    ups = 0
    while url.startswith("../", 3 * ups):
        ups += 1
    if ups > len(folders):
        return "..", url  # above the site, wherever the page is
    return "/".join(folders[: len(folders) - ups]), url[3 * ups :]


def may_be_external(url: str) -> bool:
    """Whether ``url`` can have a scheme or a host: a scheme ends before the first /, ? or #."""
    return url.startswith("//") or ":" in url.partition("/")[0].partition("#")[0].partition("?")[0]


def link_problem(page: str, link: str, rule: str, reason: str, fix: str) -> Problem:
    """A problem of a built page (site-relative ``page``); the build names the Markdown line where it can."""
    return Problem(f"../site/{page}", 0, f"{link} in {page}: {reason}", rule=rule, fix=fix, subject=link)


def check_page(site: Site, page: Path, allowed_hosts: set[str], site_url: str = "") -> tuple[int, list[Problem]]:
    """Check one built page; returns the number of references checked and the problems.

    A URL under ``site_url`` (Material's canonical links; `mkdocs serve` sets it to its own
    address) is a page of this site, checked like a site-absolute path.
    """
    relative = page.relative_to(site.site_dir).as_posix()
    problems = []
    refs = site.take_references(relative)
    up, here = site.outcomes(relative)
    for tag, url, loads in refs:
        url = url.strip()
        if url.startswith(("#", "?")):
            found = link_outcome(site, relative, url, site_url)  # the page's own: its verdict is kept by page
        else:
            outcomes = up if url.startswith("../") else here
            found = outcomes.get(url)
            if found is None:
                found = outcomes[url] = link_outcome(site, relative, url, site_url)
        kind, detail, url = found
        if kind == "ok":
            continue
        if kind == "external":
            if loads:
                problems.append(link_problem(relative, url, "external-resource", f"<{tag}> loads from {detail}, which the intranet cannot reach",
                                            "serve the file from the site itself (docs/assets/) or remove it"))
            elif detail not in allowed_hosts:
                problems.append(link_problem(relative, url, "external-link", f"<{tag}> links to {detail}, which is not allowlisted",
                                            "remove the link, or add the host to extra.handbook.integrity.allowed_hosts in mkdocs.yml"))
        elif kind == "broken-link":
            problems.append(link_problem(relative, url, "broken-link", "no such file in the built site",
                                        "link to an existing page (a .md path relative to this page) or asset"))
        elif kind == "missing-anchor":
            where = "this page" if detail == relative else detail
            problems.append(link_problem(relative, url, "missing-anchor",
                                         f"{where} has no element with id '{split_url(url).fragment}'",
                                         "link to an existing heading, clause ID or paragraph (#p12) anchor"))
    return len(refs), problems


def link_outcome(site: Site, page: str, url: str, site_url: str) -> tuple[str, str | None, str]:
    """(kind, detail, the URL as checked) for a stripped ``url`` of ``page``: kind "ok" (nothing to check, or it
    resolves), "external" (detail: its host), "broken-link", or "missing-anchor" (detail: the built file)."""
    if not url or url == "#" or url.startswith(("data:", "blob:")):
        return "ok", None, url
    if site_url and url.startswith(site_url):
        url = "/" + url[len(site_url):].lstrip("/")
    if may_be_external(url):
        parts = split_url(url)
        if parts.external:
            return "external", parts.host, url
    kind, target = site.verdict(page, url)
    return kind, target, url


def check_css(path: Path, site_dir: Path) -> list[Problem]:
    """External url() or @import in a stylesheet of the site."""
    text = path.read_text(encoding="utf-8", errors="replace")
    relative = path.relative_to(site_dir).as_posix()
    return [link_problem(relative, url, "external-resource", f"the stylesheet loads {url} from another host",
                        "serve the file from the site itself (docs/assets/) or remove it")
            for url in CSS_URL.findall(text) + CSS_IMPORT.findall(text) if is_external(url.strip())]


def source_line(source: str, link: str) -> int:
    """Best guess of the Markdown line that wrote ``link``: the first line naming its fragment or file."""
    parts = urlsplit(link)
    needles = [unquote(parts.fragment)] if parts.fragment else []
    name = PurePosixPath(unquote(parts.path)).name
    needles += [name, name + ".md"] if name not in ("", ".", "..", "index.html") else []
    for needle in needles:
        for number, line in enumerate(source.split("\n"), start=1):
            if needle and needle in line:
                return number
    return 0
