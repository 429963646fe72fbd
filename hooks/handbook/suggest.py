"""Citation suggestions (issue 27): which existing clauses a paragraph no clause cites yet most likely supports.

A new speech often repeats points the handbook already has. For each of its paragraphs that no clause cites (and
that sources/non-normative.yml does not list), the clauses are ranked by what they share with the paragraph:

- the clause's own words: its title and rule text (the rule is written from the speeches' words);
- the words it quotes from the paragraphs it cites, and those paragraphs themselves;
- the principles (提法) both name.

Each is measured on the characters' bigrams and trigrams within runs of text (punctuation breaks a run), weighted
by how rare they are among the clauses (a gram every clause has, 工作, tells nothing), as the share of the clause's
weight the paragraph holds. Each suggestion carries a fragment of the paragraph, verbatim, for the citation line
to paste, and checked as the build checks citations (handbook/model.py). A paragraph with no clause above the
threshold is a candidate new clause, or text that sets no norm.

``leave_one_out`` measures the suggester: each speech in turn is taken out (every citation of it removed, the
clauses themselves kept, with their titles and rule text) and its cited paragraphs are ranked against the other
speeches' citations; a paragraph counts when a clause that really cites it is among the first three.

Plain functions of the model (the Chinese pages), like every feature: tools/suggest.py prints them for a speech,
the build writes the editors' report (site/editors/citation-suggestions.txt), tools/bench.py the measurement.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from handbook.grammar import Citation, Clause, rule_lines
from handbook.model import Handbook, citation_problem

# A run of text between punctuation and spaces: CJK ideographs, Latin letters, digits, the speeches' ×.
RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9×]+")
# Where a fragment of a paragraph may begin or end: after a sentence's or a phrase's punctuation.
SENTENCE_END = re.compile(r"[。；！？!?;]")
PHRASE_END = re.compile(r"[，：,:]")
LIST_END = re.compile(r"[，、：,:]")  # within an overlong phrase: its list items too
# Marks that must come in pairs within a fragment: a quotation or a title is quoted whole or not at all.
PAIRS = (("“", "”"), ("《", "》"), ("（", "）"))
# What each kind of shared text weighs in a clause's score.
WEIGHTS = {"rule": 1.0, "quoted": 0.6, "cited": 0.25, "terms": 0.3}
# A score below this is no likely clause: 30 of the 36 non-normative paragraphs fall below it, 1 of the 45 cited ones
# (with its speech taken out).
THRESHOLD = 0.3
TOP = 3
FRAGMENT_CHARS = 36  # a ready-to-paste fragment is at most about this long
COMMON_RUN = 4  # characters: a shorter run of common words is not worth showing as a reason
CITED_CLOSE = 0.3  # the share of a clause's cited paragraphs the paragraph holds, to name them as a reason
BASIS = "依据："  # a citation line of a Chinese norm page (the suggestions are for the Chinese pages)


def grams(text: str) -> set[str]:
    """The bigrams and trigrams of the text's runs (never across punctuation)."""
    found: set[str] = set()
    for run in RUN.findall(text):
        for size in (2, 3):
            found.update(run[i : i + size] for i in range(len(run) - size + 1))
    return found


@dataclass(frozen=True)
class Profile:
    """What one clause offers a paragraph to match: its words, its quotations, its cited paragraphs, its terms."""

    clause: Clause
    citations: tuple[Citation, ...]  # those counted (in a measurement, without the speech taken out)
    rule_text: str  # title and rule
    quoted_text: str  # its quotations, one a line
    rule: frozenset[str]
    quoted: frozenset[str]
    cited: frozenset[str]
    terms: frozenset[str]  # principle pages (src_uri) named in its title, rule or quotations
    totals: dict[str, float] = field(default_factory=dict)  # kind (rule, quoted, cited, terms) -> its whole weight


@dataclass(frozen=True)
class Index:
    """The clauses as the suggester reads them, and how rare each gram and term is among them."""

    profiles: tuple[Profile, ...]
    weight: dict[str, float]  # gram or term -> its weight (inverse clause frequency)
    without: str | None = None  # the speech taken out (leave_one_out), if any

    def weight_of(self, items) -> float:
        weight = self.weight
        return sum(weight.get(item, 0.0) for item in items)


@dataclass(frozen=True)
class Suggestion:
    clause: Clause
    score: float
    shares: dict[str, float]  # per kind of shared text (WEIGHTS' keys): the share of the clause's weight matched
    terms: tuple[str, ...]  # the principles' terms both name
    quoted_words: str  # the longest run of words the paragraph has in common with the clause's quotations
    rule_words: str  # the same with its title and rule
    fragment: str  # verbatim from the paragraph, for the citation line
    support: tuple[int, int] = (0, 0)  # speeches the clause is held in (见于 N 篇讲话) now, and with this paragraph cited

    def citation(self, slug: str, number: int) -> str:
        """The line to paste under the clause."""
        return f'{BASIS}[@{slug}#p{number} "{self.fragment}"]'


@dataclass(frozen=True)
class ParagraphSuggestions:
    slug: str
    number: int
    text: str
    suggestions: tuple[Suggestion, ...]  # best first; none: a candidate new clause or non-normative text


def clause_index(handbook: Handbook, without: str | None = None) -> Index:
    """Every clause of the handbook, with the citations of speech ``without`` (if given) removed: the clause stays,
    with its title and rule, but its quotations of that speech and the paragraphs it cites there do not count."""
    speeches, matcher = handbook.speeches, handbook.matcher
    profiles = []
    for clause in handbook.clauses:
        citations = tuple(c for c in clause.citations if c.slug != without and c.slug in speeches
                          and c.number in speeches[c.slug].paragraphs)
        rule_text = "\n".join([clause.title, *(text for _, text in rule_lines(clause))])
        quoted_text = "\n".join(quote for citation in citations for quote in citation.quotes)
        cited_text = "\n".join(dict.fromkeys(speeches[c.slug].paragraphs[c.number] for c in citations))
        terms = frozenset(match.term.src_uri for match in matcher.find(rule_text + "\n" + quoted_text))
        profiles.append(Profile(clause, citations, rule_text, quoted_text, frozenset(grams(rule_text)),
                                frozenset(grams(quoted_text)), frozenset(grams(cited_text)), terms))
    frequency: Counter = Counter()
    for profile in profiles:
        frequency.update(profile.rule | profile.quoted | profile.terms)
    count = len(profiles) or 1
    weight = {item: math.log((count + 1) / seen) for item, seen in frequency.items()}
    # Each clause's whole weight per kind, once: the share of it a paragraph holds is what is computed per paragraph.
    profiles = [replace(profile, totals={kind: sum(weight.get(item, 0.0) for item in getattr(profile, kind))
                                         for kind in WEIGHTS}) for profile in profiles]
    return Index(tuple(profiles), weight, without)


def rank(index: Index, text: str, terms: frozenset[str] = frozenset(), top: int = TOP, threshold: float = THRESHOLD,
         weights: dict[str, float] = WEIGHTS) -> list[tuple[float, dict[str, float], Profile]]:
    """The clauses ``text`` most likely supports, best first: (score, shares, profile), at most ``top``, each
    scoring at least ``threshold``. ``terms``: the principle pages the text names; ``weights``: what each kind of
    shared text weighs (WEIGHTS)."""
    found = grams(text)
    scored = []
    for profile in index.profiles:
        shares = {}
        for kind, own in (("rule", profile.rule), ("quoted", profile.quoted), ("cited", profile.cited),
                          ("terms", profile.terms)):
            whole = profile.totals[kind]
            shares[kind] = index.weight_of(own & (terms if kind == "terms" else found)) / whole if whole else 0.0
        score = sum(weights[kind] * share for kind, share in shares.items())
        if score >= threshold:
            scored.append((score, shares, profile))
    scored.sort(key=lambda item: (-item[0], item[2].clause.id))
    return scored[:top]


def suggest(index: Index, handbook: Handbook, slug: str, number: int, top: int = TOP,
            threshold: float = THRESHOLD) -> ParagraphSuggestions:
    """The clauses paragraph ``number`` of speech ``slug`` most likely supports, each with its citation line."""
    text = handbook.speeches[slug].paragraphs[number]
    terms = handbook.matcher.find(text)
    uris = frozenset(match.term.src_uri for match in terms)
    names = {match.term.src_uri: match.term.term for match in terms}
    suggestions = []
    for score, shares, profile in rank(index, text, uris, top, threshold):
        fragment = best_fragment(text, profile.rule | profile.quoted, index.weight)
        held = {citation.slug for citation in profile.citations}
        suggestion = Suggestion(profile.clause, score, shares, tuple(names[uri] for uri in sorted(profile.terms & uris)),
                                common_run(text, profile.quoted_text), common_run(text, profile.rule_text), fragment,
                                (len(held), len(held | {slug})))
        if not fragment or _citation_problem(suggestion, handbook, slug, number):
            suggestion = replace(suggestion, fragment=_first_phrase(text))
        suggestions.append(suggestion)
    return ParagraphSuggestions(slug, number, text, tuple(suggestions))


def uncited(statuses: dict) -> list[tuple[str, int]]:
    """(slug, paragraph) of every paragraph no clause cites that sources/non-normative.yml does not list, from the
    coverage's paragraph statuses (handbook/coverage.py)."""
    return [(status.slug, status.number) for items in statuses.values() for status in items if status.uncovered]


def suggestions_for(handbook: Handbook, paragraphs: list[tuple[str, int]], index: Index | None = None,
                    top: int = TOP) -> list[ParagraphSuggestions]:
    """Suggestions for each (slug, paragraph); the clauses are indexed only when there is a paragraph to rank."""
    if not paragraphs:
        return []
    index = index or clause_index(handbook)
    return [suggest(index, handbook, slug, number, top) for slug, number in paragraphs]


def report_lines(found: list[ParagraphSuggestions], handbook: Handbook, labels: dict, quote: tuple[str, str]) -> list[str]:
    """The suggestions as an editor reads them, by speech: ¶N and its first words, then each clause (ID, title,
    score and why) with its citation line ready to paste, or the mark of a candidate new clause.

    ``labels`` is the suggest part of the language's label table; ``quote`` its quotation marks."""
    lines = [f"# {labels['heading']}"]
    if not found:
        return [*lines, "", labels["none"]]
    slug = None
    for item in found:
        if item.slug != slug:
            slug = item.slug
            speech = labels["speech"].format(title=handbook.speeches[slug].short_title, slug=slug)
            lines += ["", f"## {speech}"]
        lines += ["", f"¶{item.number} {first_words(item.text)}"]
        if not item.suggestions:
            lines.append(f"  {labels['candidate']}")
        for rank_number, suggestion in enumerate(item.suggestions, start=1):
            lines.append(f"  {rank_number}. {suggestion.clause.id} {suggestion.clause.title} — {why(suggestion, labels, quote)}")
            lines.append(f"     {suggestion.citation(item.slug, item.number)}")
    return lines


def why(suggestion: Suggestion, labels: dict, quote: tuple[str, str]) -> str:
    """Its score, and what the clause shares with the paragraph, strongest evidence first."""
    reasons = [labels["score"].format(score=f"{suggestion.score:.2f}")]
    if suggestion.rule_words:
        reasons.append(labels["rule"].format(words=quote[0] + first_words(suggestion.rule_words, 40) + quote[1]))
    if suggestion.quoted_words:
        reasons.append(labels["quoted"].format(words=quote[0] + first_words(suggestion.quoted_words, 40) + quote[1]))
    if suggestion.terms:
        reasons.append(labels["terms"].format(terms=labels["separator"].join(suggestion.terms)))
    if suggestion.shares.get("cited", 0.0) >= CITED_CLOSE:
        reasons.append(labels["cited"])
    now, then = suggestion.support
    if then > now:  # citing it raises the clause's support line (见于 N 篇讲话) instead of repeating the clause
        reasons.append(labels["support"].format(count=now, after=then))
    return labels["separator_why"].join(reasons)


def first_words(text: str, length: int = 30) -> str:
    """The first ``length`` characters of ``text``, "…" where it goes on."""
    return text if len(text) <= length else text[:length] + "…"


# The fragment to quote -------------------------------------------------------------


def _pieces(text: str, phrase_end: re.Pattern = PHRASE_END) -> list[tuple[int, int, bool]]:
    """(start, end, ends a sentence) of each phrase of ``text``, its punctuation excluded."""
    pieces, start = [], 0
    for index, char in enumerate(text):
        sentence = bool(SENTENCE_END.match(char))
        if sentence or phrase_end.match(char):
            if index > start:
                pieces.append((start, index, sentence))
            elif pieces and sentence:
                pieces[-1] = (*pieces[-1][:2], True)
            start = index + 1
    if start < len(text):
        pieces.append((start, len(text), True))
    return pieces


def best_fragment(text: str, wanted: frozenset[str], weight: dict[str, float]) -> str:
    """The consecutive phrases of one sentence of ``text`` that hold most of the ``wanted`` grams' weight, at most
    about FRAGMENT_CHARS long (a single phrase longer than twice that: the best of its list items, split at 、);
    verbatim (stripped of the spaces around it), its quotation marks paired, never holding an ASCII double quote."""
    best = _best_window(text, _pieces(text), wanted, weight)
    if len(best) > 2 * FRAGMENT_CHARS:
        best = _best_window(best, _pieces(best, LIST_END), wanted, weight) or best
    return best


def _best_window(text: str, pieces: list[tuple[int, int, bool]], wanted: frozenset[str], weight: dict[str, float]) -> str:
    best, best_score = "", 0.0
    for first in range(len(pieces)):
        for last in range(first, len(pieces)):
            start, end = pieces[first][0], pieces[last][1]
            if last > first and (end - start > FRAGMENT_CHARS or pieces[last - 1][2]):
                break
            fragment = text[start:end].strip()
            if not fragment or '"' in fragment or not balanced(fragment):
                continue
            score = sum(weight.get(gram, 0.0) for gram in grams(fragment) & wanted)
            # A longer fragment must earn its length: of two holding the same words, the shorter is quoted.
            score -= 0.01 * len(fragment)
            if score > best_score:
                best, best_score = fragment, score
    return best


def balanced(fragment: str) -> bool:
    """Every quotation, title and parenthesis opened in ``fragment`` is closed in it, and none closed unopened."""
    return all(fragment.count(opening) == fragment.count(closing) and fragment.find(closing) >= fragment.find(opening)
               for opening, closing in PAIRS)


def _first_phrase(text: str) -> str:
    """The paragraph's first phrase: a fragment to quote when no better one is found."""
    pieces = [text[start:end].strip() for start, end, _ in _pieces(text)]
    return next((piece for piece in pieces if piece and '"' not in piece), "")


def _citation_problem(suggestion: Suggestion, handbook: Handbook, slug: str, number: int) -> str | None:
    """What the build would say of the suggested citation (handbook/model.py's check), or None."""
    line = suggestion.citation(slug, number)
    citation = Citation("", 0, slug, number, (suggestion.fragment,), None, None, line)
    return citation_problem(citation, handbook.speeches)


def common_run(text: str, other: str) -> str:
    """The longest run of words ``text`` and ``other`` have in common (punctuation inside a run is kept as in
    ``text``), or "" when shorter than COMMON_RUN characters of text."""
    if not other:
        return ""
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(other))
    words = text[match.a : match.a + match.size].strip("，、。；：,;: ")
    return words if len("".join(RUN.findall(words))) >= COMMON_RUN else ""


# The measurement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One cited paragraph of a speech taken out: the clauses citing it, and those suggested for it."""

    slug: str
    number: int
    citing: tuple[str, ...]  # the IDs of the clauses that really cite it
    suggested: tuple[str, ...]  # the first suggestions' IDs, best first

    @property
    def hit(self) -> bool:
        return bool(set(self.citing) & set(self.suggested))


def leave_one_out(handbook: Handbook, top: int = TOP, weights: dict[str, float] = WEIGHTS) -> dict[str, list[Outcome]]:
    """Speech slug -> an outcome per paragraph of it that clauses cite, each ranked with that speech taken out.

    Every cited paragraph counts, even one whose clauses cite nothing else (with the speech out, such a clause is
    matched by its title and rule alone). No threshold: the first ``top`` clauses, however low they score.
    ``weights`` as for ``rank`` (the benchmark also measures without the rule text)."""
    citing: dict[tuple[str, int], list[str]] = {}
    for clause in handbook.clauses:
        for citation in clause.citations:
            ids = citing.setdefault((citation.slug, citation.number), [])
            if clause.id not in ids:
                ids.append(clause.id)
    result = {}
    for slug, speech in handbook.speeches.items():
        numbers = [number for number in sorted(speech.paragraphs) if (slug, number) in citing]
        if not numbers:
            continue
        index = clause_index(handbook, without=slug)
        outcomes = []
        for number in numbers:
            text = speech.paragraphs[number]
            terms = frozenset(match.term.src_uri for match in handbook.matcher.find(text))
            ranked = rank(index, text, terms, top, float("-inf"), weights)
            outcomes.append(Outcome(slug, number, tuple(citing[slug, number]),
                                    tuple(profile.clause.id for _, _, profile in ranked)))
        result[slug] = outcomes
    return result


def hit_rate(outcomes: list[Outcome]) -> tuple[int, int]:
    """(paragraphs with a citing clause among the suggestions, paragraphs)."""
    return sum(1 for outcome in outcomes if outcome.hit), len(outcomes)


def rate_text(hits: int, total: int) -> str:
    """"44/45 (97.8 %)", as the benchmark prints it."""
    return f"{hits}/{total} ({hits / total:.1%})".replace("%", " %") if total else "0/0"
