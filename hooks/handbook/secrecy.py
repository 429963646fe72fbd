"""The 保密 gate: what must never be published on the handbook.

Rules run over text (Markdown sources line by line, and the built pages' text). The words
保密 or 涉密文件 in a norm are content, not markings; only marking *forms* are refused.
"""

from __future__ import annotations

import re
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


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    what: str
    fix: str
    clue: str = ""  # a regex that every match of the pattern contains (see scan); "" for none


def valid_resident_id(number: str) -> bool:
    """GB 11643 check digit of an 18-character resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


RULES = (
    Rule("classification-marking",
         re.compile(r"(绝密|机密|秘密)\s*[★☆]|[★☆]\s*\d+\s*年|(绝密|机密|秘密)[^。\n]{0,12}保密期限|保密期限\s*[:：]"),
         "a classification marking (密级★保密期限)", "classified material must not be on the handbook: remove it",
         r"[★☆]|保密期限"),
    Rule("classification-label", re.compile(r"密级\s*[:：]\s*(绝密|机密|秘密|核心商密|普通商密|内部|限制|公开|敏感)"),
         "a classification label (密级：…)", "declare 密级 in the front matter (公开 or 内部 only), not in the text", "密级"),
    Rule("resident-id", re.compile(_NOT_ALNUM_BEFORE + r"[1-9]\d{16}[\dXx]" + _NOT_ALNUM_AFTER),
         "an 18-digit resident ID number", "remove the personal ID number", r"\d{7}"),
    Rule("mobile-number", re.compile(_NOT_ALNUM_BEFORE + r"1[3-9]\d{9}" + _NOT_ALNUM_AFTER),
         "a mobile phone number", "remove the phone number (use a role, e.g. 值班室)", r"\d{7}"),
    Rule("landline-number", re.compile(_NOT_ALNUM_BEFORE + r"0\d{2,3}[-－—\s]?\d{7,8}" + _NOT_ALNUM_AFTER),
         "a landline phone number", "remove the phone number (use a role, e.g. 值班室)", r"\d{7}"),
    # Not "@" alone: every citation [@slug#p1 …] has one.
    Rule("email-address", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
         "an e-mail address", "remove the e-mail address", r"[A-Za-z0-9._%+-]@"),
    Rule("chat-group", re.compile(r"(QQ|qq|Ｑ Ｑ|ＱＱ|微信|wechat|WeChat)\s*群?\s*(号|号码)?\s*[:：]?\s*\d{5,12}"),
         "a QQ or WeChat (group) number", "remove the group number", "QQ|qq|Ｑ Ｑ|ＱＱ|微信|wechat|WeChat"),
)


_RULE_OF_GROUP = {f"rule{index}": rule for index, rule in enumerate(RULES)}
_COMBINED = re.compile("|".join(f"(?P<rule{index}>{rule.pattern.pattern})" for index, rule in enumerate(RULES)))
# The combined pattern is slow: its alternatives open with classes and lookbehinds, so the regex engine
# tries every position. A text holding none of the rules' clues (nearly every page) cannot match it.
# Searched one by one: each on its own is a fast scan, while an alternation of them is as slow again.
_CLUES = None if any(not rule.clue for rule in RULES) else [re.compile(clue) for clue in dict.fromkeys(r.clue for r in RULES)]


def has_clue(text: str) -> bool:
    return _CLUES is None or any(clue.search(text) for clue in _CLUES)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    text: str  # what matched
    line: int  # 1-based line in the checked text


def scan(text: str, ad_markers: list[str], allowlist: list[dict], path: str) -> list[Finding]:
    """Every finding in ``text`` (the file ``path``), less what the allowlist excuses for that file.

    One pass of one combined pattern over the whole text, and only over a text with a clue of some
    rule: the gate runs over every page source and every built page.
    """
    found = []
    matches = _COMBINED.finditer(text) if has_clue(text) else ()
    for match in matches:
        rule = _RULE_OF_GROUP[match.lastgroup]
        if rule.name == "resident-id" and not valid_resident_id(match.group(0)):
            continue
        found.append(Finding(rule, match.group(0), text.count("\n", 0, match.start()) + 1))
    for marker in ad_markers:
        start = text.find(marker)
        while start >= 0:
            found.append(Finding(AD_RULE, marker, text.count("\n", 0, start) + 1))
            start = text.find(marker, start + len(marker))
    found.sort(key=lambda finding: finding.line)
    return [f for f in found if not excused(f, allowlist, path)]


AD_RULE = Rule("advertising", re.compile(""), "advertising residue", "remove the advertising; it is not part of any speech")


def excused(finding: Finding, allowlist: list[dict], path: str) -> bool:
    return any(entry.get("file") == path and entry.get("text") == finding.text and str(entry.get("reason", "")).strip()
               for entry in allowlist)


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
    return Gate(tuple(rules.get("ad_markers", [])), tuple(allowlist)), problems


def source_problems(src_uri: str, text: str, gate: Gate) -> list[Problem]:
    """What the gate refuses in a page's Markdown (its front matter blanked: the 密级 declaration is not a marking)."""
    match = FRONT_MATTER.match(text)
    text = text if match is None else "\n" * match.group(0).count("\n") + text[match.end():]
    return [Problem(src_uri, finding.line, f"'{finding.text}' looks like {finding.rule.what}", rule=f"保密:{finding.rule.name}",
                    fix=f"{finding.rule.fix}, or list it in {ALLOWLIST} with the reason it may be published")
            for finding in scan(text, list(gate.markers), list(gate.allowlist), f"docs/{src_uri}")]


def built_text_problems(pages: list[tuple[str, str, str]], gate: Gate) -> list[Problem]:
    """What the gate refuses in built pages: (site-relative file, its text, the docs path it came from)."""
    problems = []
    seen_lines: set[str] = set()  # navigation, header and footer repeat on every page: scan each line once
    for built, text, path in pages:
        lines = [line for line in text.split("\n") if line.strip() and line not in seen_lines]
        seen_lines.update(lines)
        seen = set()
        for finding in scan("\n".join(lines), list(gate.markers), list(gate.allowlist), path):
            if (finding.rule.name, finding.text) in seen:
                continue
            seen.add((finding.rule.name, finding.text))
            problems.append(Problem(f"../site/{built}", 0, f"the built page shows '{finding.text}' ({finding.rule.what}), "
                                    f"from {path} or its template", rule=f"保密:{finding.rule.name}", fix=finding.rule.fix))
    return problems
