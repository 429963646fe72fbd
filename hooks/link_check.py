"""Hook: check every internal link and anchor of the built pages, and that nothing loads from outside.

Runs after the build of each language (static-i18n builds /en/ after the Chinese pages), over
that language's pages, each parsed once. Settings in mkdocs.yml, extra.handbook.integrity:
  allowed_hosts: hosts that ordinary hyperlinks may point to (empty: none)
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from handbook.languages import current_language, is_default_language
from handbook.links import Site, check_css, check_page, source_line
from handbook.settings import handbook_settings
from handbook.sources import page_sources
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.link_check")

# One entry per language build in progress: (language, is it the default, [(built file, source path, source text)]).
# static-i18n builds the next language inside the current one's on_post_build, so builds nest:
# the last one started is the first to finish.
builds: list[tuple[str, bool, list[tuple[Path, str, str]]]] = []
totals = {"pages": 0, "links": 0, "problems": 0, "seconds": 0.0}


def on_pre_build(config):
    if is_default_language(config):  # the outermost build: drop what a build aborted midway left behind
        builds.clear()
        totals.update(pages=0, links=0, problems=0, seconds=0.0)


@event_priority(-200)
def on_files(files, config):
    sources = page_sources(files)
    pages = [(Path(f.abs_dest_path), f.src_uri, sources[f.src_uri]) for f in files.documentation_pages()]
    builds.append((current_language(config), is_default_language(config), pages))
    return files


# After static-i18n (priority -100), which builds the other languages from its own on_post_build:
# by then every page that a language switcher may link to exists.
@event_priority(-200)
def on_post_build(config):
    if not builds:
        return
    language, default_language, pages = builds.pop()
    started = time.perf_counter()
    site_dir = Path(config.site_dir)
    site = Site(site_dir)
    allowed = set(handbook_settings(config, "integrity").get("allowed_hosts") or [])
    checked_links, problems = 0, 0
    targets = [(built, src, text) for built, src, text in pages if built.is_file()]
    if default_language:  # the 404 pages (theme pages, see hooks/not_found.py), once every language is built
        for not_found in [site_dir / "404.html", *sorted(site_dir.glob("*/404.html"))]:
            if not_found.is_file():
                targets.append((not_found, None, ""))
    for built, src, text in targets:
        count, found = check_page(site, built, allowed, config.site_url or "")
        checked_links += count
        for problem in found:
            problems += 1
            where = f"docs/{src}:{source_line(text, problem.link)}" if src else f"site/{problem.page}"
            log.error(f"{where}: [{problem.rule}] {problem.link} in {problem.page}: {problem.reason}; {problem.fix}.")
    for stylesheet in site_dir.rglob("*.css"):
        for problem in check_css(stylesheet, site_dir):
            problems += 1
            log.error(f"site/{problem.page}: [{problem.rule}] {problem.link}: {problem.reason}; {problem.fix}.")
    elapsed = time.perf_counter() - started
    log.info(f"[links] {language}: {len(targets)} pages, {checked_links} links checked, "
             f"{problems} problems, {elapsed:.2f} s")
    for key, value in (("pages", len(targets)), ("links", checked_links), ("problems", problems), ("seconds", elapsed)):
        totals[key] += value
    if not builds:  # the outermost build: every language is done
        log.info(f"[links] whole site: {totals['pages']} pages, {totals['links']} links checked, "
                 f"{totals['problems']} problems, {totals['seconds']:.2f} s")
        totals.update(pages=0, links=0, problems=0, seconds=0.0)
