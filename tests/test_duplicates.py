"""One rule, one clause (issue 16): no two clauses state the same rule, unless the page says why.

Two clauses are near-duplicates when they quote the same words of the same speech paragraph (a quotation of one
is, for at least 80 % of its length, a quotation of the other), when they quote the same sentence of the same
paragraph (issue 25: two rules drawn from one sentence are often one rule, whatever their titles say), or when
their rule texts or their titles read alike. A pair may stay only with a stated reason: a 说明 note of one of them naming the other's ID (as the three
clauses of 办文零差错、办会零失误、办事零缺陷 do, one per domain). Everything else is merged into one clause, its old
ID kept in sources/clause-registry.yml with `replaced_by`.

Plain Python over the Markdown of docs/norms (no mkdocs): the check is quadratic in the clauses, so it lives here
and not in every build.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from conftest import REPO
from handbook.grammar import Clause, note_lines, rule_lines, scan
from handbook.model import read_handbook
from test_questions import clauses_by_language

# Punctuation and quotation marks do not make two quotations different.
NOT_A_WORD = re.compile(r"[^\u3400-\u9fffA-Za-z0-9×]")
QUOTE_SHARE = 0.8  # this much of the shorter quotation also quoted by the other clause
QUOTE_MINIMUM = 4  # characters: shorter common runs are set phrases (督查, 办公室), not a shared quotation
RULE_ALIKE = 0.5  # difflib ratio of the two rule texts
TITLE_ALIKE = 0.6  # difflib ratio of the two titles


@dataclass(frozen=True)
class NearDuplicate:
    first: Clause
    second: Clause
    why: str

    def __str__(self) -> str:
        return (f"docs/{self.first.src_uri}:{self.first.line} {self.first.id} {self.first.title} ~ "
                f"docs/{self.second.src_uri}:{self.second.line} {self.second.id} {self.second.title} ({self.why})")


def words(text: str) -> str:
    return NOT_A_WORD.sub("", text)


def quotations(clause: Clause) -> dict[tuple[str, int], list[str]]:
    """The clause's quotations, by the paragraph they come from."""
    found: dict[tuple[str, int], list[str]] = {}
    for citation in clause.citations:
        found.setdefault((citation.slug, citation.number), []).extend(words(quote) for quote in citation.quotes)
    return found


def shared_quotation(first: Clause, second: Clause) -> str | None:
    """A quotation of one clause that the other quotes too (from the same paragraph), if any."""
    theirs = quotations(second)
    for paragraph, mine in quotations(first).items():
        for one, other in itertools.product(mine, theirs.get(paragraph, [])):
            shorter = min(len(one), len(other))
            common = SequenceMatcher(None, one, other, autojunk=False).find_longest_match(0, len(one), 0, len(other))
            if shorter and common.size >= QUOTE_MINIMUM and common.size / shorter >= QUOTE_SHARE:
                return f"both quote “{one[common.a:common.a + common.size]}” from {paragraph[0]}#p{paragraph[1]}"
    return None


# A sentence of a speech paragraph ends at 。！？ or ；(the speeches set one requirement per clause of a 排比).
SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")


def quoted_sentences(clause: Clause, paragraphs: dict[tuple[str, int], str]) -> dict[tuple[str, int, int], str]:
    """(speech, paragraph, sentence number) -> the sentence, for every sentence the clause's quotations touch."""
    found = {}
    for citation in clause.citations:
        paragraph = paragraphs.get((citation.slug, citation.number), "")
        sentences = [(sentence, words(sentence)) for sentence in SENTENCE.findall(paragraph)]
        text = "".join(plain for _, plain in sentences)
        owner = [number for number, (_, plain) in enumerate(sentences) for _ in plain]
        for quote in citation.quotes:
            quoted = words(quote)
            start = text.find(quoted) if quoted else -1
            for position in range(start, start + len(quoted)) if start >= 0 else ():
                found[(citation.slug, citation.number, owner[position])] = sentences[owner[position]][0]
    return found


def shared_sentence(first: Clause, second: Clause, paragraphs: dict[tuple[str, int], str]) -> str | None:
    """A sentence of a paragraph both clauses quote from, if any."""
    theirs = quoted_sentences(second, paragraphs)
    for key, sentence in quoted_sentences(first, paragraphs).items():
        if key in theirs:
            shown = sentence if len(sentence) <= 30 else sentence[:30] + "…"
            return f"both quote the sentence “{shown}” of {key[0]}#p{key[1]}"
    return None


def speech_paragraphs() -> dict[tuple[str, int], str]:
    """(speech slug, paragraph number) -> the paragraph's text, from the Chinese speech pages."""
    speeches = REPO / "docs" / "speeches"
    pages = [(f"speeches/{page.name}", page.read_text(encoding="utf-8")) for page in sorted(speeches.glob("*.md"))
             if not page.name.endswith(".en.md")]
    return {(slug, number): text for slug, speech in read_handbook(pages, "zh").speeches.items()
            for number, text in speech.paragraphs.items()}


def alike(first: str, second: str, threshold: float) -> float | None:
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None


def rule_text(clause: Clause) -> str:
    return words("".join(text for _, text in rule_lines(clause)))


def near_duplicates(clauses: list[Clause], paragraphs: dict[tuple[str, int], str] | None = None) -> list[NearDuplicate]:
    """The pairs of ``clauses`` that may state one rule; ``paragraphs`` (the speeches' text) also finds pairs quoting
    one sentence."""
    found = []
    for first, second in itertools.combinations(clauses, 2):
        why = shared_quotation(first, second)
        if why is None and paragraphs:
            why = shared_sentence(first, second, paragraphs)
        if why is None and (ratio := alike(rule_text(first), rule_text(second), RULE_ALIKE)):
            why = f"rule texts {ratio:.0%} alike"
        if why is None and (ratio := alike(first.title, second.title, TITLE_ALIKE)):
            why = f"titles {ratio:.0%} alike"
        if why:
            found.append(NearDuplicate(first, second, why))
    return found


def reason_stated(pair: NearDuplicate) -> bool:
    """A 说明 note of either clause names the other one."""
    return any(other.id in note for clause, other in ((pair.first, pair.second), (pair.second, pair.first))
               for note in note_lines(clause))


def fixture(markdown: str) -> list[Clause]:
    return scan(markdown, "norms/x.md").clauses


TWO_SAYING_ONE_RULE = """\
### 办事-05 事不过夜 { #办事-05 }

坚持事不过夜。

依据：[@speech#p5 "坚持“事不过夜、件不积案”"]

### 作风-01 事不过夜、雷厉风行 { #作风-01 }

坚持事不过夜、雷厉风行的工作作风。

{note}依据：[@speech#p5 "事不过夜、件不积案"]
"""


def test_the_same_words_quoted_twice_are_a_near_duplicate():
    pairs = near_duplicates(fixture(TWO_SAYING_ONE_RULE.replace("{note}", "")))
    assert [(pair.first.id, pair.second.id) for pair in pairs] == [("办事-05", "作风-01")]
    assert "事不过夜件不积案" in pairs[0].why and not reason_stated(pairs[0])


def test_a_note_naming_the_other_clause_is_a_stated_reason():
    note = "说明：讲话把两件事并提，本手册分列办事-05、作风-01两条。\n\n"
    [pair] = near_duplicates(fixture(TWO_SAYING_ONE_RULE.replace("{note}", note)))
    assert reason_stated(pair)


def test_two_clauses_quoting_one_sentence_are_near_duplicates_whatever_their_titles():
    markdown = """\
### 办事-06 快接快转 { #办事-06 }

文件要快接、快转。

依据：[@speech#p37 "做到快接、快转"]

### 协调-05 办理提速 { #协调-05 }

办理要提速，不能拖延。

依据：[@speech#p37 "快办、快查，不能拖延"]
"""
    paragraphs = {("speech", 37): "要提高办事效率，做到快接、快转、快办、快查，不能拖延。另起一句，与此无关。"}
    assert near_duplicates(fixture(markdown)) == []  # neither the same words nor alike rules or titles
    [pair] = near_duplicates(fixture(markdown), paragraphs)
    assert (pair.first.id, pair.second.id) == ("办事-06", "协调-05")
    assert pair.why == "both quote the sentence “要提高办事效率，做到快接、快转、快办、快查，不能拖延。” of speech#p37"
    apart = {("speech", 37): "要提高办事效率，做到快接、快转。快办、快查，不能拖延。"}
    assert near_duplicates(fixture(markdown), apart) == []  # one sentence each: two rules


def test_different_rules_from_one_paragraph_are_not_near_duplicates():
    markdown = """\
### 督查-06 及时入账 { #督查-06 }

对领导安排的工作及时入账。

依据：[@speech#p24 "及时列入《县长交办重点工作台账》"]

### 督查-08 按台账督导 { #督查-08 }

按四本台账督导，含以县政府文件安排的台账。

依据：[@speech#p24 "以县政府文件安排的重点工作台账"]
"""
    assert near_duplicates(fixture(markdown)) == []


def test_no_rule_is_stated_twice_without_a_reason():
    clauses = list(clauses_by_language()["zh"].values())
    unexplained = [str(pair) for pair in near_duplicates(clauses, speech_paragraphs()) if not reason_stated(pair)]
    assert not unexplained, (
        "clauses that state the same rule: merge them into one clause (its old ID gets `replaced_by` in "
        "sources/clause-registry.yml) or say in a 说明 note of one of them, naming the other, why both stay:\n"
        + "\n".join(unexplained))


def test_every_stated_reason_is_also_on_the_english_page():
    """The English twin of a clause that explains a pair names the other clause too (Note: …)."""
    clauses = clauses_by_language()
    missing = []
    for pair in near_duplicates(list(clauses["zh"].values()), speech_paragraphs()):
        for clause, other in ((pair.first, pair.second), (pair.second, pair.first)):
            if any(other.id in note for note in note_lines(clause)):
                english = clauses["en"].get(clause.id)
                if english is None or not any(other.id in note for note in note_lines(english)):
                    missing.append(f"{clause.id} names {other.id} in its 说明, its English Note does not")
    assert not missing, missing
