"""Checks of a page's YAML front matter that mkdocs itself skips.

mkdocs' ``get_data`` silently treats unparsable front matter as page text (the
YAML then shows on the page and the page loses its title and tags), so a typo
would publish quietly; here it becomes an error with the YAML parser's line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from handbook.problems import Problem

# The same delimiters mkdocs accepts (mkdocs.utils.meta.YAML_RE).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
SPEECH_REQUIRED = ("title", "source")
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE_NAME = re.compile(r"^[^/\\\x00]{1,255}$")


def split_front_matter(source: str) -> tuple[str, dict]:
    """(body, front matter) of a page's text, exactly as mkdocs' ``get_data`` reads them (the model reads
    each page once): the same delimiters and the same fallbacks, with libyaml's parser where PyYAML has it
    (mkdocs' pure-Python one was most of the model's reading time)."""
    match = FRONT_MATTER.match(source)
    if match is None:
        return get_data(source)  # no YAML block: mkdocs' MultiMarkdown-style meta, if any
    try:
        meta = yaml.load(match.group(1), Loader=FAST_LOADER)
    except Exception:  # noqa: BLE001 (mkdocs treats any failure as "no front matter"; front_matter_problems reports it)
        return source, {}
    if not isinstance(meta, dict):
        return source, {}
    return source[match.end():].lstrip("\n"), meta


def front_matter_problems(path: str, source: str, sources_dir: Path, parsed: dict | None = None) -> list[Problem]:
    """Problems in the front matter of the page ``path`` whose file text is ``source``.

    ``parsed`` is what mkdocs already read (page.meta): when it is not empty the YAML parsed,
    and only the fields are checked, without parsing the file a second time.
    """
    if not source.startswith("---"):
        return []
    if parsed:
        return _field_problems(path, parsed, source, sources_dir)
    match = FRONT_MATTER.match(source)
    if match is None:
        return [Problem(path, 1, "front matter opened with '---' is never closed; add a line '---' after it.")]
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        # The context mark points at what was left open (e.g. the '[' of a list); prefer it.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based lines, +1 for the opening '---'
        reason = getattr(error, "problem", None) or str(error)
        return [Problem(path, line, f"front matter is not valid YAML ({reason}); fix the YAML syntax.")]
    if not isinstance(meta, dict):
        return [Problem(path, 2, "front matter must be a mapping of `key: value` lines.")]
    return _field_problems(path, meta, source, sources_dir)


def _is_text(value) -> bool:
    """A scalar YAML gives as text, a number or a date, not a list, a mapping, a truth value or null."""
    return value is not None and not isinstance(value, (bool, list, dict))


def _field_problems(path: str, meta: dict, source: str, sources_dir: Path) -> list[Problem]:
    problems = []
    if "source" in meta:
        missing = [key for key in SPEECH_REQUIRED if not meta.get(key)]
        name = str(meta.get("source"))
        if missing:
            problems.append(Problem(path, 1, f"speech page lacks {', '.join(missing)} in its front matter; re-run `make ingest`."))
        elif not isinstance(meta["source"], str) or not SOURCE_NAME.match(name):
            # Checked before the file system is asked: a list, a path or a NUL byte would make it raise.
            problems.append(Problem(path, _line_of(source, "source:"),
                                    "source must be the file name of the speech in sources/ (e.g. 002_85a4a743d5241472.txt); "
                                    "re-run `make ingest`."))
        elif not (sources_dir / name).is_file():
            problems.append(
                Problem(path, _line_of(source, "source:"),
                        f"source file sources/{meta['source']} does not exist; ingest the speech with `make ingest SRC=…`.")
            )
    if "term" in meta:  # a principle page (hooks/principles.py)
        variants = meta.get("variants")
        if not _is_text(meta["term"]):
            problems.append(Problem(path, _line_of(source, "term:"), "term must be the principle's wording as text; fix `term:`."))
        if variants is not None and not (isinstance(variants, list) and all(_is_text(v) for v in variants)):
            problems.append(Problem(path, _line_of(source, "variants:"),
                                    "variants must be a list of wordings, one `- …` line each; fix `variants:`."))
        if "summary" in meta and not _is_text(meta["summary"]):
            problems.append(Problem(path, _line_of(source, "summary:"), "summary must be one line of text; fix `summary:`."))
    return problems


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0
