"""The handbook as one language build reads it: pages and their front matter, speeches and their
paragraphs, clauses, citations (validated once), principles and where they occur.

Read once per language build, in ``on_files`` (hooks/pipeline.py), before any page is rendered: a
speech page shows who cites each paragraph, so every citation must be known before the first page
renders. Every feature (rendering citations, cited-by lists, coverage, principle links, the index
pages, parity, PDF assembly, the benchmark corpus) reads this model instead of the Markdown files.
Plain data and plain functions: the tests build it from a few strings, without mkdocs.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field

from handbook import grammar
from handbook.front_matter import split_front_matter
from handbook.grammar import Citation, Clause
from handbook.paragraphs import SpeechBlock, speech_blocks
from handbook.principles import Matcher, Occurrences, Term, collect_occurrences, term_of
from handbook.problems import Problem, body_offset

SPEECHES_DIR = "speeches/"
NORMS_DIR = "norms/"
PRINCIPLES_DIR = "principles/"


def unlocalized(src_uri: str, language: str | None) -> str:
    """'speeches/x.en.md' -> 'speeches/x.md' (static-i18n's suffix structure)."""
    suffix = f".{language}.md"
    return src_uri[: -len(suffix)] + ".md" if language and src_uri.endswith(suffix) else src_uri


def speech_slug(src_uri: str) -> str:
    return src_uri[len(SPEECHES_DIR) : -len(".md")]


@dataclass(frozen=True)
class Page:
    src_uri: str  # the file, e.g. norms/x.en.md
    uri: str  # the page whatever its language, e.g. norms/x.md
    text: str  # the file as written
    meta: dict
    offset: int  # lines of the file before the body
    dest: str = ""  # the built file (abs_dest_path), where mkdocs gave one
    # The body (the text without the front matter) is the end of the text, cut when asked for: a second copy of
    # every page was some 70 MB of the 100× build's peak. Stored only where it is not the text's end.
    body_start: int = 0
    own_body: str | None = field(default=None, repr=False)

    @property
    def body(self) -> str:
        return self.own_body if self.own_body is not None else self.text[self.body_start:]

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.uri)

    def line_of(self, needle: str) -> int:
        """The first line of the file that holds ``needle``, else 1."""
        index = self.text.find(needle)
        return self.text.count("\n", 0, index) + 1 if index >= 0 else 1


@dataclass
class Speech:
    slug: str
    src_uri: str
    short_title: str
    source: str  # the ingested file; its name orders the speeches as the navigation does
    paragraphs: dict[int, str]  # number -> text as the reader sees it
    lines: dict[int, int]  # number -> line in the page file
    blocks: list[SpeechBlock] = field(default_factory=list)
    draft: bool = False  # in progress: `status: draft` in sources/speeches.yml (handbook/drafts.py)

    @functools.cached_property
    def normalised(self) -> dict[int, str]:
        """Paragraph texts with whitespace normalised: what citations are checked against."""
        return {number: normalise(text) for number, text in self.paragraphs.items()}


@dataclass
class NormPage:
    uri: str
    title: str
    clauses: list[Clause]


@dataclass
class Handbook:
    language: str
    default_language: bool = True
    pages: dict[str, Page] = field(default_factory=dict)  # by uri (unlocalized), in the files' order
    speeches: dict[str, Speech] = field(default_factory=dict)  # by slug, in the sources' order
    norm_pages: list[NormPage] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # from every page, in file order
    invalid_citations: dict[Citation, Problem] = field(default_factory=dict)
    anchors: dict[str, set[str]] = field(default_factory=dict)  # uri -> explicit ids and paragraph anchors
    terms: list[Term] = field(default_factory=list)
    matcher: Matcher = field(default_factory=lambda: Matcher([]))
    occurrences: Occurrences = field(default_factory=Occurrences)
    problems: list[Problem] = field(default_factory=list)  # found while reading, reported once
    citations_by_page: dict[str, list[Citation]] = field(default_factory=dict, repr=False)  # uri -> its citations

    @property
    def clauses(self) -> list[Clause]:
        return [clause for page in self.norm_pages for clause in page.clauses]

    @functools.cached_property
    def titles(self) -> dict[str, str]:
        """uri -> page title (read once the pages are all read)."""
        return {uri: page.title for uri, page in self.pages.items()}

    def page(self, src_uri: str) -> Page | None:
        """The page of a file of this build (localized or not)."""
        return self.pages.get(unlocalized(src_uri, self.language))

    # Lookups made once per model, like titles: every page asks for its own, and a scan of every norm page or
    # citation per page made the 100× build quadratic.
    @functools.cached_property
    def _norm_pages_by_uri(self) -> dict[str, NormPage]:
        return {norm_page.uri: norm_page for norm_page in self.norm_pages}

    def norm_page(self, uri: str) -> NormPage | None:
        """The norm page of ``uri`` (unlocalized)."""
        return self._norm_pages_by_uri.get(uri)

    def citations_of(self, uri: str) -> list[Citation]:
        """The citations written on one page, in line order."""
        return self.citations_by_page.get(uri, [])

    @functools.cached_property
    def _citations_by_speech(self) -> dict[str, list[Citation]]:
        result: dict[str, list[Citation]] = {}
        for citation in self.citations:
            if citation.slug in self.speeches:
                result.setdefault(citation.slug, []).append(citation)
        return result

    def citations_by_speech(self) -> dict[str, list[Citation]]:
        """Speech slug -> the citations of that speech, from every page, in file order."""
        return self._citations_by_speech

    def cited_by_clauses(self) -> dict[tuple[str, int], list[Citation]]:
        """(slug, paragraph) -> the norm clauses' citations of it."""
        result: dict[tuple[str, int], list[Citation]] = {}
        for citation in self.citations:
            if citation.src_uri.startswith(NORMS_DIR):
                result.setdefault((citation.slug, citation.number), []).append(citation)
        return result


def normalise(text: str) -> str:
    """Whitespace normalised, nothing else."""
    return " ".join(text.split())


def read_handbook(files: list[tuple[str, str]] | list[tuple[str, str, str]], language: str = "zh",
                  default_language: bool = True, drafts: Collection[str] = ()) -> Handbook:
    """The model of the pages being built, from (src_uri, file text[, built file]) of each page; ``drafts``: the
    source file names of the speeches in progress."""
    handbook = Handbook(language, default_language)
    for entry in files:
        src_uri, text = entry[0], entry[1]
        dest = entry[2] if len(entry) > 2 else ""
        uri = unlocalized(src_uri, language)
        body, meta = split_front_matter(text)
        suffix = text.endswith(body)
        page = Page(src_uri, uri, text, meta, body_offset(text, body), dest, len(text) - len(body) if suffix else 0,
                    None if suffix else body)
        handbook.pages[uri] = page
        found = grammar.scan(body, uri, page.offset, path=src_uri)
        handbook.citations += found.citations
        handbook.citations_by_page[uri] = found.citations
        handbook.anchors[uri] = set(found.anchors)
        if uri.startswith(SPEECHES_DIR) and meta.get("source"):
            handbook.speeches[speech_slug(uri)] = _read_speech(page, handbook, drafts)
        elif uri.startswith(NORMS_DIR) and uri != NORMS_DIR + "index.md":
            handbook.norm_pages.append(NormPage(uri, page.title, found.clauses))
            handbook.problems += found.problems
        else:
            handbook.problems += [p for p in found.problems if p.rule == "citation"]
        if uri.startswith(PRINCIPLES_DIR) and (term := term_of(uri, meta)):
            handbook.terms.append(term)
    handbook.speeches = dict(sorted(handbook.speeches.items(), key=lambda item: item[1].source))
    handbook.problems += duplicate_clause_problems(handbook.clauses)
    for citation in handbook.citations:
        if problem := citation_problem(citation, handbook.speeches):
            page = handbook.pages[citation.src_uri]
            handbook.invalid_citations[citation] = Problem(page.src_uri, citation.line, problem, rule="citation")
    handbook.problems += handbook.invalid_citations.values()
    handbook.matcher = Matcher(handbook.terms)
    if handbook.terms:
        handbook.occurrences = collect_occurrences(handbook.matcher, handbook.speeches, handbook.clauses)
    return handbook


def _read_speech(page: Page, handbook: Handbook, drafts: Collection[str] = ()) -> Speech:
    translation_pending = page.meta.get("translation") == "pending"
    blocks, problems = speech_blocks(page.body, page.src_uri, page.offset)
    if not translation_pending:  # a stand-in holds no speech text yet
        handbook.problems += problems
    handbook.anchors[page.uri] |= {f"p{block.number}" for block in blocks}
    slug = speech_slug(page.uri)
    return Speech(
        slug=slug,
        src_uri=page.uri,
        short_title=str(page.meta.get("short_title") or page.meta.get("title") or slug),
        source=str(page.meta["source"]),
        paragraphs={block.number: block.text for block in blocks},
        lines={block.number: page.offset + block.line for block in blocks},
        blocks=blocks,
        draft=str(page.meta["source"]) in drafts,
    )


def duplicate_clause_problems(clauses: list[Clause]) -> list[Problem]:
    seen: dict[str, Clause] = {}
    problems = []
    for clause in clauses:
        if clause.id in seen:
            first = seen[clause.id]
            problems.append(Problem(clause.src_uri, clause.line, f"clause ID {clause.id} is already used at "
                                    f"docs/{first.src_uri}:{first.line}", rule="clause", fix="give this clause a new ID"))
        else:
            seen[clause.id] = clause
    return problems


def citation_problem(citation: Citation, speeches: dict[str, Speech]) -> str | None:
    """Why ``citation`` does not hold (unknown speech, unknown paragraph, misquote), or None."""
    speech = speeches.get(citation.slug)
    if speech is None:
        known = ", ".join(sorted(speeches)) or "none"
        return f"citation {citation.text} names an unknown speech '{citation.slug}'; known speeches: {known}."
    if citation.number not in speech.paragraphs:
        return (f"citation {citation.text} names paragraph p{citation.number}, but {speech.src_uri} has "
                f"paragraphs p1–p{len(speech.paragraphs)}; check the number with `make paragraphs SLUG={citation.slug}`.")
    if not citation.quotes:
        return f"citation {citation.text} quotes nothing; add the key words in double quotes, copied from the paragraph."
    paragraph = speech.normalised[citation.number]
    for quote in citation.quotes:
        if not normalise(quote) or normalise(quote) not in paragraph:
            return (f"citation {citation.text}: \"{quote}\" is not in {citation.slug}#p{citation.number} verbatim; "
                    "copy the words exactly as the speech has them.")
    return None
