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

from handbook.front_matter import FAST_LOADER
from handbook.grammar import QUESTIONS
from handbook.principles import parts_of
from handbook.problems import Problem, yaml_problem
from handbook.scopes import scope_text

ZWSP = "\u200b"
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,12}$")
_HAN = re.compile(r"[\u3400-\u9fff]")
THESAURUS = "sources/thesaurus.yml"
LEXICON = "sources/office-lexicon.yml"
SEARCH_QUESTIONS = "sources/search-questions.yml"
# Dropped from the text before matching, as the worker's normalise() drops them (办文、办会 is 办文办会).
_TRANSPARENT = dict.fromkeys(map(ord, "、“”‘’「」『』\"'\u200b"))
# The worker's word lists (vocabulary, thesaurus, office topics) travel as one string each, words joined by "|", a
# thesaurus entry's everyday phrases and terms by "=", its entries by a line break: as JSON arrays, their quotes and
# commas cost some 3 KB of the 350 KB first load.
WORD_SEPARATOR, ENTRY_SEPARATOR, TERMS_SEPARATOR = "|", "\n", "="
# Generated lists, found by their titles only: their text repeats the clauses' IDs and titles, which the clauses'
# own sections answer, and cost some 7 KB of the first load (the office topics of sources/office-lexicon.yml took
# about as much). The tags' pages stay whole: without them every word's weight shifts (the worker weighs a word
# by the share of sections holding it), and one question of tests/questions.yml fell from fifth to sixth.
LIST_PAGES = ("coverage/", "principles/matrix/", "revisions/")
# Each edition's pages live under its prefix (the default language's at the site root).
EDITION_PREFIXES = {"en": "en/"}
DEFAULT_LANGUAGE = "zh"
EDITIONS = (DEFAULT_LANGUAGE, *EDITION_PREFIXES)  # each with its own search index (split_editions)
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
        words += [str(word) for word in yaml.load(curated.read_text(encoding="utf-8"), Loader=FAST_LOADER) or []]
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


def rewrite_index(index: dict, extra_words: list[str], clauses: dict[str, dict[str, str]] | None = None,
                  thesaurus: dict | None = None, labels: dict | None = None, lexicon: dict | None = None,
                  asked: dict | None = None) -> dict:
    """The index our worker reads: plain titles and texts, the vocabulary, the thesaurus and the office topics no
    clause speaks of (``outside``, from ``lexicon``: outside_terms) in config.handbook.

    ``clauses`` maps a language to {clause ID: (its source ("全县办公室主任会议讲话 ¶7"), its scope ("长期有效 ·
    县政府办公室"))}: a clause's section then carries its common questions apart from its text (they are matched,
    never shown as its text), with the other ways staff ask for it (``asked``: language -> clause ID -> questions,
    read_search_questions), where its rule text ends (``rule``: the reader sees the rule first), its source and
    its scope (shown with the result, never matched).
    """
    tokens: set[str] = set()  # every distinct token first: the same words recur in thousands of sections
    index["docs"] = [doc for doc in index["docs"] if not (on_list_page(doc.get("location", "")) and "#" in doc["location"])]
    for doc in index["docs"]:
        if on_list_page(doc.get("location", "")):
            doc["text"] = ""
        for field in ("title", "text"):
            tokens.update(doc.get(field, "").split(ZWSP))
        doc["title"] = plain_text(doc.get("title", ""))
        location = doc.get("location", "")
        language = edition_of(location)[0]
        clause_id = location.partition("#")[2]
        known = (clauses or {}).get(language, {}).get(clause_id)
        if known is None:
            doc["text"] = plain_text(doc.get("text", ""))
        else:
            doc.update(clause_entry(doc.get("text", ""), *known))
            more = (asked or {}).get(language, {}).get(clause_id)
            if more:
                doc["asked"] = WORD_SEPARATOR.join(more)
    vocabulary = set(extra_words) | {token for token in tokens if _HAN_WORD.match(token)}
    outside = outside_terms(lexicon or {}, index["docs"], thesaurus or {})
    index["config"]["handbook"] = {
        "vocabulary": WORD_SEPARATOR.join(sorted(vocabulary)),
        "thesaurus": {language: ENTRY_SEPARATOR.join(WORD_SEPARATOR.join(everyday) + TERMS_SEPARATOR + WORD_SEPARATOR.join(terms)
                                                     for everyday, terms in entries)
                      for language, entries in (thesaurus or {}).items()},
        "labels": labels or {},
        "outside": {language: WORD_SEPARATOR.join(terms) for language, terms in outside.items()}}
    return index


def on_list_page(location: str) -> bool:
    """Whether ``location`` is a generated list page (LIST_PAGES) or one of its sections."""
    return edition_of(location)[1].startswith(LIST_PAGES)


def edition_of(location: str) -> tuple[str, str]:
    """The language of a location in the merged index, and the location within that edition (en/norms/ -> norms/)."""
    for language, prefix in EDITION_PREFIXES.items():
        if location.startswith(prefix):
            return language, location.removeprefix(prefix)
    return DEFAULT_LANGUAGE, location


def split_editions(index: dict) -> dict[str, dict]:
    """Language -> the index of that edition alone, its locations relative to the edition's root, its word lists
    and interface strings alone in config.handbook (a string each, not a map of languages).

    static-i18n writes one index of every language at the site root, and Material loads search/search_index.json
    from the page's base: a Chinese reader downloaded the English edition's index too, some 130 KB of a 350 KB
    first load. Each edition's pages point Material's base at their own root instead (hooks/search.py). The
    vocabulary cuts Chinese queries into words: the default (Chinese) edition's alone. The sections move into
    their edition, their locations rewritten in place: at 100x a copy of each was some 100 MB more.
    """
    handbook = index["config"].get("handbook", {})
    editions: dict[str, dict] = {}
    for doc in index["docs"]:
        language, location = edition_of(doc.get("location", ""))
        if language not in editions:
            config = {key: value for key, value in index["config"].items() if key != "handbook"}
            config["handbook"] = {"language": language,
                                  **({"vocabulary": handbook["vocabulary"]} if language == DEFAULT_LANGUAGE and "vocabulary" in handbook else {}),
                                  **{key: handbook[key].get(language, {} if key == "labels" else "")
                                     for key in ("thesaurus", "labels", "outside") if key in handbook}}
            editions[language] = {"config": config, "docs": []}
        doc["location"] = location
        editions[language]["docs"].append(doc)
    return editions


def edition_index_path(site_dir: Path, language: str) -> Path:
    """Where an edition's index is published: search/search_index.json under the edition's root."""
    return site_dir / EDITION_PREFIXES.get(language, "") / "search" / "search_index.json"


def fold(text: str) -> str:
    """Text as the worker compares it (normalise() in handbook-search.js): full-width ASCII folded, lower case,
    without the punctuation that enumerations and quotations add."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text).translate(_TRANSPARENT).lower()


def outside_terms(lexicon: dict, docs: list[dict], thesaurus: dict) -> dict[str, list[str]]:
    """Language -> the office topics of ``lexicon`` that no clause of that language holds (in its title, rule,
    notes, cited words or common questions): a question about one of them is one the handbook does not answer,
    however many of its other words a clause shares. Where a question names one inside an everyday phrase of the
    thesaurus (手机 in 会上玩手机), the clause the phrase leads to speaks of it: the worker reads it there
    (outsideTopics), since a topic holding a phrase (加班费, holding 加班) is a topic of its own.

    Derived at every build, so a topic drops out by itself once a clause speaks of it.
    """
    clause_text: dict[str, list[str]] = {}
    for doc in docs:
        if "source" in doc:  # a clause's section (clause_entry)
            language = edition_of(doc["location"])[0]
            clause_text.setdefault(language, []).append(fold(" ".join((doc["title"], doc["text"], doc.get("questions", "")))))
    outside = {}
    for language, terms in lexicon.items():
        held = "\n".join(clause_text.get(language, []))
        everyday = "\n".join(phrase for entry in thesaurus.get(language, []) for phrase in entry[0])
        found = {term for term in {fold(term) for term in terms} if term and term not in held}
        # A term holding a shorter one (请假条, 请假) adds nothing: the question holds the shorter one too; unless the
        # shorter one is in an everyday phrase, where the worker may find it spoken of (加班 in 周末加班, not 加班费).
        outside[language] = sorted(term for term in found if not any(
            shorter != term and shorter not in everyday
            and (shorter in term if _HAN.search(term) else f" {shorter} " in f" {term} ") for shorter in found))
    return outside


def clause_entry(fragment: str, source: str, scope: str = "") -> dict:
    """A clause section's fields: its text without the common questions, the questions, the rule's length, the
    source and the scope.

    Material's index keeps only the paragraphs' tags (no classes), so the questions paragraph is known
    by its label, the one the grammar reads (handbook/grammar.py).
    """
    root = lxml_html.fragment_fromstring(fragment.replace(ZWSP, ""), create_parent="div")
    questions = ""
    for paragraph in root.findall("p"):
        if match := QUESTIONS.match(" ".join(paragraph.text_content().split())):
            questions = match["questions"]
            paragraph.drop_tree()
    paragraphs = root.findall("p")
    rule = " ".join(paragraphs[0].text_content().split()) if paragraphs else ""
    text = " ".join(root.text_content().split())
    entry = {"text": text, "questions": questions, "rule": len(rule), "source": source}
    if scope:
        entry["scope"] = scope
    return entry


def search_labels(table: dict, settings: dict, language: str) -> dict[str, str]:
    """The worker's interface strings in one language: from the label table, and the line saying where to ask
    instead (extra.handbook.search.ask_instead) when no clause answers a question."""
    answer = table["search_answer"]
    labels = {"source": table["search_source"], "answer_none": answer["none"], "related": answer["related"],
              "not_answered": answer["not_answered"], "not_answered_sent": answer["sent"], "outside": answer["outside"],
              "outside_join": answer["outside_join"]}
    contact = (settings.get("ask_instead") or {}).get(language)
    if contact:
        labels["contact"] = str(contact)
    return labels


def clause_sources(handbook, labels: dict) -> dict[str, tuple[str, str]]:
    """Clause ID -> where it comes from, as a reader names it (全县办公室主任会议讲话 ¶7, 县政府办年度工作会讲话 ¶13),
    and its scope in the words of ``labels`` (the clauses' label table)."""
    sources = {}
    for clause in handbook.clauses:
        names = [f"{handbook.speeches[c.slug].short_title} ¶{c.number}" for c in clause.citations
                 if c not in handbook.invalid_citations and c.slug in handbook.speeches]
        sources[clause.id] = ("; ".join(dict.fromkeys(names)), scope_text(clause.scope, labels) if clause.scope else "")
    return sources


def read_thesaurus(path: Path) -> tuple[dict, list[Problem]]:
    """sources/thesaurus.yml as the worker reads it: language -> [[everyday phrases], [handbook terms]]."""
    if not path.exists():
        return {}, []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
    except yaml.YAMLError as error:
        return {}, [yaml_problem(f"../sources/{path.name}", error, "thesaurus")]
    result, problems = {}, []
    for language, entries in (data.items() if isinstance(data, dict) else []):
        result[language] = []
        for number, entry in enumerate(entries or [], start=1):
            if not (isinstance(entry, dict) and isinstance(entry.get("everyday"), list) and isinstance(entry.get("terms"), list)):
                problems.append(Problem(f"../sources/{path.name}", 0, f"{language} entry {number} needs everyday and terms lists",
                                        rule="thesaurus", fix="write everyday: [...], terms: [...], clause: ID"))
                continue
            words = [str(word).lower() for word in entry["everyday"]], [str(term) for term in entry["terms"]]
            if any(not word.strip() or set(word) & set(WORD_SEPARATOR + ENTRY_SEPARATOR + TERMS_SEPARATOR)
                   for word in words[0] + words[1]):
                problems.append(Problem(f"../sources/{path.name}", 0, f"{language} entry {number}: a phrase or term is "
                                        "empty or holds |, = or a line break", rule="thesaurus",
                                        fix="write each phrase and term as plain words"))
                continue
            result[language].append(list(words))
    return result, problems


def read_source_mapping(path: Path, rule: str, maps: str, fix: str) -> tuple[dict, dict[str, int], list[Problem]]:
    """A YAML file of sources/ whose top level maps ``maps``: its data ({} when absent or unreadable), the line of
    each key (its first ``key:``, at any depth: to name the line of a bad entry; one pass, rather than a scan of
    every line per key) and the problem that made it unreadable."""
    if not path.exists():
        return {}, {}, []
    name = f"../sources/{path.name}"
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=FAST_LOADER) or {}
    except yaml.YAMLError as error:
        return {}, {}, [yaml_problem(name, error, rule)]
    if not isinstance(data, dict):
        return {}, {}, [Problem(name, 1, f"the top level must map {maps}", rule=rule, fix=fix)]
    line_of: dict[str, int] = {}
    for number, content in enumerate(text.splitlines(), start=1):
        key, colon, _ = content.strip().partition(":")
        if colon:
            line_of.setdefault(key, number)
    return data, line_of, []


def read_lexicon(path: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    """sources/office-lexicon.yml as outside_terms reads it: language -> every term of every group.

    The file names the topics of everyday office work at large (leave, seals, expense claims, printers), written
    from general knowledge of office work rather than from the handbook: the build keeps those no clause speaks
    of. A term must be text of two characters or more; a group, a list of terms.
    """
    name = f"../sources/{path.name}"
    data, line_of, problems = read_source_mapping(path, "lexicon", "languages (zh, en) to groups of terms",
                                                "write zh: {group: [term, ...]} and en: {group: [term, ...]}")
    result = {}
    for language, groups in data.items():
        result[language] = []
        if not isinstance(groups, dict):
            problems.append(Problem(name, 0, f"{language} must map groups to lists of terms", rule="lexicon",
                                    fix=f"write {language}: {{group: [term, ...]}}"))
            continue
        for group, terms in groups.items():
            line = line_of.get(str(group), 0)
            if not isinstance(terms, list):
                problems.append(Problem(name, line, f"{language} group {group} is not a list of terms", rule="lexicon",
                                        fix=f"write {group}: [term, term, ...]"))
                continue
            for term in terms:
                if not isinstance(term, str) or len(term.strip()) < 2 or WORD_SEPARATOR in term:
                    problems.append(Problem(name, line, f"{language} group {group}: {term!r} is not a term of two "
                                            "characters or more without |", rule="lexicon",
                                            fix="remove it, or write the whole word (a single character matches too much)"))
                else:
                    result[language].append(term.strip())
    return result, problems


def read_search_questions(path: Path, clause_ids: set[str], replaced: dict[str, str]) -> tuple[dict[str, dict[str, list[str]]], list[Problem]]:
    """sources/search-questions.yml as rewrite_index reads it: language -> clause ID -> the questions.

    The file gives, for each clause, more of the ways staff ask for what it answers, in everyday words, never
    shown: a question typed as recorded there, or nearly, is answered by that clause (the worker's RECORDED), so
    an editor who records a reader's unanswered question under the clause that answers it closes that gap. An ID
    merged since (sources/clause-registry.yml's replaced_by) gives its questions to the clause that replaced it.
    """
    name = f"../sources/{path.name}"
    data, line_of, problems = read_source_mapping(path, "search-questions", "clause IDs to questions by language",
                                                "write 办文-01: {zh: [question, ...], en: [question, ...]}")
    result: dict[str, dict[str, list[str]]] = {}
    for clause_id, languages in data.items():
        line = line_of.get(str(clause_id), 0)
        # One step: the registry holds replaced_by to a clause of the handbook (registry_problems), so a chain or
        # a loop is already an error of its own, and following one here could run forever.
        current = str(clause_id) if str(clause_id) in clause_ids else replaced.get(str(clause_id), str(clause_id))
        if current not in clause_ids:
            problems.append(Problem(name, line, f"{clause_id} is not the ID of a clause of the handbook", rule="search-questions",
                                    fix="write the clause's ID as its page shows it, or remove its questions"))
            continue
        if not isinstance(languages, dict):
            problems.append(Problem(name, line, f"{clause_id} must map languages to lists of questions", rule="search-questions",
                                    fix=f"write {clause_id}: {{zh: [question, ...], en: [question, ...]}}"))
            continue
        for language, questions in languages.items():
            if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() and WORD_SEPARATOR not in q
                                                          for q in questions):
                problems.append(Problem(name, line, f"{clause_id} {language}: not a list of questions", rule="search-questions",
                                        fix=f"write {language}: [question, question, ...], one question per item, without |"))
                continue
            result.setdefault(str(language), {}).setdefault(current, []).extend(q.strip() for q in questions)
    return result, problems


def rewrite_site_index(site_dir: Path, words: list[str], log, clauses: dict | None = None, thesaurus: dict | None = None,
                       labels: dict | None = None, lexicon: dict | None = None, asked: dict | None = None) -> None:
    """Rewrite the merged index of the built site (both languages) for our worker, one index per edition
    (split_editions); ``labels``: language -> the worker's interface strings (from the label tables)."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    index = rewrite_index(json.loads(path.read_text(encoding="utf-8")), words, clauses, thesaurus, labels, lexicon, asked)
    words_count = index["config"]["handbook"]["vocabulary"].count(WORD_SEPARATOR) + 1
    outside = ", ".join(f"{terms.count(WORD_SEPARATOR) + 1 if terms else 0} {language}"
                        for language, terms in index["config"]["handbook"]["outside"].items())
    # The offline site (Material's offline plugin) reads the index from search_index.js, which the plugin
    # wrote at priority -100 from the index before this rewrite: give it the rewritten ones.
    offline = path.with_suffix(".js").exists()
    editions = split_editions(index)
    del index  # only the editions are needed now: at 100x the merged index and its text were the build's peak memory
    written = []
    for language in list(editions):
        edition = editions.pop(language)
        target = edition_index_path(site_dir, language)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(edition, ensure_ascii=False, separators=(",", ":"))
        sections = len(edition["docs"])
        del edition
        write_in_pieces(target, "", text)
        if offline:
            write_in_pieces(target.with_suffix(".js"), "var __index = ", text)
        written.append(f"{language} {sections} sections, {target.stat().st_size:,} bytes")
    log.info(f"[search] {'; '.join(written)}; {words_count} words"
             + (f"; office topics no clause speaks of ({LEXICON}): {outside}" if outside else ""))


# Our scripts and stylesheet as the browser gets them: documented at length in the repository, sent without the
# comments. The first load of a page, search index included, must stay within 350 KB gzip; the comments of these
# three files were some 5 KB of it.
SEARCH_SCRIPTS = ("assets/javascripts/handbook-search.js", "assets/javascripts/handbook-answer.js")
STYLESHEET = "assets/handbook.css"


def compact_script(text: str) -> str:
    """A script of ours without its whole-line comments, blank lines and indentation: every line of code is kept
    as it is, in order, so what runs is unchanged (a line-ending comment stays, and so does anything in a string).
    A block comment is dropped only where it opens a line and its close ends one."""
    kept, in_comment = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_comment:
            in_comment = not stripped.endswith("*/")
            continue
        if stripped.startswith("/*"):
            if "*/" in stripped and not stripped.endswith("*/"):
                kept.append(stripped)  # code after the comment: keep the line
                continue
            in_comment = not stripped.endswith("*/") or stripped == "/*"
            continue
        if stripped and not stripped.startswith("//"):
            kept.append(stripped)
    return "\n".join(kept) + "\n"


def compact_stylesheet(text: str) -> str:
    """A stylesheet without its comments (outside strings), blank lines and indentation."""
    out, index, quote = [], 0, ""
    while index < len(text):
        character = text[index]
        if quote:
            out.append(character)
            if character == "\\" and index + 1 < len(text):
                out.append(text[index + 1])
                index += 1
            elif character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
            out.append(character)
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = len(text) if end < 0 else end + 2
            continue
        else:
            out.append(character)
        index += 1
    return "\n".join(line.strip() for line in "".join(out).splitlines() if line.strip()) + "\n"


def compact_site_assets(site_dir: Path) -> None:
    """Compact the search's scripts and our stylesheet in the built site."""
    for name in SEARCH_SCRIPTS:
        path = site_dir / name
        if path.is_file():
            path.write_text(compact_script(path.read_text(encoding="utf-8")), encoding="utf-8")
    stylesheet = site_dir / STYLESHEET
    if stylesheet.is_file():
        stylesheet.write_text(compact_stylesheet(stylesheet.read_text(encoding="utf-8")), encoding="utf-8")


def write_in_pieces(path: Path, prefix: str, text: str, piece: int = 1 << 20) -> None:
    """``prefix + text`` into ``path`` as UTF-8, a piece at a time: neither the joined string nor the whole
    text's bytes are made (at 100× the index's text is some 100 MB)."""
    with path.open("w", encoding="utf-8") as file:
        file.write(prefix)
        for start in range(0, len(text), piece):
            file.write(text[start : start + piece])
