"""Turn a raw speech file (a Word document or text, handbook/source_files.py) into a source page under
docs/speeches/.

Editors run it through ``make ingest SRC=path/to/讲话.docx``. The raw file is
copied to ``sources/`` unchanged (the record of what was ingested) and the page
is regenerated from it; editorial facts that the text cannot give (slug, short
title, the speaker's role, notes) come from ``sources/speeches.yml``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.drafts import STATUSES
from handbook.source_files import IngestError, SourceText, read_source
from handbook.speech import escape_markdown, paragraphs_from_lines, render_speech_body
from handbook.stand_in import render_stand_in

SALUTATION = re.compile(r"^同志们[：:，,]?$")
TITLE_LINE = re.compile(r"^.{4,60}(讲话|发言|致辞)$")
OCCASION_IN_TITLE = re.compile(r"^在(?P<occasion>.+?)(上|中)的(讲话|发言|致辞)$")
# The opening sentence names the occasion: "这次全县办公室主任工作会议，" or "参加县政府办党支部…活动，".
OCCASION_IN_OPENING = (
    re.compile(r"^这次(?P<occasion>[^，。]+?)(，|是)"),
    re.compile(r"参加(?P<occasion>[^，。]+?)[，。]"),
    re.compile(r"召开(?P<occasion>[^，。]+?)[，。]"),
)
YEAR = re.compile(r"(?P<year>(19|20)\d\d)年")
LONGEST_AD_LINE_IN_BODY = 80


__all__ = ["IngestError", "SourceText", "clean", "ingest"]


@dataclass
class Rules:
    ad_markers: list[str]

    @classmethod
    def load(cls, path: Path) -> "Rules":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(ad_markers=list(data.get("ad_markers", [])))

    def is_ad(self, line: str) -> bool:
        return any(marker in line for marker in self.ad_markers)


@dataclass
class CleanSpeech:
    title: str | None  # the speech's own title line, if it has one
    lines: list[str]  # the speech paragraphs, verbatim, title excluded
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (line number, text) of ad lines
    read_as: str = ""  # how the file was read (UTF-8, GB18030, Word document …), printed by `make ingest`


def clean(raw: str, rules: Rules, source_name: str, line_numbers: tuple[int, ...] | None = None,
          title_line: int | None = None) -> CleanSpeech:
    """Drop advertising and disclaimer lines; find the title; keep the rest verbatim.

    ``line_numbers``: the number to name each line by (a Word document's paragraph numbers), else its line;
    ``title_line``: the line known to be the title (a Word document's paragraph styled Title).
    """
    lines = raw.splitlines()
    shown = line_numbers if line_numbers is not None and len(line_numbers) == len(lines) else range(1, len(lines) + 1)
    numbered = list(zip(shown, lines))
    content = [(n, line) for n, line in numbered if line.strip()]
    if not content:
        raise IngestError(f"{source_name}:1: the file holds no text; give a speech with at least one paragraph.")
    # The known title line as its position among the non-empty lines (numbers may repeat: one Word paragraph
    # can hold several lines).
    titled = None
    if title_line is not None and 1 <= title_line <= len(lines) and lines[title_line - 1].strip():
        titled = sum(1 for line in lines[:title_line - 1] if line.strip())

    start = titled if titled is not None else next(
        (i for i, (_, line) in enumerate(content) if SALUTATION.match(line) or TITLE_LINE.match(line)),
        None,
    )
    if start is None:
        raise IngestError(
            f"{source_name}:{content[0][0]}: no title line (…上的讲话) and no salutation (同志们：) found; "
            "add one of them so the speech's start can be told from any preamble."
        )
    preamble, speech = content[:start], content[start:]
    dropped: list[tuple[int, str]] = []
    if preamble:
        if not any(rules.is_ad(line) for _, line in preamble):
            number, line = preamble[0]
            raise IngestError(
                f"{source_name}:{number}: text before the speech's title or salutation is not recognised as "
                f"advertising ({line[:20]}…); remove it from the file or add its marker to sources/ingest-rules.yml."
            )
        dropped.extend(preamble)

    kept: list[tuple[int, str]] = []
    title = None
    if titled is not None:
        title = speech.pop(0)[1].strip()
    for number, line in speech:
        if rules.is_ad(line) and len(line) <= LONGEST_AD_LINE_IN_BODY:
            dropped.append((number, line))
        else:
            kept.append((number, line))

    if title is None and kept and TITLE_LINE.match(kept[0][1]) and not SALUTATION.match(kept[0][1]):
        title = kept.pop(0)[1]
    if not kept:
        raise IngestError(f"{source_name}:1: nothing of the speech is left after its title; the speech is empty.")
    return CleanSpeech(title=title, lines=[line for _, line in kept], dropped=dropped)


def occasion_of(speech: CleanSpeech) -> str | None:
    """The occasion as the text names it: from the title, else from the opening sentences."""
    if speech.title and (match := OCCASION_IN_TITLE.match(speech.title)):
        return match["occasion"]
    for line in speech.lines[:3]:
        for pattern in OCCASION_IN_OPENING:
            if match := pattern.search(line):
                return match["occasion"]
    return None


def front_matter(speech: CleanSpeech, source_name: str, editorial: dict) -> dict:
    """Front matter of the page: what the text states, plus the editor's entry."""
    occasion = editorial.get("occasion") or occasion_of(speech)
    if speech.title:
        title, by_editor = speech.title, False
    elif editorial.get("title"):
        title, by_editor = editorial["title"], True
    elif occasion:
        title, by_editor = f"在{occasion}上的讲话", True
    else:
        raise IngestError(
            f"{source_name}:1: the speech has no title line and its opening names no occasion; "
            f"add `title:` for {source_name} in sources/speeches.yml."
        )
    meta: dict = {"title": title, "title_by_editor": by_editor}
    if occasion:
        meta["occasion"] = occasion
    # A year only where the text itself states it for this speech: in its title line.
    if speech.title and (match := YEAR.search(speech.title)):
        meta["year"] = int(match["year"])
    for key in ("short_title", "speaker", "notes"):
        if editorial.get(key):
            meta[key] = editorial[key]
    meta["source"] = source_name
    meta["tags"] = ["讲话原文"]
    return meta


def render_page(speech: CleanSpeech, meta: dict) -> str:
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    notice = (
        f"<!-- Generated from sources/{meta['source']} by `make ingest`. "
        "Do not edit by hand: fix the source or sources/speeches.yml and ingest again. -->"
    )
    facts = [f"场合：{escape_markdown(meta.get('occasion', '未载明'))}"]
    facts.append(f"讲话人：{escape_markdown(meta.get('speaker', '文中未载明'))}")
    if meta.get("year"):
        facts.append(f"年份：{meta['year']}（见标题）")
    if meta["title_by_editor"]:
        facts.append("标题：原文无标题，编者据开场白所述场合拟题")
    facts.append(f"来源文件：`{meta['source']}`（已删去广告及免责声明行，其余照录原文）")
    facts.extend(f"说明：{escape_markdown(note)}" for note in meta.get("notes", []))
    box = '!!! abstract "关于本文（编者）"\n\n' + "\n".join(f"    - {fact}" for fact in facts)
    body = render_speech_body(paragraphs_from_lines(speech.lines))
    return f"---\n{header}---\n\n{notice}\n\n# {escape_markdown(meta['title'])}\n\n{box}\n\n{body}"


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TEXT_FIELDS = ("slug", "short_title", "title_en", "title", "speaker", "occasion", "status")


def editorial_entry(registry_file: Path, source_name: str) -> dict:
    """The entry of sources/speeches.yml for ``source_name`` ({} when it has none), its shape checked:
    a hand-edited YAML file can hold a list, a number or a slug that is not a file name."""
    shown = "sources/speeches.yml"
    text = registry_file.read_text(encoding="utf-8") if registry_file.is_file() else ""
    try:
        registry = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise IngestError(f"{shown}:{mark.line + 1 if mark else 1}: not valid YAML "
                          f"({getattr(error, 'problem', None) or error}); fix the YAML syntax.") from None
    if not isinstance(registry, dict):
        raise IngestError(f"{shown}:1: must map each source file name to its entry (slug:, short_title:, …).")
    editorial = registry.get(source_name)
    line = next((n for n, row in enumerate(text.splitlines(), start=1) if row.startswith(f"{source_name}:")), 1)
    if editorial is None:
        return {}
    if not isinstance(editorial, dict):
        raise IngestError(f"{shown}:{line}: the entry for {source_name} must be a mapping (slug:, short_title:, …), "
                          f"not {type(editorial).__name__}.")
    for key in TEXT_FIELDS:
        if editorial.get(key) is not None and not isinstance(editorial[key], str):
            raise IngestError(f"{shown}:{line}: {source_name}: {key} must be text, not {type(editorial[key]).__name__}.")
    if editorial.get("slug") and not SLUG.match(editorial["slug"]):
        raise IngestError(f"{shown}:{line}: {source_name}: slug '{editorial['slug']}' must be lower-case ASCII letters, "
                          "digits and hyphens (it is the page's file name and URL).")
    if editorial.get("status") is not None and editorial["status"] not in STATUSES:
        raise IngestError(f"{shown}:{line}: {source_name}: status '{editorial['status']}' is not known; write "
                          "`status: draft` for a speech in progress, or remove the line.")
    notes = editorial.get("notes")
    if notes is not None and not (isinstance(notes, list) and all(isinstance(note, str) for note in notes)):
        raise IngestError(f"{shown}:{line}: {source_name}: notes must be a list of text lines (- …).")
    return editorial


def ingest(src: Path, repo: Path) -> tuple[Path, CleanSpeech]:
    """Copy ``src`` into sources/ and write its page; returns the page path. Everything is read and checked
    before anything is written: a file that cannot be ingested leaves sources/ and docs/ as they were."""
    source = read_source(src)
    rules = Rules.load(repo / "sources" / "ingest-rules.yml")
    speech = clean(source.text, rules, src.name, source.line_numbers, source.title_line)
    speech.read_as = source.read_as
    editorial = editorial_entry(repo / "sources" / "speeches.yml", src.name)
    slug = editorial.get("slug") or re.sub(r"[^a-z0-9-]+", "-", src.stem.lower()).strip("-")
    if not slug:
        raise IngestError(f"sources/speeches.yml:1: {src.name} needs an entry with its `slug:` (the page's file name "
                          "and URL, e.g. county-office-meeting-2021): its file name gives none.")
    meta = front_matter(speech, src.name, editorial)

    target_source = repo / "sources" / src.name
    if src.resolve() != target_source.resolve():
        shutil.copyfile(src, target_source)
    page = repo / "docs" / "speeches" / f"{slug}.md"
    page.write_text(render_page(speech, meta), encoding="utf-8")
    # The English edition needs a counterpart page for the language switcher to land on;
    # a stand-in is written once and never overwritten (it may hold a translation by now).
    stand_in = page.with_suffix(".en.md")
    if not stand_in.exists():
        title = editorial.get("title_en") or f"Speech: {meta['source']}"
        stand_in.write_text(render_stand_in(title, ["Source speeches"], {"source": meta["source"]}), encoding="utf-8")
    return page, speech
