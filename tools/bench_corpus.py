"""Synthetic corpora for the scale benchmark: the real project with its speeches and norms copied N times.

    python tools/bench_corpus.py DIR --copies 10     # writes a buildable project into DIR

Copy k of a speech is the same page under the slug ``<slug>-xKK`` (both languages), so every
paragraph is real text. Copy k of each norm page cites copy k of the speeches, and its clause
IDs carry a two-character tag after the domain (保密-01 becomes 保密零七-01: still of the form
that hooks/handbook/clauses.py allows, and unique). The non-normative paragraphs are listed for
every copy, so coverage holds, and the copies are listed under ``not_in_nav`` (see write_corpus
for why). Nothing here is committed: the benchmark writes it into a temporary directory.

One setting differs from the real mkdocs.yml, at every size: static-i18n's ``reconfigure_search``
is off. Its search de-duplication compares every Chinese search section with every English one,
which is quadratic in the text (dedup_seconds measures it) and would take minutes at 100×; it
removes nothing from our index, since no page is served in a language it was not written in.
The setting also adds 'en' to the search plugin's ``lang``, which changes no build step's cost.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))
from handbook.coverage import NON_NORMATIVE_FILE  # noqa: E402
from handbook.grammar import CITATION, CLAUSE_HEADING  # noqa: E402
from handbook.paragraphs import speech_blocks  # noqa: E402
from handbook.search import EDITION_PREFIXES, EDITIONS, edition_index_path  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402

# Chinese digits inside the range a clause ID's domain may use (一-龥); 〇 lies outside it.
TAG_DIGITS = "零一二三四五六七八九"
MAX_COPIES = 100


@dataclass(frozen=True)
class CorpusSize:
    copies: int
    pages: int  # Markdown pages, both languages
    speech_paragraphs: int  # numbered paragraphs of the Chinese speeches
    characters: int  # characters of Markdown in docs/, both languages


def copy_slug(slug: str, copy: int) -> str:
    return f"{slug}-x{copy:02d}"


def clause_tag(copy: int) -> str:
    """Two Chinese digits for copies 1..99: a domain of two characters stays within the four allowed."""
    if not 0 < copy < MAX_COPIES:
        raise ValueError(f"copy number {copy} is outside 1..{MAX_COPIES - 1}")
    return TAG_DIGITS[copy // 10] + TAG_DIGITS[copy % 10]


def localized_name(path: Path) -> tuple[str, str]:
    """'secrecy.en.md' -> ('secrecy', '.en.md'); 'secrecy.md' -> ('secrecy', '.md')."""
    stem, _, rest = path.name.partition(".")
    return stem, "." + rest


def speech_slugs(docs: Path) -> list[str]:
    """The slugs of the Chinese speech pages (those naming a source file)."""
    slugs = []
    for page in sorted((docs / "speeches").glob("*.md")):
        stem, suffix = localized_name(page)
        if suffix == ".md" and get_data(page.read_text(encoding="utf-8"))[1].get("source"):
            slugs.append(stem)
    return slugs


def clause_ids(docs: Path) -> list[str]:
    ids = []
    for page in sorted((docs / "norms").glob("*.md")):
        for line in page.read_text(encoding="utf-8").split("\n"):
            if match := CLAUSE_HEADING.match(line):
                ids.append(match["id"])
    return ids


def rewrite_norm_page(text: str, copy: int, slugs: set[str], ids: list[str]) -> str:
    """A norm page citing copy ``copy`` of the speeches, with its clause IDs made unique."""
    def cite(match: re.Match) -> str:
        slug = match["slug"]
        if slug not in slugs:
            return match.group(0)
        return match.group(0).replace(f"[@{slug}#", f"[@{copy_slug(slug, copy)}#", 1)

    text = CITATION.sub(cite, text)
    tag = clause_tag(copy)
    pattern = re.compile("|".join(re.escape(i) for i in sorted(set(ids), key=len, reverse=True)))
    return pattern.sub(lambda m: m.group(0).replace("-", tag + "-", 1), text)


def copied_non_normative(source: str, slugs: list[str], copies: int) -> str:
    entries = yaml.safe_load(source) or {}
    for copy in range(1, copies):
        for slug in slugs:
            if slug in entries:
                entries[copy_slug(slug, copy)] = entries[slug]
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)


def synthetic_config(config: str) -> str:
    """mkdocs.yml declaring the copies hidden on purpose (which the orphans hook accepts), without
    static-i18n's quadratic search de-duplication (see the module's docstring)."""
    block = "not_in_nav: |\n  /speeches/*-x[0-9][0-9]*.md\n  /norms/*-x[0-9][0-9]*.md\n"
    if "\nnot_in_nav:" in config or "reconfigure_search:" in config:
        raise ValueError("mkdocs.yml now sets not_in_nav or reconfigure_search: merge the corpus' settings into them")
    i18n = "\n  - i18n:\n"
    if i18n not in config:
        raise ValueError("mkdocs.yml no longer configures the i18n plugin where the corpus generator expects it")
    config = config.replace(i18n, i18n + "      reconfigure_search: false # quadratic; see tools/bench_corpus.py\n", 1)
    return config.replace("\nnav:\n", "\n" + block + "\nnav:\n", 1)


def dedup_seconds(site: Path) -> tuple[int, int, float]:
    """(sections, sections removed, CPU seconds) of static-i18n's search de-duplication over a built site's index:
    the editions' indexes together, as static-i18n merges them (each edition's locations under its prefix)."""
    from mkdocs_static_i18n.plugin import I18n

    entries = [{**entry, "location": EDITION_PREFIXES.get(language, "") + entry["location"]}
               for language in EDITIONS if edition_index_path(site, language).is_file()
               for entry in json.loads(edition_index_path(site, language).read_text(encoding="utf-8"))["docs"]]
    sections = len(entries)
    started = time.process_time()
    # The method reads nothing of the plugin but the languages it builds.
    I18n.reconfigure_search_duplicates(SimpleNamespace(build_languages=["zh", "en"]), entries)
    return sections, sections - len(entries), time.process_time() - started


def write_corpus(target: Path, copies: int) -> CorpusSize:
    """Write the project with ``copies`` copies of the speeches and norms (1: the real content) into ``target``.

    The copies are not in the navigation: Material renders the whole navigation into every page, so
    a nav of 100× the pages would make any build quadratic, with or without our hooks, and measure
    the navigation's design instead of the hooks' growth with the text.
    """
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be within 1..{MAX_COPIES}")
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("docs", "hooks", "overrides", "sources"):
        shutil.copytree(REPO / folder, target / folder, ignore=ignore, dirs_exist_ok=True)
    docs = target / "docs"
    slugs = speech_slugs(docs)
    ids = clause_ids(docs)
    speech_pages = [p for p in sorted((docs / "speeches").glob("*.md")) if localized_name(p)[0] in slugs]
    norm_pages = [p for p in sorted((docs / "norms").glob("*.md")) if localized_name(p)[0] != "index"]
    for copy in range(1, copies):
        for page in speech_pages:
            stem, suffix = localized_name(page)
            shutil.copyfile(page, page.with_name(copy_slug(stem, copy) + suffix))
        for page in norm_pages:
            stem, suffix = localized_name(page)
            text = rewrite_norm_page(page.read_text(encoding="utf-8"), copy, set(slugs), ids)
            page.with_name(f"{stem}-x{copy:02d}{suffix}").write_text(text, encoding="utf-8")
    non_normative = target / NON_NORMATIVE_FILE
    non_normative.write_text(copied_non_normative(non_normative.read_text(encoding="utf-8"), slugs, copies), encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(synthetic_config(config), encoding="utf-8")
    return measure_corpus(target, copies)


def measure_corpus(project: Path, copies: int) -> CorpusSize:
    docs = project / "docs"
    pages = sorted(docs.rglob("*.md"))
    paragraphs = 0
    for page in (docs / "speeches").glob("*.md"):
        body, meta = get_data(page.read_text(encoding="utf-8"))
        if localized_name(page)[1] == ".md" and meta.get("source"):
            paragraphs += len(speech_blocks(body)[0])
    return CorpusSize(copies=copies, pages=len(pages), speech_paragraphs=paragraphs,
                      characters=sum(len(page.read_text(encoding="utf-8")) for page in pages))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path, help="an empty directory to write the project into")
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    size = write_corpus(args.target, args.copies)
    print(f"{args.target}: {size.copies}× — {size.pages} pages, {size.speech_paragraphs} speech paragraphs, "
          f"{size.characters:,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
