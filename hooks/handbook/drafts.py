"""Speeches in progress: an entry of sources/speeches.yml that says ``status: draft``.

A draft speech can be previewed while its paragraphs are worked through: its page (and its English
stand-in) shows an 整理中 / In progress notice, and its paragraphs that are neither cited nor listed as
non-normative are to do — on the 来源覆盖 page and as one line of the build log — instead of warnings that
fail the strict build; so is its pending translation. A release refuses it (tools/release.py), so a draft is
never published. Removing the line turns the checks back on: the status is read at every build, not copied
into the page.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from handbook.blocks import block
from handbook.problems import Problem

SPEECHES_FILE = "sources/speeches.yml"
STATUSES = ("draft",)


def read_drafts(root: Path) -> tuple[dict[str, int], list[Problem]]:
    """Source file name -> the line of its entry in sources/speeches.yml, for each entry saying status: draft;
    and the problems of a file that cannot say (not YAML, not a mapping, an unknown status)."""
    path = root / SPEECHES_FILE
    shown = f"../{SPEECHES_FILE}"
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        registry = yaml.safe_load(text) or {}
    except (OSError, UnicodeDecodeError) as error:
        return {}, [Problem(shown, 0, f"cannot be read ({error})", rule="draft", fix="save it as UTF-8 text")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(shown, mark.line + 1 if mark else 1, f"not valid YAML ({getattr(error, 'problem', None) or error})",
                            rule="draft", fix="fix the YAML syntax")]
    if not isinstance(registry, dict):
        return {}, [Problem(shown, 1, "must map each source file name to its entry", rule="draft",
                            fix="write `<file name>:` and its slug, short_title, … under it")]
    lines = text.splitlines()
    drafts, problems = {}, []
    for source, entry in registry.items():
        line = next((n for n, row in enumerate(lines, start=1) if row.startswith(f"{source}:")), 1)
        status = entry.get("status") if isinstance(entry, dict) else None
        if status is None:
            continue
        if status not in STATUSES:
            problems.append(Problem(shown, line, f"{source}: status '{status}' is not known", rule="draft",
                                    fix="write `status: draft` for a speech in progress, or remove the line"))
        else:
            drafts[str(source)] = line
    return drafts, problems


def to_do_ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> 'p2–p4, p7'."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(f"p{first}" if first == last else f"p{first}–p{last}" for first, last in ranges)


def add_draft_notice(root, labels: dict) -> None:
    """The 整理中 / In progress notice under the page's title (an admonition, as Material styles them)."""
    notice = block("div", {"class": "admonition warning hb-draft", "data-search-exclude": ""})
    title = block("p", {"class": "admonition-title"}, labels["title"])
    notice.append(title)
    notice.append(block("p", None, labels["text"]))
    heading = root.find(".//h1")
    if heading is not None:
        heading.addnext(notice)
    else:
        root.insert(0, notice)
