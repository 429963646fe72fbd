"""Search that finds what staff type: the jieba user dictionary and the search index rewrite.

Material's search plugin segments Chinese text with jieba (zero-width spaces between words)
for its lunr worker. Our worker (docs/assets/javascripts/handbook-search.js) matches whole
words as substrings instead, so the index is rewritten after the build: the words jieba found
become the vocabulary that queries are cut into, and titles and texts lose the zero-width
spaces (they showed in results) and their markup (snippets are made from plain text).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from lxml import html as lxml_html

from handbook.principles import parts_of

ZWSP = "\u200b"
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,12}$")
USER_WORD_FREQUENCY = 100000  # high enough that jieba keeps the handbook's words whole


def search_words(handbook, curated: Path) -> list[str]:
    """Principle terms and variants (whole and by part), clause titles (from the model of the Chinese
    pages), and the curated office terms of sources/search-terms.yml."""
    words: list[str] = []
    for term in handbook.terms:
        for form in term.forms:
            if form:
                parts = parts_of(str(form))
                words += ["".join(parts), *parts]
    for clause in handbook.clauses:
        words += parts_of(clause.title)
    if curated.exists():
        words += [str(word) for word in yaml.safe_load(curated.read_text(encoding="utf-8")) or []]
    return sorted({word for word in words if _HAN_WORD.match(word)})


def load_user_dictionary(words: list[str], repo: Path) -> Path | None:
    """Give jieba the handbook's words before Material's search segments the first page.

    Material loads a user dictionary only in its on_config, before any page is read; the words come
    from the model, so they are loaded here instead (jieba keeps them for the process).
    """
    try:
        import jieba  # noqa: PLC0415 (optional in Material too)
    except ImportError:
        return None
    # One file per project, named by a stable digest: hash() differs in every process.
    digest = hashlib.sha1(str(repo).encode("utf-8")).hexdigest()[:16]
    path = write_user_dictionary(words, Path(tempfile.gettempdir()) / f"handbook-jieba-{digest}.txt")
    jieba.load_userdict(str(path))
    return path


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


def rewrite_site_index(site_dir: Path, words: list[str], log) -> None:
    """Rewrite the merged index of the built site (both languages) for our worker."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    index = rewrite_index(json.loads(path.read_text(encoding="utf-8")), words)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    # The offline site (Material's offline plugin) reads the index from search_index.js, which the plugin
    # wrote at priority -100 from the index before this rewrite: give it the rewritten one.
    inline = path.with_suffix(".js")
    if inline.exists():
        inline.write_text(f"var __index = {text}", encoding="utf-8")
    log.info(f"[search] {len(index['docs'])} sections, {len(index['config']['handbook']['vocabulary'])} words, "
             f"{path.stat().st_size:,} bytes")
