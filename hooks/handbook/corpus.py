"""What the citation and coverage hooks need to know about every page, read straight from the files.

Read in ``on_files`` (once per language build), before any page is rendered: a speech page
shows who cites each paragraph, so all citations must be known before the first page renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handbook.citations import Citation, find_citations
from handbook.front_matter import split_front_matter
from handbook.paragraphs import speech_blocks
from handbook.problems import ProblemError, body_offset

SPEECHES_DIR = "speeches/"
NORMS_DIR = "norms/"


@dataclass
class Speech:
    slug: str
    src_uri: str
    short_title: str
    source: str  # the ingested file; its name orders the speeches as the navigation does
    paragraphs: dict[int, str]  # number -> text as the reader sees it
    lines: dict[int, int]  # number -> line in the page file


@dataclass
class Corpus:
    speeches: dict[str, Speech] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)  # from every page, in file order
    titles: dict[str, str] = field(default_factory=dict)  # src_uri -> page title

    def citations_by_speech(self) -> dict[str, list[Citation]]:
        """Speech slug -> the citations of that speech, from every page, in file order."""
        result: dict[str, list[Citation]] = {}
        for citation in self.citations:
            if citation.slug in self.speeches:
                result.setdefault(citation.slug, []).append(citation)
        return result

    def cited_by_clauses(self) -> dict[tuple[str, int], list[Citation]]:
        """(slug, paragraph) -> the norm clauses' citations of it."""
        result: dict[tuple[str, int], list[Citation]] = {}
        for citation in self.citations:
            if citation.src_uri.startswith(NORMS_DIR):
                result.setdefault((citation.slug, citation.number), []).append(citation)
        return result


def unlocalized(src_uri: str, language: str | None) -> str:
    """'speeches/x.en.md' -> 'speeches/x.md' (static-i18n's suffix structure)."""
    suffix = f".{language}.md"
    return src_uri[: -len(suffix)] + ".md" if language and src_uri.endswith(suffix) else src_uri


def speech_slug(src_uri: str) -> str:
    return src_uri[len(SPEECHES_DIR) : -len(".md")]


_recent: dict[tuple, Corpus] = {}


def load_corpus(pages: list[tuple[str, str]], language: str | None = None) -> Corpus:
    """The corpus of the pages being built, from (src_uri, file text) pairs.

    Several hooks need it in on_files; the last result is kept, so the pages are read once per build.
    """
    key = (language, tuple((uri, hash(text)) for uri, text in pages))
    if key not in _recent:
        _recent.clear()
        _recent[key] = _read_corpus(pages, language)
    return _recent[key]


def _read_corpus(pages: list[tuple[str, str]], language: str | None) -> Corpus:
    corpus = Corpus()
    for src_uri, source in pages:
        uri = unlocalized(src_uri, language)
        body, meta = split_front_matter(source)
        offset = body_offset(source, body)
        corpus.citations.extend(find_citations(body, uri, offset))
        corpus.titles[uri] = str(meta.get("title") or uri)
        if uri.startswith(SPEECHES_DIR) and meta.get("source"):
            try:
                blocks = speech_blocks(body)
            except ProblemError:
                blocks = []  # an untranslated stand-in, or reported by the speech paragraph hook
            corpus.speeches[speech_slug(uri)] = Speech(
                slug=speech_slug(uri),
                src_uri=uri,
                short_title=str(meta.get("short_title") or meta.get("title") or speech_slug(uri)),
                source=str(meta["source"]),
                paragraphs={block.number: block.text for block in blocks},
                lines={block.number: offset + block.line for block in blocks},
            )
    corpus.speeches = dict(sorted(corpus.speeches.items(), key=lambda item: item[1].source))
    return corpus

