"""The 保密 gate: what must never be published on the handbook.

Rules run over text (Markdown sources and front matter, SVG text, the built pages' text and
attributes, the search index, the PDFs' text and metadata, the offline zip). The words 保密 or
涉密文件 in a norm are content, not markings; only marking *forms* are refused.

Personal data is matched in a normalised copy of the text: text pasted from Word, WeChat or a
scanned form writes the same digits in other widths, spells them out (一三八…, 〇), or breaks them
up with spaces, hyphens, dots, slashes or a line break. The normalised copy keeps a map back to
the source, so a finding names the line and column of the text as the editor wrote it.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.front_matter import FAST_LOADER, FRONT_MATTER
from handbook.problems import Problem

ALLOWED_LEVELS = ("公开", "内部")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
# Province abbreviations that open a vehicle plate (GA 36), and the plate's letters (no I or O).
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTERS = "A-HJ-NP-Z"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    what: str
    fix: str
    # A regex that every match of the pattern contains (see scan); "" for none. Alternatives that all open
    # with a plain character ("T[Ee][Ll]|t[Ee][Ll]", not "[Tt][Ee][Ll]") let the regex engine skip ahead to
    # those characters: three to five times faster over a page.
    clue: str = ""
    check: object = None  # a function of the matched (normalised) text that must hold, e.g. a check digit


def valid_resident_id(number: str) -> bool:
    """GB 11643 check digit of an 18-character resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def valid_luhn(number: str) -> bool:
    """The Luhn check digit that every bank card number (UnionPay, Visa, Mastercard) carries."""
    digits = [int(d) for d in number if d.isdigit()]
    total = sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
    return len(digits) > 1 and total % 10 == 0


_PHONE_FIX = "remove the phone number (use a role, e.g. 值班室)"

RULES = (
    Rule("classification-marking",
         re.compile(r"(绝密|机密|秘密)\s*[★☆]|[★☆]\s*\d+\s*年|(绝密|机密|秘密)[^。\n]{0,12}保密期限|保密期限\s*[:：]"),
         "a classification marking (密级★保密期限)", "classified material must not be on the handbook: remove it",
         r"★|☆|保密期限"),
    Rule("classification-label", re.compile(r"密级\s*[:：]\s*(绝密|机密|秘密|核心商密|普通商密|内部|限制|公开|敏感)"),
         "a classification label (密级：…)", "declare 密级 in the front matter (公开 or 内部 only), not in the text", "密级"),
    Rule("resident-id", re.compile(_NOT_ALNUM_BEFORE + r"[1-9]\d{16}[\dXx]" + _NOT_ALNUM_AFTER),
         "an 18-digit resident ID number", "remove the personal ID number", r"\d{7}", valid_resident_id),
    # UnionPay (62), Visa (4), Mastercard (51-55) and the older domestic debit cards (9); 16 to 19 digits.
    Rule("bank-card", re.compile(_NOT_ALNUM_BEFORE + r"(?:62|4|5[1-5]|9)\d{14,17}" + _NOT_ALNUM_AFTER),
         "a bank card number", "remove the bank card number", r"\d{7}", valid_luhn),
    Rule("mobile-number", re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86)?1[3-9]\d{9}" + _NOT_ALNUM_AFTER),
         "a mobile phone number", _PHONE_FIX, r"\d{7}"),
    # Area code (010, 02x, 0xxx) and a 7 or 8 digit number; separators between them are normalised away.
    Rule("landline-number",
         re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86)?\(?0(?:10|2\d|[3-9]\d{2})\)?\d{7,8}" + _NOT_ALNUM_AFTER),
         "a landline phone number", _PHONE_FIX, r"\d{7}"),
    # A local number without area code is too like other figures; with a word saying it is a number it is one.
    Rule("phone-number", re.compile(r"(电话|座机|传真|手机|联系方式|热线|Tel|TEL|tel|Phone|phone|Fax|fax)\s*(号码|号)?\s*[:：]?\s*"
                                    r"(?<![0-9])\d{7,8}(?![0-9])"),
         "a phone number", _PHONE_FIX, r"电话|座机|传真|手机|联系方式|热线|T[Ee][Ll]|t[Ee][Ll]|Phone|phone|Fax|fax"),
    # Not "@" alone: every citation [@slug#p1 …] has one.
    Rule("email-address", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
         "an e-mail address", "remove the e-mail address", r"[A-Za-z0-9._%+-]@"),
    Rule("chat-group", re.compile(r"(QQ|qq|Q Q|扣扣|微信|wechat|WeChat|Wechat|WECHAT|weixin|Weixin|VX|vx|WX|wx)\s*群?\s*(号码|号|ID|id)?\s*[:：]?\s*\d{5,12}"),
         "a QQ or WeChat (group) number", "remove the group number",
         "QQ|qq|Q Q|扣扣|微信|We[Cc]hat|we[Cc]hat|WECHAT|Weixin|weixin|VX|vx|WX|wx"),
    # A WeChat ID: 6 to 20 letters, digits, _ or -, opening with a letter, after the word 微信号.
    Rule("wechat-id", re.compile(r"(微信号|微信\s*ID|WeChat\s*ID|wechat\s*id|微信)\s*[:：]\s*[A-Za-z][A-Za-z0-9_-]{5,19}" + _NOT_ALNUM_AFTER),
         "a WeChat ID", "remove the WeChat ID", "微信|We[Cc]hat|we[Cc]hat"),
    Rule("vehicle-plate",
         re.compile(f"[{_PROVINCES}][{_PLATE_LETTERS}]\\s?[·・.\\-]?\\s?(?=[{_PLATE_LETTERS}0-9]{{0,5}}[0-9])"
                    f"[{_PLATE_LETTERS}0-9]{{5,6}}(?![0-9A-Za-z])"),
         "a vehicle number plate", "remove the number plate", f"[{_PROVINCES}][{_PLATE_LETTERS}]"),
)
PERSONAL_DATA = tuple(rule for rule in RULES if not rule.name.startswith("classification"))


# --- normalisation -------------------------------------------------------------------------------

# Numerals that spell out a digit (dates 二〇二〇, numbers read out 幺三八…, the financial forms).
_CHINESE_DIGITS = {
    "〇": "0", "零": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
    "六": "6", "七": "7", "八": "8", "九": "9", "壹": "1", "贰": "2", "貳": "2", "叁": "3", "參": "3",
    "肆": "4", "伍": "5", "陆": "6", "陸": "6", "柒": "7", "捌": "8", "玖": "9",
}


def _one_for_one_table() -> dict[int, str]:
    """Characters written for an ASCII digit, letter or sign, each mapped to that one character.

    NFKC would do this too, but it may change a text's length (¼ → 1⁄4) and loses the position of
    every character; a one-for-one table (str.translate, at C speed) keeps every offset.
    Enclosed and superscript numbers (①, ²) stay: they number lists, they do not write figures.
    """
    table = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Nd":
            table[code] = str(unicodedata.decimal(char))
        elif category != "No":
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1 and folded.isascii() and folded.isprintable() and folded != char:
                table[code] = folded
    for code in range(0x1D7CE, 0x1D800):  # mathematical digits (𝟏), used to dodge filters
        table[code] = str(unicodedata.decimal(chr(code)))
    return table


_FOLD = _one_for_one_table()
# The same table as a list indexed by code point (characters beyond it are kept): str.translate looks a
# list up about twice as fast as a dict, and the gate folds every page's text.
_FOLD_LIST = [_FOLD.get(code, chr(code)) for code in range(max(_FOLD) + 1)]
_CHINESE_FOLD = str.maketrans(_CHINESE_DIGITS)
# Spelled-out numerals are folded only three or more in a row (separators between them allowed):
# 张三 or 一要 next to a figure are words.
_NUMERAL = f"[{''.join(_CHINESE_DIGITS)}]"
_CHINESE_RUN = re.compile(f"{_NUMERAL}(?:[ \t\u3000\n./\\-－]{{0,3}}{_NUMERAL}){{2,}}")
_SPACE = "[ \\t\u00a0\u2000-\u200b\u202f\u205f\u3000]*"
# Between two digits: spaces, at most one hyphen, dot, slash or line break among them.
_BETWEEN_DIGITS = re.compile(f"[0-9](?=[^0-9])({_SPACE}(?:[-\u2010-\u2015\u2212/.\u00b7\u30fb\u2027]|\r?\n)?{_SPACE})(?=[0-9])")


@dataclass(frozen=True)
class Normalised:
    """A text as the gate matches it, and where each of its characters came from."""
    text: str
    # Breakpoints: from normalised index starts[i] on, source index = normalised index + shifts[i].
    starts: tuple[int, ...]
    shifts: tuple[int, ...]

    def source_index(self, index: int) -> int:
        return index + self.shifts[bisect.bisect_right(self.starts, index) - 1]


def normalise(text: str) -> Normalised:
    """Digits, letters and signs folded to ASCII one for one, and the separators between digits removed."""
    folded = _CHINESE_RUN.sub(lambda run: run.group(0).translate(_CHINESE_FOLD), text).translate(_FOLD_LIST)
    pieces, starts, shifts, previous, removed = [], [0], [0], 0, 0
    for match in _BETWEEN_DIGITS.finditer(folded):
        gap_start, gap_end = match.span(1)
        pieces.append(folded[previous:gap_start])
        removed += gap_end - gap_start
        starts.append(gap_end - removed)  # the first character after the gap
        shifts.append(removed)
        previous = gap_end
    if previous == 0:
        return Normalised(folded, (0,), (0,))
    pieces.append(folded[previous:])
    return Normalised("".join(pieces), tuple(starts), tuple(shifts))


# --- scanning --------------------------------------------------------------------------------------


def _combined(rules) -> re.Pattern:
    return re.compile("|".join(f"(?P<rule{index}>{rule.pattern.pattern})" for index, rule in enumerate(rules)))


_COMBINED = {RULES: _combined(RULES), PERSONAL_DATA: _combined(PERSONAL_DATA)}
# The combined pattern is slow: its alternatives open with classes and lookbehinds, so the regex engine
# tries every position. Every match contains its rule's clue, and the clues are fast to search one by
# one; so the combined pattern runs only in windows around the clues' hits (most texts have none).
_CLUE_LIST = [re.compile(clue) for clue in dict.fromkeys(r.clue for r in RULES)]
_REACH = 80  # characters a match may extend beyond its clue (the longest rule match is shorter)
assert all(rule.clue for rule in RULES), "every rule needs a clue: scan skips texts without one"


def has_clue(text: str) -> bool:
    return any(clue.search(text) for clue in _CLUE_LIST)


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged stretches of ``text`` around every clue hit, where a match can lie."""
    windows: list[list[int]] = []
    for clue in _CLUE_LIST:
        for hit in clue.finditer(text):
            windows.append([max(0, hit.start() - _REACH), hit.end()])
    windows.sort()
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    text: str  # what matched, as written in the source
    line: int  # 1-based line in the checked text
    column: int = 1  # 1-based column (characters) in that line

    @property
    def shown(self) -> str:
        return self.text.replace("\r", "").replace("\n", "⏎")


def find(text: str, rules: tuple = RULES) -> list[Finding]:
    """Every match of ``rules`` in ``text``, located in ``text`` as written."""
    normal = normalise(text)
    combined, found, position = _COMBINED[rules], [], 0
    for window_start, window_end in _windows(normal.text):
        # A match starts in the window (at or before its clue) and ends within _REACH after it.
        limit = min(len(normal.text), window_end + _REACH)
        position = max(position, window_start)
        while (match := combined.search(normal.text, position, limit)) is not None and match.start() < window_end:
            position = max(match.end(), match.start() + 1)
            rule = rules[int(match.lastgroup[4:])]
            if rule.check is not None and not rule.check(match.group(0)):
                continue
            start, end = normal.source_index(match.start()), normal.source_index(match.end() - 1) + 1
            line_start = text.rfind("\n", 0, start) + 1
            found.append(Finding(rule, text[start:end], text.count("\n", 0, start) + 1, start - line_start + 1))
    return found


def mask_personal_data(text: str, mask: str = "*") -> str:
    """``text`` with every piece of personal data the gate finds (in any written form) replaced by ``mask``, one
    for each character: for showing what readers typed (the unanswered questions of `make gaps`)."""
    findings = find(text, PERSONAL_DATA)
    if not findings:
        return text
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    masked = list(text)
    for finding in findings:
        start = starts[finding.line - 1] + finding.column - 1
        for index in range(start, start + len(finding.text)):
            if masked[index] != "\n":
                masked[index] = mask
    return "".join(masked)


def scan(text: str, ad_markers: list[str], allowlist: list[dict], path: str, rules: tuple = RULES) -> list[Finding]:
    """Every finding in ``text`` (the file ``path``), less what the allowlist excuses for that file.

    One pass of one combined pattern over the normalised text, and only over a text with a clue of
    some rule: the gate runs over every page source and every built page.
    """
    found = find(text, rules)
    for marker in ad_markers:
        start = text.find(marker)
        while start >= 0:
            line_start = text.rfind("\n", 0, start) + 1
            found.append(Finding(AD_RULE, marker, text.count("\n", 0, start) + 1, start - line_start + 1))
            start = text.find(marker, start + len(marker))
    found.sort(key=lambda finding: (finding.line, finding.column))
    return [f for f in found if not excused(f, allowlist, path)]


AD_RULE = Rule("advertising", re.compile(""), "advertising residue", "remove the advertising; it is not part of any speech")


def excused(finding: Finding, allowlist: list[dict], path: str | None) -> bool:
    """Whether the allowlist excuses the finding in ``path``; path None (a PDF, the zip, the search
    index: they carry every page) excuses what some page's entry excuses."""
    return any((path is None or entry.get("file") == path) and entry.get("text") == finding.text
               and str(entry.get("reason", "")).strip() for entry in allowlist)


def level_problem(meta: dict) -> str | None:
    """Why a page's declared 密级 stops the build, or None."""
    level = meta.get("密级")
    if level is None or str(level) in ALLOWED_LEVELS:
        return None
    return f"密级 '{level}' may not be built; only {' or '.join(ALLOWED_LEVELS)} pages belong on the handbook: remove the page."


def allowlist_problems(allowlist: list) -> list[str]:
    """Entries of the allowlist that lack a file, a text or a reason."""
    problems = []
    for index, entry in enumerate(allowlist or [], start=1):
        if not isinstance(entry, dict) or not all(str(entry.get(key, "")).strip() for key in ("file", "text", "reason")):
            problems.append(f"entry {index} needs file, text and reason")
    return problems


ALLOWLIST = "sources/secrecy-allowlist.yml"


@dataclass(frozen=True)
class Gate:
    """What the gate refuses besides its rules (advertising markers) and what it lets through (the allowlist)."""

    markers: tuple[str, ...] = ()
    allowlist: tuple = ()


def load_gate(repo: Path) -> tuple[Gate, list[Problem]]:
    """The gate's data: the advertising markers of sources/ingest-rules.yml and the allowlist."""
    rules_file, allowlist_file = repo / "sources" / "ingest-rules.yml", repo / ALLOWLIST
    rules = (yaml.load(rules_file.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}) if rules_file.exists() else {}
    allowlist = (yaml.load(allowlist_file.read_text(encoding="utf-8"), Loader=FAST_LOADER) or []) if allowlist_file.exists() else []
    problems = [Problem(f"../{ALLOWLIST}", 0, problem, rule="保密:allowlist", fix="every exception states why it may be published")
                for problem in allowlist_problems(allowlist)]
    rules = rules if isinstance(rules, dict) else {}
    return Gate(tuple(rules.get("ad_markers", []) or []), tuple(allowlist if isinstance(allowlist, list) else [])), problems


def finding_problem(path: str, line: int, finding: Finding, where: str = "") -> Problem:
    """A finding in a published file as the one Problem type: ``path`` is docs/… or site/…; ``line`` 0 where
    the file has no lines (a PDF page, the search index), and ``where`` then names the part of the file."""
    source = path[len("docs/"):] if path.startswith("docs/") else f"../{path}"
    column = f" (column {finding.column})" if line else ""
    return Problem(source, line, f"{where + ': ' if where else ''}[保密:{finding.rule.name}] '{finding.shown}'{column} "
                                 f"looks like {finding.rule.what}", rule=f"保密:{finding.rule.name}",
                   fix=f"{finding.rule.fix}, or list it in {ALLOWLIST} with the reason it may be published")


def source_problems(src_uri: str, text: str, gate: Gate) -> list[Problem]:
    """What the gate refuses in a page's Markdown. Its front matter declares 密级 (not a marking), but
    personal data in it is published all the same; lines keep their numbers."""
    path = f"docs/{src_uri}"
    match = FRONT_MATTER.match(text)
    front_matter, body = ("", text) if match is None else (match.group(0), "\n" * match.group(0).count("\n") + text[match.end():])
    findings = scan(front_matter, [], list(gate.allowlist), path, PERSONAL_DATA) + \
        scan(body, list(gate.markers), list(gate.allowlist), path)
    return [finding_problem(path, finding.line, finding) for finding in findings]


def file_problems(path: str, texts: list[tuple[str, int, str]], gate: Gate) -> list[Problem]:
    """What the gate refuses in a published file read as texts (an SVG's text, the search index, a PDF, the zip)."""
    return [finding_problem(path, line, finding, "" if line else where)
            for where, line, finding in scan_texts(texts, list(gate.markers), list(gate.allowlist), path)]


def built_text_problems(pages, gate: Gate) -> list[Problem]:
    """What the gate refuses in built pages: (site-relative file, its text's lines, the attributes a reader sees,
    the docs path it came from). Navigation, header and footer repeat on every page: each line is scanned once."""
    problems = []
    seen_lines: set[str] = set()
    for built, text_lines, shown, path in pages:
        lines = [line for line in text_lines if line.strip() and line not in seen_lines]
        seen_lines.update(lines)
        attributes = [value for value in shown if value.strip() and value not in seen_lines]
        seen_lines.update(attributes)
        seen = set()
        for finding in scan("\n".join(lines), list(gate.markers), list(gate.allowlist), path) + \
                scan("\n\n".join(attributes), [], list(gate.allowlist), path):
            if (finding.rule.name, finding.text) in seen:
                continue
            seen.add((finding.rule.name, finding.text))
            problems.append(Problem(f"../site/{built}", 0, f"[保密:{finding.rule.name}] the built page shows '{finding.shown}' "
                                    f"({finding.rule.what}), from {path} or its template", rule=f"保密:{finding.rule.name}",
                                    fix=finding.rule.fix))
    return problems


def download_problems(site: Path, gate: Gate) -> list[Problem]:
    """The search index, the PDFs and the offline zip: each carries the text of every page."""
    places = []
    # Each edition's index: the default language's at the root, the others' under their prefix (split_editions).
    for index in [*site.glob("search/search_index.json"), *sorted(site.glob("*/search/search_index.json"))]:
        places.append((index, lambda index=index: search_index_texts(json.loads(index.read_text(encoding="utf-8")))))
    for pdf in sorted(site.glob("**/downloads/*.pdf")):
        places.append((pdf, lambda pdf=pdf: pdf_texts(pdf)))
    for bundle in sorted(site.glob("**/downloads/*.zip")):
        places.append((bundle, lambda bundle=bundle: zip_texts(bundle)))
    problems = []
    for place, texts in places:
        shown = f"site/{place.relative_to(site).as_posix()}"
        try:
            found = scan_texts(texts(), list(gate.markers), list(gate.allowlist), None)
        except Exception as error:  # noqa: BLE001 (a file the gate cannot read cannot be published unchecked)
            problems.append(Problem(f"../{shown}", 0, f"[保密:unreadable] the gate cannot read it ({error})",
                                    rule="保密:unreadable", fix="rebuild the release"))
            continue
        problems += [finding_problem(shown if not line else f"{shown}: {where}", line, finding, "" if line else where)
                     for where, line, finding in found]
    return problems


# --- the published places and their text ----------------------------------------------------------
# Each returns (where, line, text): where names the part of the file (or ""), line is the 1-based line
# of the text in that file (0 when the file has no lines to speak of, as in a PDF).

# Attributes a reader sees or hears: image alt text, link and element titles, labels, meta content.
_SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "content", "label", "summary")


def markup_texts(root) -> list[tuple[str, int, str]]:
    """The text of an HTML or SVG tree (lxml) as published: each text-bearing element's text (a number
    split over <tspan>s or inline tags is joined), the attributes a reader sees, mailto:/tel: links.
    Lines are the elements' source lines."""
    texts = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions: not published text
        line = element.sourceline or 0
        for name in _SHOWN_ATTRIBUTES:
            if value := element.get(name):
                texts.append(("", line, value))
        href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
        if href.startswith(("mailto:", "tel:")):
            texts.append(("", line, href.split(":", 1)[1]))
        # Block by block: a block's own text with its inline children, so a number cut by tags is whole.
        name, parent = element.tag.rsplit("}", 1)[-1], element.getparent()
        if name in ("script", "style") or (name in _INLINE and parent is not None):
            continue
        own = (element.text or "") + "".join(_inline_text(child) for child in element)
        if own.strip():
            texts.append(("", line, own))
    return texts


_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
           "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br", "del", "ins",
           "tspan", "textPath", "tref"}


def _inline_text(child) -> str:
    """An inline child's text and tail; a block child's tail only (its own text is its own block)."""
    tail = child.tail or ""
    if not isinstance(child.tag, str):
        return tail
    if child.tag.rsplit("}", 1)[-1] in _INLINE:
        return "".join(child.itertext()) + tail
    return "\n" + tail


def svg_texts(source: bytes | str) -> list[tuple[str, int, str]]:
    """The text of an SVG file (its <text>, <title>, <desc>, metadata and shown attributes)."""
    from lxml import etree

    data = source.encode("utf-8") if isinstance(source, str) else source
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    return [] if root is None else markup_texts(root)


def search_index_texts(index: dict) -> Iterator[tuple[str, int, str]]:
    """Each entry of a search index (an edition's search_index.json): its title, text and the questions it is
    matched by (its common questions and sources/search-questions.yml: never shown, but published in the index), by
    location; one at a time, as the gate reads them (a list was a second copy of the whole index: some 100 MB at
    100×)."""
    for entry in index.get("docs", []):
        if isinstance(entry, dict):
            texts = (entry.get(field, "") for field in ("title", "text", "questions", "asked"))
            yield str(entry.get("location", "")), 0, "\n".join(str(text).replace("|", "\n") for text in texts if text)
    # The search's interface strings, which its results show: the label table's and extra.handbook.search's
    # ask_instead line (hooks/handbook/search.py, search_labels), in the edition's language.
    handbook = (index.get("config") or {}).get("handbook") or {}
    language = handbook.get("language", "")
    labels = handbook.get("labels") or {}
    for name, value in (labels.items() if isinstance(labels, dict) else []):
        yield f"search labels {language} {name}", 0, str(value)
    # The office topics no clause speaks of, which a `none` verdict names (sources/office-lexicon.yml).
    outside = handbook.get("outside") or ""
    if outside:
        yield f"search office topics {language}", 0, str(outside).replace("|", "、")


def pdf_texts(path) -> list[tuple[str, int, str]]:
    """A PDF's metadata (every entry of its document information), bookmarks and the text of each page."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    texts = [(f"metadata {key}", 0, str(value)) for key, value in (reader.metadata or {}).items()]
    if reader.xmp_metadata is not None:
        from lxml import etree

        texts.append(("XMP metadata", 0, " ".join(etree.fromstring(reader.xmp_metadata.stream.get_data()).itertext())))

    def outline(items):
        for item in items:
            if isinstance(item, list):
                yield from outline(item)
            else:
                yield str(item.title)

    texts.append(("bookmarks", 0, "\n".join(outline(reader.outline))))
    page_texts = _pdftotext_pages(path)
    for number, page in enumerate(reader.pages, start=1):
        text = page_texts[number - 1] if page_texts is not None and number <= len(page_texts) else page.extract_text()
        texts.append((f"page {number}", 0, text or ""))
        for annotation in page.get("/Annots") or []:
            uri = (annotation.get_object().get("/A") or {}).get("/URI")
            if uri and str(uri).startswith(("mailto:", "tel:")):
                texts.append((f"page {number} link", 0, str(uri).split(":", 1)[1]))
    return texts


THIRD_PARTY_NOTICES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


def _pdftotext_pages(path) -> list[str] | None:
    """Each page's text by poppler's pdftotext (tools/setup-debian.sh installs it): three times faster than
    pypdf's extract_text on our CJK PDFs (about 3 s against 10 s of CPU for the 213-page English handbook).
    In content order (-raw): its layout mode turns the ideographic spaces of １３８　１２３４ into blank lines.
    None without poppler, and pypdf reads the pages instead."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=600)
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace").split("\f")


def zip_texts(path) -> list[tuple[str, int, str]]:
    """The published text of every file of a zip (the offline site): pages, SVGs, search index, text files."""
    import zipfile

    from lxml import html as lxml_html

    texts = []
    with zipfile.ZipFile(path) as bundle:
        for member in bundle.infolist():
            name = member.filename
            suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix not in ("html", "htm", "svg", "json", "js", "txt", "xml", "csv", "md"):
                continue
            if name.rsplit("/", 1)[-1].upper().startswith(THIRD_PARTY_NOTICES):
                continue  # a vendored library's licence names its authors by design (e.g. the iframe-worker shim)
            data = bundle.read(member)
            if suffix in ("html", "htm"):
                # Decoded here: without a <meta charset>, lxml would read the bytes as Latin-1.
                page = data.decode("utf-8", "replace")
                parts = markup_texts(lxml_html.document_fromstring(page)) if page.strip() else []
            elif suffix == "svg":
                parts = svg_texts(data)
            elif suffix in ("json", "js"):
                parts = _index_in(data.decode("utf-8", "replace"))
                if parts is None:
                    continue  # scripts: code, not published text
            else:
                parts = [("", 1, data.decode("utf-8", "replace"))]
            texts.extend((f"{name}{(' ' + where) if where else ''}", line, text) for where, line, text in parts)
    return texts


def _index_in(text: str) -> list[tuple[str, int, str]] | None:
    """The entries of a search index, in its JSON file or in the offline site's search_index.js."""
    start = text.find("{")
    if start < 0 or '"docs"' not in text:
        return None
    try:
        index = json.loads(text[start:])
    except ValueError:
        return None
    return search_index_texts(index) if isinstance(index, dict) else None


def scan_texts(texts: list[tuple[str, int, str]], ad_markers: list[str], allowlist: list[dict], path: str | None,
               rules: tuple = RULES) -> list[tuple[str, int, Finding]]:
    """scan() over the texts of one published file: (where, line in the file, finding), once per finding."""
    seen, found = set(), []
    for where, line, text in texts:
        for finding in scan(text, ad_markers, allowlist, path, rules):
            key = (where, finding.rule.name, finding.text)
            if key not in seen:
                seen.add(key)
                found.append((where, line + finding.line - 1 if line else 0, finding))
    return found
