"""Search that finds what staff type: the jieba user dictionary and the search index rewrite.

Material's search plugin segments Chinese text with jieba (zero-width spaces between words)
for its lunr worker. Our worker (docs/assets/javascripts/handbook-search.js) matches whole
words as substrings instead, so the index is rewritten after the build: the words jieba found
become the vocabulary that queries are cut into, and titles and texts lose the zero-width
spaces (they showed in results) and their markup (snippets are made from plain text).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

import yaml
from lxml import html as lxml_html

from handbook.clauses import CLAUSE_HEADING
from handbook.front_matter import split_front_matter
from handbook.principles import parts_of

ZWSP = "\u200b"
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,12}$")
USER_WORD_FREQUENCY = 100000  # high enough that jieba keeps the handbook's words whole


def user_dictionary_words(docs: Path, curated: Path) -> list[str]:
    """Principle terms and variants (whole and by part), clause titles, and the curated office terms."""
    words: list[str] = []
    for page in sorted((docs / "principles").glob("*.md")):
        if page.name.endswith(".en.md"):
            continue
        _, meta = split_front_matter(page.read_text(encoding="utf-8"))
        for form in [meta.get("term"), *(meta.get("variants") or [])]:
            if form:
                parts = parts_of(str(form))
                words += ["".join(parts), *parts]
    for page in sorted((docs / "norms").glob("*.md")):
        if page.name.endswith(".en.md"):
            continue
        for line in page.read_text(encoding="utf-8").split("\n"):
            if match := CLAUSE_HEADING.match(line):
                words += parts_of(match["title"])
    if curated.exists():
        words += [str(word) for word in yaml.safe_load(curated.read_text(encoding="utf-8")) or []]
    return sorted({word for word in words if _HAN_WORD.match(word)})


def write_user_dictionary(words: list[str], path: Path) -> Path:
    """Write the dictionary whole under its name at once: another build of the same project may be reading it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name, delete=False) as file:
        file.write("".join(f"{word} {USER_WORD_FREQUENCY}\n" for word in words))
    os.replace(file.name, path)
    return path


def plain_text(fragment: str) -> str:
    """The text of an index entry without markup and zero-width spaces."""
    fragment = fragment.replace(ZWSP, "")
    if "<" not in fragment:
        return html.unescape(fragment).strip()  # titles arrive escaped (hooks/front_matter.py)
    text = lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()
    return " ".join(text.split())


def rewrite_index(index: dict, extra_words: list[str]) -> dict:
    """The index our worker reads: plain titles and texts, and the vocabulary in config.handbook."""
    tokens: set[str] = set()  # every distinct token first: the same words recur in thousands of sections
    for doc in index["docs"]:
        for field in ("title", "text"):
            tokens.update(doc.get(field, "").split(ZWSP))
        doc["title"] = plain_text(doc.get("title", ""))
        doc["text"] = plain_text(doc.get("text", ""))
    vocabulary = set(extra_words) | {token for token in tokens if _HAN_WORD.match(token)}
    index["config"]["handbook"] = {"vocabulary": sorted(vocabulary)}
    return index
