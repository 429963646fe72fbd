"""Hook: the 保密 gate over the Markdown sources and the built text.

Refuses classification markings, 密级 labels, resident ID numbers (valid check digit), phone
numbers, e-mail addresses, QQ/WeChat numbers and advertising residue (the markers of
sources/ingest-rules.yml); a page whose front matter declares a 密级 above 内部 stops the build.
Legitimate exceptions go into sources/secrecy-allowlist.yml, each with a reason.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import yaml
from handbook.front_matter import FRONT_MATTER
from handbook.html import parse_built_page, release_built_pages
from handbook.languages import is_default_language
from handbook.problems import Problem
from handbook.secrecy import allowlist_problems, level_problem, scan
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


def without_front_matter(source: str) -> str:
    """The file with its front matter blanked (the 密级 declaration is not a marking); lines keep their numbers."""
    match = FRONT_MATTER.match(source)
    return source if match is None else "\n" * match.group(0).count("\n") + source[match.end():]


def on_page_markdown(markdown, page, config, files):
    path = f"docs/{page.file.src_uri}"
    if problem := level_problem(page.meta):
        # Stop at once: nothing of a classified page may reach the site directory.
        raise PluginError(f"{path}:1: [保密:密级] {problem}")
    for finding in scan(without_front_matter(source_of(page.file, files)), state["markers"], state["allowlist"], path):
        log.error(str(Problem(page.file.src_uri, finding.line,
                              f"[保密:{finding.rule.name}] '{finding.text}' looks like {finding.rule.what}; {finding.rule.fix}, "
                              f"or list it in {ALLOWLIST} with the reason it may be published.")))
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
        lines = [line for line in parse_built_page(built).text_content().split("\n") if line.strip() and line not in seen_lines]
        seen_lines.update(lines)
        seen = set()
        for finding in scan("\n".join(lines), state["markers"], state["allowlist"], path):
            if (finding.rule.name, finding.text) in seen:
                continue
            seen.add((finding.rule.name, finding.text))
            log.error(f"site/{built.relative_to(config.site_dir).as_posix()}: [保密:{finding.rule.name}] the built page shows "
                      f"'{finding.text}' ({finding.rule.what}), from {path} or its template; {finding.rule.fix}.")
    release_built_pages()  # the last check of this language's built pages (see mkdocs.yml's hooks)
    log.info(f"[保密] built text of {len(pages)} pages checked, {time.perf_counter() - started:.2f} s")
