"""Hook: the 保密 gate over everything published — the Markdown sources with their front matter,
SVG files, the built pages (text and shown attributes), the search index, the PDFs and the offline zip.

Refuses classification markings, 密级 labels, personal data in any written form (resident ID numbers
with a valid check digit, mobile and landline numbers, e-mail addresses, QQ/WeChat numbers and IDs,
bank card numbers with a valid Luhn digit, vehicle plates; see hooks/handbook/secrecy.py) and
advertising residue (the markers of sources/ingest-rules.yml); a page whose front matter declares a
密级 above 内部 stops the build. Legitimate exceptions go into sources/secrecy-allowlist.yml, each with
a reason.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import yaml
from handbook.front_matter import FRONT_MATTER
from handbook.html import parse_built_page, release_built_pages
from handbook.languages import is_default_language
from handbook.problems import Problem
from handbook.secrecy import (
    PERSONAL_DATA,
    allowlist_problems,
    level_problem,
    pdf_texts,
    scan,
    scan_texts,
    search_index_texts,
    svg_texts,
    zip_texts,
)
from handbook.sources import source_of
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.secrecy_gate")
ALLOWLIST = "sources/secrecy-allowlist.yml"

# The rules' data, and per language build in progress the pages to check once it is built
# (static-i18n builds the next language inside this one's on_post_build: builds nest).
state: dict = {}
builds: list[list[tuple[Path, str]]] = []


def on_config(config):
    repo = Path(config.config_file_path).parent
    rules = yaml.safe_load((repo / "sources" / "ingest-rules.yml").read_text(encoding="utf-8")) or {}
    allowlist_file = repo / ALLOWLIST
    allowlist = (yaml.safe_load(allowlist_file.read_text(encoding="utf-8")) or []) if allowlist_file.exists() else []
    for problem in allowlist_problems(allowlist):
        log.error(f"{ALLOWLIST}: {problem}; every exception states why it may be published.")
    state.update(markers=list(rules.get("ad_markers", [])), allowlist=allowlist)
    return config


def on_pre_build(config):
    if is_default_language(config):  # the outermost build: drop what a build aborted midway left behind
        builds.clear()
    builds.append([])


def without_front_matter(source: str) -> tuple[str, str]:
    """(front matter, the rest) of a file, each padded with blank lines so that lines keep their numbers."""
    match = FRONT_MATTER.match(source)
    if match is None:
        return "", source
    return match.group(0), "\n" * match.group(0).count("\n") + source[match.end():]


def _report(path: str, line: int, finding, where: str = "") -> None:
    """One finding as a Problem: ``path`` is docs/… or site/…, ``line`` 0 where the file has no lines."""
    source = path[len("docs/"):] if path.startswith("docs/") else f"../{path}"
    log.error(str(Problem(source, line, f"{where + ': ' if where else ''}[保密:{finding.rule.name}] '{finding.shown}'"
                                        f"{f' (column {finding.column})' if line else ''} looks like {finding.rule.what}; "
                                        f"{finding.rule.fix}, or list it in {ALLOWLIST} with the reason it may be published.")))


def on_files(files, config):
    """Text files published as they are (the SVG diagrams): their text, with its lines."""
    if not is_default_language(config):  # static-i18n's other languages publish the same files
        return files
    for file in files.media_files():
        if file.src_uri.lower().endswith(".svg") and file.abs_src_path and Path(file.abs_src_path).is_file():
            path = f"docs/{file.src_uri}"
            texts = svg_texts(Path(file.abs_src_path).read_bytes())
            for _, line, finding in scan_texts(texts, state["markers"], state["allowlist"], path):
                _report(path, line, finding)
    return files


def on_page_markdown(markdown, page, config, files):
    path = f"docs/{page.file.src_uri}"
    if problem := level_problem(page.meta):
        # Stop at once: nothing of a classified page may reach the site directory.
        raise PluginError(f"{path}:1: [保密:密级] {problem}")
    front_matter, body = without_front_matter(source_of(page.file, files))
    # The front matter declares 密级 (no marking); personal data in it is published all the same.
    findings = scan(front_matter, [], state["allowlist"], path, PERSONAL_DATA) + \
        scan(body, state["markers"], state["allowlist"], path)
    for finding in findings:
        _report(path, finding.line, finding)
    builds[-1].append((Path(page.file.abs_dest_path), path))
    return markdown


# The built text: what templates and hooks added is checked too.
@event_priority(-200)
def on_post_build(config):
    started = time.perf_counter()
    pages = builds.pop() if builds else []
    seen_lines: set[str] = set()  # navigation, header and footer repeat on every page: scan each line once
    for built, path in pages:
        if not built.is_file():
            continue
        root = parse_built_page(built)
        lines = [line for line in root.text_content().split("\n") if line.strip() and line not in seen_lines]
        seen_lines.update(lines)
        # Image alt text, link titles and labels: shown to a reader, but not in text_content().
        shown = [value for value in root.xpath("//@alt | //@title | //@aria-label | //@placeholder | //meta/@content")
             if value.strip() and value not in seen_lines]
        seen_lines.update(shown)
        seen = set()
        for finding in scan("\n".join(lines), state["markers"], state["allowlist"], path) + \
                scan("\n\n".join(shown), [], state["allowlist"], path):
            if (finding.rule.name, finding.text) in seen:
                continue
            seen.add((finding.rule.name, finding.text))
            log.error(f"site/{built.relative_to(config.site_dir).as_posix()}: [保密:{finding.rule.name}] the built page shows "
                      f"'{finding.shown}' ({finding.rule.what}), from {path} or its template; {finding.rule.fix}.")
    release_built_pages()  # the last check of this language's built pages (see mkdocs.yml's hooks)
    if not builds:  # the outermost build: every language is built, the search index merged, the PDFs rendered
        check_downloads(Path(config.site_dir))
    log.info(f"[保密] built text of {len(pages)} pages checked, {time.perf_counter() - started:.2f} s")


def check_downloads(site: Path) -> None:
    """The search index, the PDFs and the offline zip: each carries the text of every page."""
    places = []
    index = site / "search" / "search_index.json"
    if index.is_file():
        places.append((index, lambda: search_index_texts(json.loads(index.read_text(encoding="utf-8")))))
    for pdf in sorted(site.glob("**/downloads/*.pdf")):
        places.append((pdf, lambda pdf=pdf: pdf_texts(pdf)))
    for bundle in sorted(site.glob("**/downloads/*.zip")):
        places.append((bundle, lambda bundle=bundle: zip_texts(bundle)))
    for place, texts in places:
        shown = f"site/{place.relative_to(site).as_posix()}"
        try:
            found = scan_texts(texts(), state["markers"], state["allowlist"], None)
        except Exception as error:  # a file the gate cannot read cannot be published unchecked
            log.error(f"{shown}: [保密:unreadable] the gate cannot read it ({error}); rebuild the release.")
            continue
        for where, line, finding in found:
            _report(shown if not line else f"{shown}: {where}", line, finding, "" if line else where)
