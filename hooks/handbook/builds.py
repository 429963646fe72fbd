"""The one owner of a build's state: which language build is in progress, its model, and what spans
the languages of one site build.

mkdocs-static-i18n builds each extra language by running the whole build again on the same config,
from inside the default language's ``on_post_build``: builds nest, the last started is the first to
finish. Only this module knows that. hooks/pipeline.py starts a build in ``on_pre_build`` and
finishes it at the end of ``on_post_build``; every other module asks ``current()``. The outermost
(default-language) build starts afresh, so a build aborted midway (an error in `mkdocs serve`)
leaves nothing behind.

`make serve`'s preview (hooks/pipeline.py, "Preview") renders again, after a save, only the pages an edit
affects, with the objects of the last complete build: ``last_complete()`` keeps them from one build to the next
(hook modules are loaded once per `mkdocs serve`, so this module's state outlives each build).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handbook.model import Handbook


@dataclass
class Build:
    """One language's build: its settings, labels, model and what its events hand each other."""

    language: str
    default_language: bool
    settings: dict
    labels: dict
    handbook: Handbook = None  # read in on_files
    urls: dict[str, str] = field(default_factory=dict)  # page uri -> its URL in this build
    language_dir: Path | None = None  # where this language's pages are written (site/ or site/en/)
    principle_sources: dict[str, str] = field(default_factory=dict)  # page -> 出处与引用, appended after indexing
    blocks: dict[str, object] = field(default_factory=dict)  # page -> its generated tables and lists (handbook/blocks.py)
    templates: dict = field(default_factory=dict)  # loaded once per build (get_env() is not free)
    gate: object = None  # the 保密 gate's data (handbook/secrecy.py)
    non_normative: dict = field(default_factory=dict)  # sources/non-normative.yml, read once per build
    non_normative_text: str = ""
    built_site: object = None  # the built pages, each parsed once for all post-build checks (handbook/links.py)
    built_pages: dict = field(default_factory=dict)  # under the preview: what the checks read of each built page, kept
    registry: object = None  # the published clause IDs (handbook/registry.py), read in on_files
    record: dict = None  # this build's clause record with its history (handbook/revisions.py)
    audiences: dict = None  # sources/scopes.yml: the offices and roles a scope may name, Chinese -> English
    memo: dict = field(default_factory=dict)  # what features derive once per build (see cached)
    # A preview rebuild (`make serve`, after a save): the pages (model uris) it renders and checks; None in a full build.
    only: frozenset[str] | None = None
    reported: frozenset = frozenset()  # the problems found in the model (on_files), for the next preview to compare
    # mkdocs' objects of this build and the state of the files it read (path -> (mtime, size)): what the preview reuses.
    mkdocs: dict = field(default_factory=dict)
    snapshot: dict[str, tuple[int, int]] = field(default_factory=dict)

    def cached(self, key: str, compute):
        """compute(), made once per language build: what depends on the build alone, not on the page."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass
class Site:
    """What one site build (all its languages) gathers: the finished models, the 404 pages, link totals."""

    finished: list[Handbook] = field(default_factory=list)
    builds: list[Build] = field(default_factory=list)  # the finished language builds
    not_found_page: str | None = None
    labels: dict[str, dict] = field(default_factory=dict)  # language -> its label table, compiled once per build
    link_totals: dict[str, float] = field(default_factory=lambda: {"pages": 0, "links": 0, "problems": 0, "seconds": 0.0})


_stack: list[Build] = []
_last: dict[str, Build] = {}  # language -> its build in the last complete site build (or preview), for the preview
_site: list[Site] = [Site()]  # one element, replaced at the start of each site build


def start(build: Build) -> Build:
    if build.default_language:  # the outermost build: forget what an aborted build left
        _stack.clear()
        _site[0] = Site()
        if build.only is None:  # a full build cleans the site: the preview may reuse it only once it is complete
            _last.clear()
    _stack.append(build)
    _site[0].labels[build.language] = build.labels
    return build


def current() -> Build | None:
    return _stack[-1] if _stack else None


def original() -> Build | None:
    """The default-language build in progress (the outermost one): a translation reads what belongs to the
    original from it (the speeches' editorial front matter, the clause record)."""
    return _stack[0] if _stack else None


def start_preview(build: Build, original: Build | None) -> Build:
    """A preview rebuild of one language's pages; a translation's reads the original language's last build, which it
    lends as the original (its model, registry and clause record stay as they were)."""
    _stack.clear()
    _site[0] = Site()
    _stack.extend([original, build] if original is not None else [build])
    _site[0].labels[build.language] = build.labels
    return build


def finish() -> tuple[Build | None, bool]:
    """End the build in progress; returns it and whether it was the outermost (every language is built)."""
    if not _stack:
        return None, False
    build = _stack.pop()
    if build.handbook is not None:
        _site[0].finished.append(build.handbook)
    _site[0].builds.append(build)
    if build.only is not None:  # a preview: it replaces its language's build; the original it was lent stays
        _stack.clear()
        _last[build.language] = build
    elif previewing(build):
        # Every page of the site is written once a language build ends: the builds it is nested in wrote theirs
        # before static-i18n started it. So the preview may start from here, even if --strict stops the site build
        # later (after a nested build, before the outer one ends). The files as they were when the site build began.
        outermost = _stack[0] if _stack else build
        for each in [*_stack, *_site[0].builds]:
            each.snapshot = outermost.snapshot
            _last[each.language] = each
    return build, not _stack


def site() -> Site:
    return _site[0]


def previewing(build: Build) -> bool:
    """Whether `make serve`'s preview will render pages again from this build (extra.handbook.serve.rebuild):
    only then is what it needs kept once the build is over."""
    return build.settings.get("serve", {}).get("rebuild") == "affected"


def last_complete(language: str | None = None) -> Build | None:
    """A language's build (the default language's when None) in the last site build that ran to its end, or in a
    preview since, with mkdocs' objects: what the preview reuses."""
    if language is None:
        return next((build for build in _last.values() if build.default_language), None)
    return _last.get(language)


def last_builds() -> dict[str, Build]:
    """Every language's build that last_complete() would give."""
    return dict(_last)
