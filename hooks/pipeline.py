"""Hook: the handbook's build, in one visible order.

Each language build reads the handbook once into its model (handbook/model.py, in on_files), and the
features below are plain functions of that model, called in the order of these lists:

  on_page_markdown   MARKDOWN_STEPS: the 保密 gate, front matter, citations, clause lines (support, 原编号, common
                     questions), the quotation check, paragraph anchors, generated tables and lists, clause badges
  on_page_content    CONTENT_STEPS, on one parse of the page's HTML: duplicate ids, ¶ links, cited-by lists,
                     principle links and 出处与引用 (appended after search indexing), checklist names
  on_post_build      POST_BUILD_STEPS for each language: the clause record, phrase discovery, citation suggestions,
                     PDFs, the link check and the 保密 gate on one read of each built page; SITE_STEPS once every
                     language is built: parity, the search index, the 保密 gate over the index and downloads,
                     link totals
  on_serve           under `make serve`, after a save: the pages the edit affects rendered again (their page
                     events as above) and PREVIEW_STEPS, their link check and 保密 gate (section "Preview")

Where mkdocs-static-i18n nests the language builds is handbook/builds.py's business alone.
"""

from __future__ import annotations

import functools
import html as html_escaping
import logging
import os
import posixpath
import time
from pathlib import Path

import yaml
from handbook import builds
from handbook.blocks import Blocks, insert_blocks
from handbook.builds import Build
from handbook.checklist import name_task_list_checkboxes
from handbook.citations import render_citations
from handbook.clauses import NORMS_INDEX_MARKER, mark_clause_ids, norms_index
from handbook.coverage import (
    COVERAGE_MARKER,
    NON_NORMATIVE_FILE,
    coverage_parts,
    non_normative_problems,
    paragraph_statuses,
    to_do_notes,
    uncovered_problems,
)
from handbook.downloads import DOWNLOADS, OFFLINE_ZIP, downloads_section, editions_of
from handbook.downloads import MARKER as DOWNLOADS_MARKER
from handbook.drafts import add_draft_notice, read_drafts
from handbook.front_matter import FAST_LOADER, front_matter_problems
from handbook.html import (
    add_backlinks,
    add_paragraph_links,
    add_term_links,
    duplicate_ids,
    parse_fragment,
    serialize_fragment,
)
from handbook.labels import label_table
from handbook.languages import current_language, is_default_language
from handbook.links import Site, check_css, check_page, source_line
from handbook.model import NORMS_DIR, SPEECHES_DIR, read_handbook, speech_slug, unlocalized
from handbook.paragraphs import add_paragraph_anchors
from handbook.parity import check_parity
from handbook.pdf import pdf_name, render_pdf
from handbook.preview import affected_pages
from handbook.principles import MATRIX_MARKER, backlinks_context, discover, matrix_context
from handbook.problems import Problem, report
from handbook.questions import FAQ_MARKER, faq_parts
from handbook.quotations import Quotations
from handbook.reading_path import READING_PATH_MARKER, reading_path_table
from handbook.registry import REGISTRY_FILE, gone_markdown, read_registry, registry_problems
from handbook.related import RELATED_MARKER, related_markdown
from handbook.revisions import (
    REVISIONS_MARKER,
    current_record,
    read_record,
    registry_baseline,
    revisions_parts,
    with_history,
    write_record,
)
from handbook.scopes import SCOPES_FILE, read_audiences, scope_problems
from handbook.search import (
    LEXICON,
    SEARCH_QUESTIONS,
    THESAURUS,
    clause_sources,
    compact_site_assets,
    load_user_dictionary,
    read_lexicon,
    read_search_questions,
    read_thesaurus,
    rewrite_site_index,
    search_labels,
    search_words,
)
from handbook.secrecy import (
    built_text_problems,
    download_problems,
    file_problems,
    level_problem,
    load_gate,
    source_problems,
    svg_texts,
)
from handbook.settings import read_settings
from handbook.speech_index import INDEX_MARKER as SPEECH_INDEX_MARKER
from handbook.speech_index import index_table, summarize
from handbook.suggest import report_lines, suggestions_for, uncited
from handbook.support import clause_list, mark_clauses
from handbook.version import build_version
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.pipeline")
DISCOVERY_FILE = "editors/phrase-discovery.txt"
SUGGESTIONS_FILE = "editors/citation-suggestions.txt"
LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


# Events ----------------------------------------------------------------------


def on_config(config):
    text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
    _, problems = read_settings(config.extra, text)
    if problems:  # a wrong setting would change what the build checks: stop before building anything
        raise PluginError("\n".join(str(problem) for problem in problems))
    return config


def on_pre_build(config):
    language = current_language(config)
    settings, _ = read_settings(config.extra)
    environment = config.theme.get_env()
    gate, problems = load_gate(Path(config.config_file_path).parent)
    build = builds.start(Build(language, is_default_language(config), settings, label_table(language, environment),
                               templates={"environment": environment}, gate=gate))
    if build.default_language:
        report(problems, log)


# After mkdocs-static-i18n (priority -100) has chosen the files of the language being built.
@event_priority(-200)
def on_files(files, config):
    build = builds.current()
    if build.only is None and builds.previewing(build):  # what the preview reuses, and the files' state for it
        build.mkdocs.update(config=config, files=files)
        if build.default_language:
            build.snapshot = docs_snapshot(config)
    pages = files.documentation_pages()
    drafts, problems = read_drafts(Path(config.config_file_path).parent)
    if build.default_language:
        report(problems, log)
    build.handbook = handbook = read_handbook([(f.src_uri, f.content_string, f.abs_dest_path) for f in pages],
                                              build.language, build.default_language, drafts)
    build.urls = {}
    build.non_normative_text, build.non_normative = read_non_normative(config)
    found = handbook.problems + read_published_ids(build, config) + scope_checks(build, config)
    build.reported = frozenset(found)
    report(preview_problems(build, found), log)
    home = min((f for f in pages if Path(f.dest_uri).name == "index.html"), key=lambda f: len(f.dest_uri), default=None)
    build.language_dir = Path(home.abs_dest_path).parent if home else Path(config.site_dir)
    if build.only is not None:  # a preview rebuild: the whole-site checks ran in the full build, jieba has its words
        return files
    if build.default_language:  # coverage is of the original speeches; parity keeps translations in step
        report(coverage_problems(build, config), log, logging.WARNING)
        report(to_do_notes(handbook, coverage_statuses(build)), log, logging.INFO)
        if build.settings["search"]["engine"] == "handbook":  # before Material segments the first page with jieba
            load_user_dictionary(search_words(handbook, curated_terms(config)), Path(config.config_file_path).parent)
    offline_zip = build.settings["downloads"]["offline_zip"]
    if offline_zip and build.default_language:
        if not Path(offline_zip).is_file():
            log.error(str(Problem("../mkdocs.yml", 0, f"extra.handbook.downloads.offline_zip: no file {offline_zip}",
                                  rule="downloads", fix="build the release with `make release`, which makes the zip first")))
        else:
            files.append(File.generated(config, f"{DOWNLOADS}/{OFFLINE_ZIP}", abs_src_path=str(offline_zip)))
    return files


def read_published_ids(build: Build, config) -> list[Problem]:
    """The registry of published clause IDs and this build's clause record, read once by the original language
    (a translation shares them); returns the problems: a registered ID that resolves nowhere fails the build."""
    original = builds.original()
    if original is not build and original is not None and original.registry is not None:
        build.registry, build.record = original.registry, original.record
        return []
    build.registry, problems = read_registry(Path(config.config_file_path).parent / REGISTRY_FILE)
    problems += registry_problems(build.registry, build.handbook.clauses)
    build.record, found = clause_record(build, config)
    return problems + found


def clause_record(build: Build, config) -> tuple[dict, list[Problem]]:
    """The clauses this build publishes, under the build's version, with the history since the previous release."""
    version = config.extra.get("build") or {}
    current = current_record(build.handbook.clauses, build.registry, version.get("version", ""), version.get("date", ""))
    previous, problems = None, []
    if path := build.settings["revisions"]["previous_record"]:
        previous, problems = read_record(Path(path))
    return with_history(previous or registry_baseline(build.registry), current), problems


def scope_checks(build: Build, config) -> list[Problem]:
    """Every scope names offices and roles of sources/scopes.yml; a translation states its Chinese clause's scope.
    Returns the problems (the table is read once, by the original language)."""
    original = builds.original()
    problems = []
    if original is not build and original is not None and original.audiences is not None:
        build.audiences = original.audiences
        chinese = {clause.id: clause for clause in original.handbook.clauses}
    else:
        build.audiences, problems = read_audiences(Path(config.config_file_path).parent / SCOPES_FILE)
        chinese = None
    paths = {uri: page.src_uri for uri, page in build.handbook.pages.items()}
    return problems + scope_problems(build.handbook.clauses, build.audiences, build.language, chinese, paths)


def on_nav(nav, config, files):
    """The norm pages in the navigation's order, not the files' alphabetical one."""
    build = builds.current()
    order = {unlocalized(page.file.src_uri, build.language): index for index, page in enumerate(nav.pages)}
    build.handbook.norm_pages.sort(key=lambda norm_page: order.get(norm_page.uri, len(order)))
    if build.only is None and builds.previewing(build):
        build.mkdocs["nav"] = nav
    return nav


def on_env(env, config, files):
    if (build := builds.current()) is not None and build.only is None and builds.previewing(build):
        build.mkdocs["env"] = env
    return env


def on_page_markdown(markdown, page, config, files):
    build = builds.current()
    for step in MARKDOWN_STEPS:
        markdown = step(markdown, page, build, config, files)
    return markdown


# Before Material's search (priority 0) indexes the page, so what data-search-exclude marks stays out.
@event_priority(50)
def on_page_content(html, page, config, files):
    build = builds.current()
    root = parse_fragment(html)
    for step in CONTENT_STEPS:
        step(root, page, build, files)
    html = serialize_fragment(root)
    if MATRIX_MARKER in html:  # our own marker comment, which Markdown leaves in the HTML
        html = html.replace(MATRIX_MARKER, principle_matrix(page, build, files))
    return html


# 出处与引用 is appended after Material's search (priority 0) has indexed the page: the search
# parser skips data-search-exclude text but still made an empty entry for each heading in it.
@event_priority(-50)
def on_page_context(context, page, config, nav):
    if sources := builds.current().principle_sources.pop(page.file.src_uri, None):
        page.content += sources
    return context


# After static-i18n (-100) has built the other languages inside this build (their pages exist, for the
# link check) and merged the search index (for the site steps).
@event_priority(-200)
def on_post_build(config):
    build = builds.current()
    if build is None or build.handbook is None:
        return
    for step in POST_BUILD_STEPS:
        step(build, config)
    keep_built_pages(build)
    _, outermost = builds.finish()
    if outermost:
        for step in SITE_STEPS:
            step(build, config)


def on_serve(server, config, builder):
    """`make serve` (serve.rebuild: affected): after a save, the preview renders again the pages the edit affects,
    instead of mkdocs' rebuild of the whole site (see Preview, below)."""
    settings, _ = read_settings(config.extra)
    if settings["serve"]["rebuild"] != "affected":
        return server
    server.builder = functools.partial(preview_rebuild, builder)
    return server


# Markdown steps ----------------------------------------------------------------


def check_front_matter(markdown, page, build, config, files):
    """Unparsable front matter (mkdocs would publish it as text); speech pages' required fields; titles as text:
    Material's templates print page titles unescaped (nav, tags, <title>)."""
    sources_dir = Path(config.config_file_path).parent / "sources"
    # When mkdocs could not parse the front matter it leaves it in the Markdown: parse again for the error.
    parsed = None if markdown.startswith("---") else page.meta
    model_page = build.handbook.page(page.file.src_uri)
    report(front_matter_problems(page.file.src_uri, model_page.text if model_page else markdown, sources_dir, parsed), log)
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = html_escaping.escape(page.meta["title"], quote=False)
    return markdown


def mark_clause_lines(markdown, page, build, config, files):
    """Under each clause: its scope set apart, its support (见于 N 篇讲话), the IDs merged into it (原编号), and
    its common questions as a small line of their own (the search index keeps them with the clause, the PDF leaves
    them out). On the model's line numbers: before any step adds lines."""
    model_page = build.handbook.page(page.file.src_uri)
    if model_page is None or not model_page.uri.startswith(NORMS_DIR):
        return markdown
    norm_page = build.handbook.norm_page(model_page.uri)
    if norm_page is None:
        return markdown
    return mark_clauses(markdown, model_page, norm_page.clauses, build.handbook.speeches,
                        build.cached("formerly", build.registry.formerly), clause_labels(build))


def check_quotations(markdown, page, build, config, files):
    """Words in “” in a clause's title or rule are the cited paragraphs' own (a warning: --strict fails on it)."""
    model_page = build.handbook.page(page.file.src_uri)
    if model_page is None or not model_page.uri.startswith(NORMS_DIR):
        return markdown
    norm_page = build.handbook.norm_page(model_page.uri)
    check = build.cached("quotations", lambda: Quotations(build.handbook.speeches, build.handbook.terms))
    for clause in norm_page.clauses if norm_page else []:
        report(check.problems(clause, page.file.src_uri), log, logging.WARNING)
    return markdown


def list_gone_ids(markdown, page, build, config, files):
    """On the page a merged or retired ID was published on: an item carrying that ID, pointing to its successor."""
    uri = unlocalized(page.file.src_uri, build.language)
    gone = build.registry.gone_from(uri) if build.registry else []
    if not gone:
        return markdown
    # The successor as this language has it; the original's where a translation is still pending.
    clauses = {clause.id: clause for handbook in ((builds.original() or build).handbook, build.handbook)
               for clause in handbook.clauses}
    return markdown.rstrip("\n") + "\n\n" + gone_markdown(gone, clauses, uri, build.labels["clauses"], build.language) + "\n"


def fill_related_norms(markdown, page, build, config, files):
    if RELATED_MARKER not in markdown:
        return markdown
    uri = unlocalized(page.file.src_uri, build.language)
    # Which clauses carry a principle is read in the original language (the same list in every language); the
    # titles are this language's.
    occurrences = (builds.original() or build).handbook.occurrences
    return markdown.replace(RELATED_MARKER, related_markdown(uri, occurrences, build.handbook.norm_pages, uri,
                                                            build.labels["related_none"]))


def fill_revisions(markdown, page, build, config, files):
    if REVISIONS_MARKER not in markdown:
        return markdown
    clauses = {clause.id: (clause.src_uri, clause.title) for clause in build.handbook.clauses}
    gone = {entry.id: entry.page for entry in build.registry.entries.values() if entry.replaced_by or entry.retired}
    parts = revisions_parts(build.record, clauses, gone, relative_url(build, files, page), build.labels["revisions"])
    return markdown.replace(REVISIONS_MARKER, page_blocks(build, page).markdown(parts))


def render_page_citations(markdown, page, build, config, files):
    """Citations become links with the quoted words (first: the model's line numbers hold until steps add lines)."""
    model_page = build.handbook.page(page.file.src_uri)
    if model_page is None or not build.handbook.citations_of(model_page.uri):
        return markdown
    original = None
    if not build.default_language:  # a translation: each quotation also links to the Chinese original
        # The Chinese page's URL as mkdocs writes it: speeches/x/, or speeches/x.html in the offline build.
        suffix = "/" if config.use_directory_urls else ".html"

        def original(citation):
            return get_relative_url(f"{SPEECHES_DIR}{citation.slug}{suffix}", page.url) + f"#p{citation.number}"
    href, speeches = relative_url(build, files, page), build.handbook.speeches

    def cited(citation):
        return href(speeches[citation.slug].src_uri, f"p{citation.number}")
    return render_citations(markdown, model_page, build.handbook, build.labels, cited, original)


def is_speech(page) -> bool:
    """A speech page holding the text (not an English stand-in whose translation is pending)."""
    return bool(page.meta.get("source")) and page.meta.get("translation") != "pending"


def anchor_paragraphs(markdown, page, build, config, files):
    """Paragraph anchors #p1 … on speech pages, in the Markdown tree so mkdocs validates links to them."""
    if not is_speech(page):
        return markdown
    speech = build.handbook.speeches.get(speech_slug(unlocalized(page.file.src_uri, build.language)))
    return add_paragraph_anchors(markdown, speech.blocks) if speech and speech.blocks else markdown


def fill_speech_index(markdown, page, build, config, files):
    if SPEECH_INDEX_MARKER not in markdown:
        return markdown
    summaries = [summarize(build.handbook.pages[speech.src_uri], speech.blocks) for speech in build.handbook.speeches.values()]
    return markdown.replace(SPEECH_INDEX_MARKER, index_table(summaries, page.file.src_uri, build.language,
                                                              build.labels["speech_index"]))


def fill_norms_index(markdown, page, build, config, files):
    if NORMS_INDEX_MARKER not in markdown:
        return markdown
    handbook, href = build.handbook, relative_url(build, files, page)
    table = norms_index(handbook.norm_pages, href, build.labels["norms_index"])
    tabs = clause_list(handbook.norm_pages, href, handbook.speeches, clause_labels(build))
    return markdown.replace(NORMS_INDEX_MARKER, page_blocks(build, page).markdown([table, tabs]))


def fill_coverage(markdown, page, build, config, files):
    if COVERAGE_MARKER not in markdown:
        return markdown
    statuses = coverage_statuses(build)
    parts = coverage_parts(build.handbook, statuses, relative_url(build, files, page), build.labels["coverage"],
                           build.labels["list_separator"])
    return markdown.replace(COVERAGE_MARKER, page_blocks(build, page).markdown(parts))


def fill_common_questions(markdown, page, build, config, files):
    if FAQ_MARKER not in markdown:
        return markdown
    parts = faq_parts(build.handbook.norm_pages, relative_url(build, files, page), build.labels["questions"])
    return markdown.replace(FAQ_MARKER, page_blocks(build, page).markdown(parts))


def fill_reading_path(markdown, page, build, config, files):
    if READING_PATH_MARKER not in markdown:
        return markdown
    model_page = build.handbook.page(page.file.src_uri)
    sources = {uri: (entry.title, entry.text) for uri, entry in build.handbook.pages.items()}
    table, problems = reading_path_table(page.meta.get("reading_path"), model_page.uri, sources,
                                         build.labels["reading_path"], model_page.line_of("reading_path:"),
                                         path_name=page.file.src_uri)
    report(problems, log)
    return markdown.replace(READING_PATH_MARKER, table)


def fill_downloads(markdown, page, build, config, files):
    if DOWNLOADS_MARKER not in markdown:
        return markdown
    if page.file.src_uri.split(".")[0] != "index" or "/" in page.file.src_uri:
        return markdown
    downloads = build.settings["downloads"]
    editions = editions_of(list(build.handbook.pages)) if downloads["pdf"] else []
    section = downloads_section(build.language, build.default_language, editions, bool(downloads["offline_zip"]),
                                build.labels["downloads"])
    return markdown.replace(DOWNLOADS_MARKER, section)


def badge_clause_ids(markdown, page, build, config, files):
    if not unlocalized(page.file.src_uri, build.language).startswith(NORMS_DIR):
        return markdown
    return mark_clause_ids(markdown)


def guard_secrets(markdown, page, build, config, files):
    """The 保密 gate over the page's Markdown; a page declaring a 密级 above 内部 stops the build at once."""
    if problem := level_problem(page.meta):
        # Stop at once: nothing of a classified page may reach the site directory.
        raise PluginError(f"docs/{page.file.src_uri}:1: [保密:密级] {problem}")
    model_page = build.handbook.page(page.file.src_uri)
    report(source_problems(page.file.src_uri, model_page.text if model_page else markdown, build.gate), log)
    return markdown


MARKDOWN_STEPS = (guard_secrets, check_front_matter, render_page_citations, mark_clause_lines, check_quotations,
                  anchor_paragraphs, fill_speech_index, fill_norms_index, list_gone_ids, fill_related_norms, fill_revisions,
                  fill_coverage, fill_common_questions, fill_reading_path, fill_downloads, badge_clause_ids)


# Content steps (one parsed tree per page) ---------------------------------------


def insert_generated_blocks(root, page, build, files):
    """The tables and lists the Markdown steps built as elements (handbook/blocks.py), where their markers stand:
    first, so every later step sees the page whole."""
    if blocks := build.blocks.pop(page.file.src_uri, None):
        insert_blocks(root, blocks)


def check_duplicate_ids(root, page, build, files):
    for anchor in duplicate_ids(root):
        log.error(str(Problem(page.file.src_uri, 0, f"the anchor #{anchor} is defined more than once", rule="anchor",
                              fix="rename one of them so links land on a single place")))


def link_paragraphs(root, page, build, files):
    """A copyable ¶ link before each paragraph of a speech."""
    if is_speech(page):
        add_paragraph_links(root, build.labels["paragraph_link"])


def list_citing_clauses(root, page, build, files):
    """Under each speech paragraph, the clauses that cite it (kept out of the search index)."""
    uri = unlocalized(page.file.src_uri, build.language)
    if not uri.startswith(SPEECHES_DIR):
        return
    handbook = build.handbook
    backlinks: dict[str, list[tuple[str, str, str]]] = {}
    for citation in handbook.citations_by_speech().get(speech_slug(uri), []):
        url = url_of(build, files, citation.src_uri)
        if url is None:
            continue
        fragment = f"#{citation.clause}" if citation.clause else ""
        href = get_relative_url(url, page.url) + fragment
        text = citation.clause or handbook.titles.get(citation.src_uri, citation.src_uri)
        title = citation.clause_title or handbook.titles.get(citation.src_uri, "")
        links = backlinks.setdefault(f"p{citation.number}", [])
        if (href, text, title) not in links:
            links.append((href, text, title))
    if backlinks:
        add_backlinks(root, backlinks, build.labels["cited_by"], build.labels["list_separator"])


def link_principles(root, page, build, files):
    """Occurrences of the principles' terms link to their pages; a principle page gets its 出处与引用."""
    handbook = build.handbook
    if not handbook.terms:
        return
    own = unlocalized(page.file.src_uri, build.language)

    def href_for(term):
        url = url_of(build, files, term.src_uri)
        return None if term.src_uri == own or url is None else get_relative_url(url, page.url)

    add_term_links(root, handbook.matcher, href_for, build.settings["principles"]["link"])
    term = next((t for t in handbook.terms if t.src_uri == own), None)
    if term:
        context = backlinks_context(term, handbook.occurrences, handbook.speeches, relative_url(build, files, page),
                                    build.labels["principles"])
        context["separator"] = build.labels["context_separator"]
        build.principle_sources[page.file.src_uri] = template(build, "partials/hb-principle-sources.html").render(**context)


def mark_draft_speech(root, page, build, files):
    """A speech in progress: 整理中 / In progress under its title, on its page and its English stand-in."""
    if not page.meta.get("source"):
        return
    speech = build.handbook.speeches.get(speech_slug(unlocalized(page.file.src_uri, build.language)))
    if speech is not None and speech.draft:
        add_draft_notice(root, build.labels["draft"])


def name_checklist(root, page, build, files):
    """The onboarding page (the one with a reading path): a name for each checkbox of its checklist."""
    if page.meta.get("reading_path"):
        name_task_list_checkboxes(root)


CONTENT_STEPS = (insert_generated_blocks, check_duplicate_ids, mark_draft_speech, link_paragraphs, list_citing_clauses,
                 link_principles, name_checklist)


def principle_matrix(page, build, files) -> str:
    handbook = build.handbook
    context = matrix_context(handbook.terms, handbook.occurrences, handbook.speeches, relative_url(build, files, page),
                             build.labels["principles"])
    return template(build, "partials/hb-principle-matrix.html").render(**context)


# Post-build steps ---------------------------------------------------------------


def write_clause_record(build, config):
    """The clauses this build publishes, with the revision history: the next publish compares with it."""
    if build.default_language and build.record is not None:
        write_record(build.record, Path(config.site_dir))


def render_pdfs(build, config):
    """In a release: this language's PDFs, from its built pages, before the link check sees the home page's links."""
    if not build.settings["downloads"]["pdf"]:
        return
    for edition in editions_of(list(build.handbook.pages)):
        try:
            render_pdf(build.language_dir, build.language, edition,
                       build.language_dir / DOWNLOADS / pdf_name(build.language, edition),
                       progress=log.info, warn=log.warning)
        except (OSError, ValueError) as error:
            log.error(f"[pdf] {build.language} {edition}: {error}")


def check_links(build, config):
    """Every internal href/src and anchor of this language's built pages resolves; nothing loads from outside."""
    started = time.perf_counter()
    site_dir = Path(config.site_dir)
    site = built_site(build, config)
    allowed = set(build.settings["integrity"]["allowed_hosts"] or [])
    checked_links, problems = 0, 0
    targets = [(Path(page.dest), page.src_uri, page.text) for page in checked_pages(build)]
    if build.default_language and build.only is None:  # the 404 pages (theme pages, see hooks/not_found.py), once every language is built
        for not_found in [site_dir / "404.html", *sorted(site_dir.glob("*/404.html"))]:
            if not_found.is_file():
                targets.append((not_found, None, ""))
    for built, src, text in targets:
        count, found = check_page(site, built, allowed, config.site_url or "")
        checked_links += count
        for problem in found:
            problems += 1
            if src:  # name the Markdown file and the line that wrote the link
                problem = Problem(src, source_line(text, problem.subject), problem.message, problem.rule, problem.fix,
                                  subject=problem.subject)
            log.error(str(problem))
    for stylesheet in site_dir.rglob("*.css") if build.only is None else ():
        problems += report(check_css(stylesheet, site_dir), log)
    elapsed = time.perf_counter() - started
    log.info(f"[links] {build.language}: {len(targets)} pages, {checked_links} links checked, {problems} problems, {elapsed:.2f} s")
    totals = builds.site().link_totals
    for key, value in (("pages", len(targets)), ("links", checked_links), ("problems", problems), ("seconds", elapsed)):
        totals[key] += value


def report_phrase_discovery(build, config):
    """Recurring phrases of the original speeches that have no principle page yet."""
    if not build.default_language or not build.handbook.terms:
        return
    phrases = discover(build.handbook.speeches, build.handbook.matcher)
    path = Path(config.site_dir) / DISCOVERY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{phrase}\t{len(slugs)} speeches\t{', '.join(slugs)}" for phrase, slugs in phrases]
    path.write_text("# Recurring phrases without a principle page (phrase, speeches)\n" + "\n".join(lines) + "\n", encoding="utf-8")
    level = logging.WARNING if build.settings["principles"]["discovery"] == "warning" else logging.INFO
    shown = "、".join(phrase for phrase, _ in phrases[:12]) + ("…" if len(phrases) > 12 else "")
    log.log(level, f"{len(phrases)} recurring phrases have no principle page (see {DISCOVERY_FILE} in the site): {shown}")


def report_citation_suggestions(build, config):
    """For each paragraph no clause cites and the non-normative list does not hold, the existing clauses it most
    likely supports, with citation lines to paste (Chinese: the suggestions are for the Chinese pages). The clauses
    are indexed only when there is such a paragraph: a covered handbook costs one pass over the statuses."""
    if not build.default_language:
        return
    found = suggestions_for(build.handbook, uncited(coverage_statuses(build)))
    labels = build.labels
    path = Path(config.site_dir) / SUGGESTIONS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = report_lines(found, build.handbook, labels["suggest"], (labels["quote_open"], labels["quote_close"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if found:
        likely = sum(1 for item in found if item.suggestions)
        log.info(f"{len(found)} paragraphs no clause cites, {likely} with a likely clause: see {SUGGESTIONS_FILE} in the "
                 "site, or `make suggest SLUG=…`")


def check_built_text(build, config):
    """The 保密 gate over the built text: what templates and steps added is checked too."""
    started = time.perf_counter()
    site_dir = Path(config.site_dir)
    pages = []
    for page in checked_pages(build):
        relative = Path(page.dest).relative_to(site_dir).as_posix()
        built = built_site(build, config).page(relative)
        pages.append((relative, built.lines, built.shown, f"docs/{page.src_uri}"))
    report(built_text_problems(pages, build.gate), log)
    log.info(f"[保密] built text of {len(pages)} pages checked, {time.perf_counter() - started:.2f} s")


def check_svg_files(build, config):
    """The 保密 gate over the text of the SVG files published as they are (the diagrams), once for the site."""
    if not build.default_language:
        return
    docs = Path(config.docs_dir)
    for svg in sorted(docs.rglob("*.svg")):
        report(file_problems(f"docs/{svg.relative_to(docs).as_posix()}", svg_texts(svg.read_bytes()), build.gate), log)


# PDFs first: the link check then sees the files the home page links to; the gate reads the pages the
# link check parsed.
POST_BUILD_STEPS = (write_clause_record, report_phrase_discovery, report_citation_suggestions, render_pdfs, check_links,
                    check_built_text, check_svg_files)


def check_translations(build, config):
    """Every Chinese page has its English counterpart with the same anchors (both models are built now)."""
    finished = builds.site().finished
    original = next((handbook for handbook in finished if handbook.default_language), None)
    for translation in (handbook for handbook in finished if not handbook.default_language):
        result = check_parity(original, translation)
        report(result.problems, log)
        # A speech in progress is translated once it is finished: its stand-in is to do, not a fault.
        drafts = [uri for uri in result.pending if uri.startswith(SPEECHES_DIR)
                  and (speech := original.speeches.get(speech_slug(uri))) and speech.draft]
        if drafts:
            log.info(f"[parity] {len(drafts)} speeches in progress await their English translation: "
                     + ", ".join(f"docs/{uri}" for uri in drafts))
        pending = [uri for uri in result.pending if uri not in drafts]
        if pending:
            log.log(LEVELS[build.settings["integrity"]["pending_translations"]],
                    f"[parity] {len(pending)} pages await their English translation (first: docs/{pending[0]}); "
                    "translate them and drop `translation: pending`.")


def write_search_index(build, config):
    """The merged search index, as our worker reads it (handbook/search.py), with each language's clause
    sources and the office thesaurus."""
    if build.settings["search"]["engine"] != "handbook":
        return
    labels = builds.site().labels
    clauses = {handbook.language: clause_sources(handbook, labels[handbook.language]["clauses"])
               for handbook in builds.site().finished}
    thesaurus, problems = read_thesaurus(Path(config.config_file_path).parent / THESAURUS)
    lexicon, lexicon_problems = read_lexicon(Path(config.config_file_path).parent / LEXICON)
    clause_ids = {clause.id for clause in build.handbook.clauses}
    asked, asked_problems = read_search_questions(Path(config.config_file_path).parent / SEARCH_QUESTIONS, clause_ids,
                                                  build.registry.replaced() if build.registry else {})
    report(problems + lexicon_problems + asked_problems, log)
    labels = {language: search_labels(labels[language], build.settings["search"], language) for language in clauses}
    rewrite_site_index(Path(config.site_dir), search_words(build.handbook, curated_terms(config)), log, clauses, thesaurus,
                       labels, lexicon, asked)
    compact_site_assets(Path(config.site_dir))


def check_downloads(build, config):
    """The 保密 gate over what carries every page: the search index, and in a release the PDFs and the zip."""
    started = time.perf_counter()
    problems = report(download_problems(Path(config.site_dir), build.gate), log)
    log.info(f"[保密] search index and downloads checked, {problems} problems, {time.perf_counter() - started:.2f} s")


def report_link_totals(build, config):
    totals = builds.site().link_totals
    log.info(f"[links] whole site: {totals['pages']:.0f} pages, {totals['links']:.0f} links checked, "
             f"{totals['problems']:.0f} problems, {totals['seconds']:.2f} s")


SITE_STEPS = (check_translations, write_search_index, check_downloads, report_link_totals)


# Preview (`make serve`) ---------------------------------------------------------
#
# mkdocs' serve rebuilds the whole site after every save (seconds, and more with the text), and its --dirty
# mode renders the saved page alone, so the navigation and the pages listing that page's clauses go stale
# (mkdocs #1705, #4047) and --strict stops on its own warning. The preview keeps the last complete build's
# objects (handbook/builds.py), reads the model again (a fraction of a second, even at ten times the text), and
# renders with mkdocs' own page functions the pages the edit affects (handbook/preview.py): each page the same as
# a full build writes it. Anything else (a file added or removed, an asset, mkdocs.yml, a title or a term that
# every page shows) falls back to mkdocs' rebuild of the whole site, with every check.

# The checks of the pages rendered again; whole-site checks (coverage, parity, the search index, SVG files) stay
# in full builds.
PREVIEW_STEPS = (check_links, check_built_text)


def preview_rebuild(full_rebuild) -> None:
    """What the server runs after a save: render and check what the edit affects, or build everything again."""
    started = time.perf_counter()
    last = served_build()
    if last is None:
        log.info("[preview] the last build did not write every page: the whole site is built again")
        return full_rebuild()
    config, files, nav, env = (last.mkdocs[key] for key in ("config", "files", "nav", "env"))
    snapshot = docs_snapshot(config)
    saved = saved_pages(last, snapshot)
    if saved is None:
        log.info("[preview] a file was added or removed, or one that is not a page of this edition (or mkdocs.yml) "
                 "changed: the whole site is built again")
        return full_rebuild()
    if not saved:
        last.snapshot = snapshot
        return None
    if build_version(Path(config.config_file_path).parent) != config.extra.get("build"):
        log.info("[preview] the version every page's footer shows changed (a commit, or the first edit of a clean "
                 "tree: its '+'): the whole site is built again")
        return full_rebuild()
    original = None if last.default_language else builds.last_complete()
    if original is None and not last.default_language:
        return full_rebuild()
    build = builds.start_preview(Build(last.language, last.default_language, last.settings, last.labels,
                                       templates=last.templates, gate=last.gate,
                                       only=frozenset(unlocalized(file.src_uri, last.language) for file in saved)), original)
    try:
        on_files(files, config)
        on_nav(nav, config, files)
        gone = frozenset(entry.page for entry in build.registry.entries.values() if entry.replaced_by or entry.retired)
        affected = affected_pages(last.handbook, build.handbook, set(build.only), last.record, build.record, gone)
        if affected is None:
            log.info("[preview] the edit changes what every page shows (a title, a term, a tag, a speech): "
                     "the whole site is built again")
            return full_rebuild()
        build.only = frozenset(affected)
        pages = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if unlocalized(file.src_uri, build.language) in build.only]
        titles = {page.file.src_uri: page.title for page in pages}
        for page in pages:
            _populate_page(page, config, files)
        if any(page.title != titles[page.file.src_uri] for page in pages):  # a title from the page's first heading
            log.info("[preview] a page title changed, which every page's navigation shows: the whole site is built again")
            return full_rebuild()
        render_pages(pages, config, files, nav, env)
        for step in PREVIEW_STEPS:
            step(build, config)
    except BuildError as error:  # reported as mkdocs' build reports it; the next save tries again
        log.error(str(error))
        raise Abort("Aborted with a BuildError!") from None
    keep_built_pages(build)
    build.mkdocs, build.snapshot = last.mkdocs, snapshot
    builds.finish()
    log.info(f"[preview] {', '.join(f'docs/{file.src_uri}' for file in saved)} saved: {len(pages)} "
             f"page{'s' if len(pages) != 1 else ''} rendered again and checked in {time.perf_counter() - started:.2f} s")
    return None


def served_build() -> Build | None:
    """The build whose pages the preview renders again: the language mkdocs' config was left configured for.
    static-i18n builds each language on the one config, in turn, and leaves it as the last language built had it:
    the served edition's (`make serve EDITION=en` builds Chinese first, then English), whose pages alone can be
    rendered again as that build rendered them. A save of another language's page builds the whole site again."""
    default = builds.last_complete()
    config = default.mkdocs.get("config") if default is not None else None
    last = builds.last_complete(current_language(config)) if config is not None else None
    if last is None or not {"config", "files", "nav", "env"} <= last.mkdocs.keys():
        return None
    return last


def render_pages(pages: list, config, files, nav, env) -> None:
    """The pages, written as mkdocs' build writes them (its own page function, every plugin's page events), less
    Material's search indexing: Material writes its index at the end of a full build only, so what it indexed here
    would never be written (the preview keeps the last full build's index). Its plugin has no switch for that, so
    its index's add_entry_from_context is shadowed while the pages render; the rest of its page event runs."""
    index = getattr(config.plugins.get("material/search"), "search_index", None)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    try:
        if index is not None:
            index.add_entry_from_context = lambda page: None
        for page in pages:
            _build_page(page, config, doc_files, nav, env)
    finally:
        if index is not None:
            del index.add_entry_from_context
    for page in pages:
        page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def docs_snapshot(config) -> dict[str, tuple[int, int]]:
    """Every file of docs/ (path -> modification time and size) and mkdocs.yml: what a save changes. Hidden files and
    editors' backups (~) are left out, as mkdocs leaves them out of the site."""
    docs, snapshot = config.docs_dir, {}
    for folder, folders, names in os.walk(docs):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if not name.startswith(".") and not name.endswith("~"):
                path = os.path.join(folder, name)
                stat = os.stat(path)
                snapshot[os.path.relpath(path, docs).replace(os.sep, "/")] = (stat.st_mtime_ns, stat.st_size)
    if config.config_file_path:
        stat = os.stat(config.config_file_path)
        snapshot["../" + os.path.basename(config.config_file_path)] = (stat.st_mtime_ns, stat.st_size)
    return snapshot


def saved_pages(last: Build, snapshot: dict[str, tuple[int, int]]) -> list[File] | None:
    """The pages of the served language whose text a save changed; None when something else changed (a file added
    or removed, an asset, mkdocs.yml, a page of another language that is built too)."""
    served = {file.src_uri: file for file in last.mkdocs["files"]}
    others = {file.src_uri for build in builds.last_builds().values() if build is not last
              for file in build.mkdocs.get("files", [])}
    pages = []
    for path in sorted(path for path in snapshot.keys() | last.snapshot.keys() if snapshot.get(path) != last.snapshot.get(path)):
        if path not in snapshot or path not in last.snapshot:
            return None
        file = served.get(path)
        if file is None:
            if path in others or not path.endswith(".md"):
                return None
            continue  # a page of a language this edition does not build
        if not file.is_documentation_page():
            return None
        model_page = last.handbook.page(file.src_uri)
        if model_page is None or file.content_string != model_page.text:
            pages.append(file)
    return pages


def preview_problems(build: Build, problems: list[Problem]) -> list[Problem]:
    """What the model's reading found, to report: everything in a full build; in a preview rebuild, the problems of
    the saved pages and any the save brought elsewhere (an ID it duplicated, a published ID it removed)."""
    if build.only is None:
        return problems
    last = builds.last_complete(build.language)
    before = last.reported if last is not None else frozenset()
    return [problem for problem in problems
            if unlocalized(problem.path, build.language) in build.only or problem not in before]


# Helpers ----------------------------------------------------------------------


def coverage_problems(build, config) -> list[Problem]:
    statuses = coverage_statuses(build)
    return (non_normative_problems(build.handbook, build.non_normative, build.non_normative_text)
            + uncovered_problems(build.handbook, statuses))


def coverage_statuses(build: Build) -> dict:
    """Each speech paragraph's coverage (cited, non-normative or neither), once per language build."""
    return build.cached("coverage", lambda: paragraph_statuses(build.handbook, build.non_normative, build.language))


def clause_labels(build: Build) -> dict:
    return {**build.labels["clauses"], "list_separator": build.labels["list_separator"]}


def curated_terms(config) -> Path:
    return Path(config.config_file_path).parent / "sources" / "search-terms.yml"


def read_non_normative(config) -> tuple[str, dict]:
    """sources/non-normative.yml as written and as data (none yet: every paragraph needs a citation)."""
    path = Path(config.config_file_path).parent / NON_NORMATIVE_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return text, yaml.load(text, Loader=FAST_LOADER) or {}


def checked_pages(build: Build) -> list:
    """The model's pages that this build wrote: every one, or in a preview rebuild those it rendered again."""
    return [page for page in build.handbook.pages.values() if page.dest and Path(page.dest).is_file()
            and (build.only is None or page.uri in build.only)]


def built_site(build: Build, config) -> Site:
    """The built site as the post-build checks read it, listed once its files are all written (the PDFs too). A
    preview rebuild starts from what the last build read of the pages it has not written again."""
    if build.built_site is None:
        last, known = builds.last_complete(build.language), None
        if build.only is not None and last is not None:
            written = {Path(page.dest).relative_to(config.site_dir).as_posix() for page in checked_pages(build)}
            known = {relative: page for relative, page in last.built_pages.items() if relative not in written}
        build.built_site = Site(Path(config.site_dir), known)
    return build.built_site


def keep_built_pages(build: Build) -> None:
    """What was read of the built pages is dropped at the end of a build (at 100× it is much of the peak memory);
    under the preview it is kept for the next save, which writes a few pages and reads the others' ids again."""
    if build.built_site is not None and builds.previewing(build):
        build.built_pages = build.built_site.pages_read()
    build.built_site = None


def url_of(build: Build, files, uri: str) -> str | None:
    """The URL of a page of this build (looked up once per page: looking files up is not free)."""
    if uri not in build.urls:
        build.urls[uri] = getattr(files.get_file_from_path(uri), "url", None)
    return build.urls[uri]


def page_blocks(build: Build, page) -> Blocks:
    """The generated blocks of the page being built, which insert_generated_blocks puts in place."""
    return build.blocks.setdefault(page.file.src_uri, Blocks())


def relative_url(build: Build, files, page):
    """(page, fragment) -> its URL from ``page``, for the templates' contexts and the links built as HTML; the
    page is a file's src_uri or a model uri (norms/x.md: this language's file). A page this build lacks keeps
    its relative path, which the link check reports."""
    pages = build.handbook.pages

    def link(uri: str, fragment: str = "") -> str:
        url = url_of(build, files, pages[uri].src_uri if uri in pages else uri)
        if url is None:
            url = posixpath.relpath(uri, posixpath.dirname(page.file.src_uri) or ".")
        else:
            url = get_relative_url(url, page.url)
        return url + (f"#{fragment}" if fragment else "")
    return link


def template(build: Build, name: str):
    """A theme template, loaded once per language build."""
    if name not in build.templates:
        build.templates[name] = build.templates["environment"].get_template(name)
    return build.templates[name]

