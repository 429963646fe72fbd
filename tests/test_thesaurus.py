"""The office thesaurus (sources/thesaurus.yml, issue 15) checked against the norm pages, without mkdocs.

Search adds an entry's terms to any query holding one of its everyday phrases, so an entry is only safe when the
clause it names really holds those terms in its own wording (title, rule text or notes; not the common questions,
not the quoted citations) and when its everyday phrases are specific enough not to fire on unrelated wording.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from handbook.grammar import CITATION, QUESTIONS, Clause, scan
from test_questions import clauses_by_language  # the same clauses the question set is checked against

REPO = Path(__file__).resolve().parent.parent
THESAURUS = REPO / "sources" / "thesaurus.yml"
LANGUAGES = ("zh", "en")
ENTRY_KEYS = {"everyday", "terms", "clause"}
MINIMUM = {"zh": 120, "en": 50}
DOMAINS = {"政治", "参谋", "办文", "办会", "办事", "督查", "协调", "秘书", "保密", "廉洁", "后勤", "作风"}
BASIS = re.compile(r"^\s*(依据：|Basis:)")
CJK = re.compile(r"[\u3400-\u9fff]")
# How people type: a few characters or words, not a sentence.
ZH_LENGTH = range(2, 7)
EN_WORDS = range(1, 5)
# A phrase found in the wording of more clauses than this (besides the ones its entries name) is too generic:
# it would add its terms to questions about unrelated clauses.
MAX_OTHER_CLAUSES = 3
# The same everyday phrase may lead to two clauses when both answer it, never more.
MAX_CLAUSES_PER_PHRASE = 2


def load_thesaurus(path: Path = THESAURUS) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def wording(clause: Clause) -> str:
    """The clause's own words: heading title and body, without the common-questions line, the 依据/Basis line
    and any citation (its quoted fragments are the speech's words, not the handbook's)."""
    lines = [line for line in clause.body.split("\n") if not QUESTIONS.match(line) and not BASIS.match(line)]
    return CITATION.sub("", clause.title + "\n" + "\n".join(lines))


def occurs(language: str, phrase: str, text: str) -> bool:
    """Chinese: verbatim. English: case-insensitive, and only as whole words (“mic” is not in “economic”)."""
    if language == "zh":
        return phrase in text
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase.lower())}(?![a-z0-9])", text.lower()) is not None


def domain(clause_id: str) -> str:
    return clause_id.rsplit("-", 1)[0]


THESAURUS_DATA = load_thesaurus()
CLAUSES = clauses_by_language()


def entries(language: str) -> list[dict]:
    # A missing language is reported by the top-level test; the others then see no entries and fail on counts.
    return THESAURUS_DATA.get(language) or [] if isinstance(THESAURUS_DATA, dict) else []


def describe(entry: dict) -> str:
    return f"{entry.get('clause')} {entry.get('everyday')}"


def test_top_level_is_exactly_the_two_languages():
    assert isinstance(THESAURUS_DATA, dict), f"{THESAURUS.name}: the top level must be a mapping of languages"
    assert set(THESAURUS_DATA) == set(LANGUAGES), f"{THESAURUS.name}: top-level keys must be exactly {LANGUAGES}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_entries_have_exactly_everyday_terms_and_clause(language):
    assert isinstance(entries(language), list), f"{language}: must be a list of entries"
    problems = []
    for number, entry in enumerate(entries(language), 1):
        if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
            problems.append(f"entry {number}: keys must be exactly {sorted(ENTRY_KEYS)}, got {entry!r}")
            continue
        for key in ("everyday", "terms"):
            values = entry[key]
            if not isinstance(values, list) or not values:
                problems.append(f"entry {number} ({describe(entry)}): {key} must be a non-empty list")
            elif not all(isinstance(value, str) and value.strip() == value and value for value in values):
                problems.append(f"entry {number} ({describe(entry)}): {key} must hold non-empty strings "
                                f"without surrounding spaces, got {values!r}")
            elif len(set(values)) != len(values):
                problems.append(f"entry {number} ({describe(entry)}): {key} repeats a value")
        if not isinstance(entry["clause"], str):
            problems.append(f"entry {number}: clause must be a clause ID string, got {entry['clause']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_enough_entries_in_every_domain(language):
    assert len(entries(language)) >= MINIMUM[language], \
        f"{language}: {len(entries(language))} entries, issue 15 asks for at least {MINIMUM[language]}"
    assert {domain(clause_id) for clause_id in CLAUSES[language]} == DOMAINS, \
        "the norm pages' domains changed: update DOMAINS"
    covered = Counter(domain(entry["clause"]) for entry in entries(language))
    missing = sorted(DOMAINS - set(covered))
    assert not missing, f"{language}: no thesaurus entry leads to a clause of {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_clause_exists_on_the_page_of_its_language(language):
    unknown = [describe(entry) for entry in entries(language) if entry["clause"] not in CLAUSES[language]]
    assert not unknown, f"{language}: no such clause on the {language} norm pages: {unknown}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_is_in_its_clauses_own_wording(language):
    missing = []
    for entry in entries(language):
        clause = CLAUSES[language].get(entry["clause"])
        if clause is None:
            continue  # reported by the test above
        text = wording(clause)
        found = (lambda term: term in text) if language == "zh" else (lambda term: term.lower() in text.lower())
        missing += [f"{entry['clause']}: '{term}'" for term in entry["terms"] if not found(term)]
    assert not missing, (f"{language}: terms not in the title, rule text or notes of their clause (the common "
                         f"questions and citations do not count): {missing}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_everyday_phrase_is_a_term_of_its_own_entry(language):
    same = [f"{entry['clause']}: '{phrase}'" for entry in entries(language)
            for phrase in entry["everyday"] if phrase in entry["terms"]]
    assert not same, f"{language}: an everyday phrase that is already the term adds nothing: {same}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_written_in_its_own_script(language):
    wrong = []
    for entry in entries(language):
        for phrase in entry["everyday"] + entry["terms"]:
            has_chinese = bool(CJK.search(phrase))
            if has_chinese != (language == "zh"):
                wrong.append(f"{entry['clause']}: '{phrase}'")
    expected = "must contain Chinese" if language == "zh" else "must not contain Chinese"
    assert not wrong, f"{language}: phrases and terms {expected}: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_phrases_are_short_and_typed_as_staff_type_them(language):
    wrong = []
    for entry in entries(language):
        for phrase in entry["everyday"]:
            if language == "zh" and len(phrase) not in ZH_LENGTH:
                wrong.append(f"'{phrase}' has {len(phrase)} characters, not 2–6")
            if language == "en" and len(phrase.split()) not in EN_WORDS:
                wrong.append(f"'{phrase}' has {len(phrase.split())} words, not 1–4")
            if phrase != phrase.lower():
                wrong.append(f"'{phrase}' is not lower case (queries are matched lower-cased)")
            if re.search(r"[？?。，,；;！!]", phrase):
                wrong.append(f"'{phrase}' holds punctuation: write the phrase, not a question or sentence")
    assert not wrong, f"{language}: " + "; ".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_phrase_leads_to_at_most_two_clauses_once_each(language):
    clauses_of = defaultdict(list)
    for entry in entries(language):
        for phrase in entry["everyday"]:
            clauses_of[phrase].append(entry["clause"])
    repeated = {phrase: clauses for phrase, clauses in clauses_of.items() if len(set(clauses)) != len(clauses)}
    assert not repeated, f"{language}: phrases given twice for the same clause (merge the entries): {repeated}"
    spread = {phrase: clauses for phrase, clauses in clauses_of.items() if len(clauses) > MAX_CLAUSES_PER_PHRASE}
    assert not spread, f"{language}: phrases leading to more than {MAX_CLAUSES_PER_PHRASE} clauses: {spread}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_phrases_are_specific(language):
    targets = defaultdict(set)
    for entry in entries(language):
        for phrase in entry["everyday"]:
            targets[phrase].add(entry["clause"])
    texts = {clause_id: wording(clause) for clause_id, clause in CLAUSES[language].items()}
    generic = {}
    for phrase, own in targets.items():
        others = sorted(clause_id for clause_id, text in texts.items()
                        if clause_id not in own and occurs(language, phrase, text))
        if len(others) > MAX_OTHER_CLAUSES:
            generic[phrase] = others
    assert not generic, (f"{language}: everyday phrases found in the wording of more than {MAX_OTHER_CLAUSES} "
                         f"other clauses would add noise to unrelated queries; choose a more specific phrase: {generic}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_everyday_phrase_copies_a_common_question(language):
    questions = {question.rstrip("？?").strip().lower() for clause in CLAUSES[language].values()
                 for question in clause.questions}
    copied = [phrase for entry in entries(language) for phrase in entry["everyday"] if phrase.lower() in questions]
    assert not copied, f"{language}: everyday phrases that copy a clause's common question: {copied}"


def test_wording_leaves_out_questions_and_citations():
    """The helper the term test relies on: a term only in the questions or the basis line is not the clause's."""
    clause = scan("### 办会-02 精简会议 { #办会-02 }\n\n严格把关。\n\n说明：见文山会海。\n\n"
                  "依据：[@slug#p7 \"改进会风\"]\n\n常见问法：会太多怎么办？\n", "norms/x.md").clauses[0]
    text = wording(clause)
    assert "精简会议" in text and "严格把关" in text and "文山会海" in text
    assert "改进会风" not in text and "会太多" not in text


def test_english_phrases_match_whole_words_only():
    assert occurs("en", "usb stick", "Bring the USB stick.")
    assert not occurs("en", "mic", "the economic situation")
