"""English stand-in pages: the counterpart a Chinese page has until its translation lands.

mkdocs-static-i18n builds /en/ from *.en.md files; without one the language switcher has no
counterpart to land on, so every Chinese page gets a stand-in that says so.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from handbook.speech import escape_markdown


def render_stand_in(title: str, tags: list[str], extra: dict | None = None) -> str:
    meta = {"title": title, **(extra or {}), "translation": "pending", "tags": tags}
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return (
        f"---\n{header}---\n\n# {escape_markdown(title)}\n\n"
        '!!! note "Translation pending"\n\n'
        "    The English edition of this page is in preparation. The Chinese page is one click away:\n"
        "    choose **中文** in the language menu at the top of this page.\n"
    )


def write_missing_stand_ins(docs: Path) -> list[Path]:
    """Write a stand-in beside every Chinese page that has no English counterpart yet."""
    written = []
    for page in sorted(docs.rglob("*.md")):
        counterpart = page.with_name(page.stem + ".en.md")
        if page.name.endswith(".en.md") or counterpart.exists():
            continue
        _, meta = get_data(page.read_text(encoding="utf-8"))
        title = meta.get("title_en") or f"{meta.get('title', page.stem)} (translation pending)"
        extra = {"source": meta["source"]} if meta.get("source") else None
        counterpart.write_text(render_stand_in(str(title), ["Translation pending"], extra), encoding="utf-8")
        written.append(counterpart)
    return written
