"""The handbook's own Markdown grammar, in one place: clause headings, citations, explicit anchors and
the common questions under a clause. Every module that needs them uses these patterns and ``scan``.

    ### 办文-03 标题 { #办文-03 }                 a clause: a stable ID, shown and usable as an anchor
    依据：[@slug#p12 "verbatim words" "more"]     a citation of a speech paragraph
    常见问法：会开得太多怎么办？怎样少开会？        questions staff ask that the clause answers (zh)
    Common questions: Too many meetings? …        the same on an English page
    适用：长期有效 · 县政府办公室                   the clause's scope: how long it binds, and whom (zh)
    适用：2020年度任务 · 县委办公室、县政府办公室   a task of the year the speech names
    Scope: Standing · County Government Office   the same on an English page (Task for 2020 · …)

Lines inside fenced code blocks are text, not grammar, for every reader alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook.problems import Problem

CLAUSE_HEADING = re.compile(
    r"^(?P<hashes>#{2,6})\s+(?P<id>\S+-\d+)\s+(?P<title>.*?)\s*\{\s*:?\s*#(?P<anchor>[^\s}]+)\s*\}\s*$")
CLAUSE_ID = re.compile(r"^[\u4e00-\u9fff]{2,4}-\d{2,3}$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s")
# Any heading that sets its id explicitly (attr_list): clause headings, and others a reader may link to.
HEADING_WITH_ID = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*\{[^}]*#(?P<id>[^\s}]+)[^}]*\}\s*$")
# An explicit id at the end of any line (a heading or a block's attribute list).
EXPLICIT_ID = re.compile(r"\{[^}\n]*#(?P<id>[^\s}]+)[^}\n]*\}\s*$")
CITATION = re.compile(r"\[@(?P<slug>[A-Za-z0-9_-]+)#p(?P<number>\d+)(?P<quotes>(?:\s*\"[^\"\n]*\")*)\s*\]")
QUOTE = re.compile(r"\"([^\"\n]*)\"")
# Something that looks like a citation but does not parse, so it is not silently left as text.
CITATION_START = re.compile(r"\[@")
FENCE = re.compile(r"^\s*(```|~~~)")
QUESTIONS = re.compile(r"^(?P<label>常见问法：|Common questions:)[ \t]*(?P<questions>.*?)\s*$")
QUESTION = re.compile(r"[^？?\s][^？?]*[？?]")
# The clause's scope: a standing norm or one year's task, and the offices or roles it binds (sources/scopes.yml).
SCOPE_LABEL = re.compile(r"^(适用：|Scope:)")
SCOPE = re.compile(r"^(?:适用：(?:(?P<standing_zh>长期有效)|(?P<year_zh>\d{4})年度任务)|"
                   r"Scope:[ \t]*(?:(?P<standing_en>Standing)|Task for (?P<year_en>\d{4})))"
                   r"[ \t]*·[ \t]*(?P<audiences>\S.*?)\s*$")
AUDIENCE_SEPARATOR = re.compile(r"[ \t]*(?:、|,)[ \t]*")
SCOPE_FORMS = "适用：长期有效 · 县政府办公室, 适用：2020年度任务 · 县政府办公室 (English: Scope: Standing · …, Scope: Task for 2020 · …)"
# An editor's note under a clause (说明：… / Note: …): why the clause reads as it does, not the rule.
NOTE = re.compile(r"^(说明：|Note:)")
# Our own text in quotation marks: a quotation of the speeches (GUIDE: quotation marks mean quotation).
QUOTATION = re.compile(r"“([^“”\n]+)”")


@dataclass(frozen=True)
class Citation:
    src_uri: str  # the citing page, unlocalized
    line: int  # line in the citing page's file
    slug: str
    number: int
    quotes: tuple[str, ...]
    clause: str | None  # id of the nearest heading with an explicit id above it (a clause ID)
    clause_title: str | None
    text: str  # the citation as written


@dataclass(frozen=True)
class Scope:
    """How long a clause binds (``year`` 0: a standing norm) and whom, as the scope line names them."""

    year: int
    audiences: tuple[str, ...]
    line: int

    @property
    def standing(self) -> bool:
        return not self.year


@dataclass(frozen=True)
class Clause:
    src_uri: str
    line: int
    id: str
    title: str
    level: int
    citations: tuple[Citation, ...]
    body: str  # the clause's text below its heading
    questions: tuple[str, ...] = ()
    questions_line: int = 0
    scope: Scope | None = None


@dataclass
class Scan:
    """What one page's Markdown holds of the grammar, and what is wrong with it."""

    clauses: list[Clause] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # explicit ids
    problems: list[Problem] = field(default_factory=list)


def scan(markdown: str, src_uri: str, line_offset: int = 0, path: str | None = None) -> Scan:
    """Clauses, citations, explicit anchors and problems of a page body, in one pass over its lines.

    ``src_uri`` is the unlocalized page the citations belong to; ``path`` the file problems name
    (the localized src_uri; by default ``src_uri``); ``line_offset`` the lines before the body.
    """
    path = path or src_uri
    result = Scan()
    lines = markdown.split("\n")
    in_fence = False
    heading_id = heading_text = None
    open_clause: dict | None = None  # the clause being read: its heading match, first line, level

    def close(end: int) -> None:
        nonlocal open_clause
        if open_clause is None:
            return
        start, match = open_clause["index"], open_clause["match"]
        clause = Clause(src_uri, line_offset + start + 1, match["id"], match["title"], len(match["hashes"]),
                        tuple(open_clause["citations"]), "\n".join(lines[start + 1 : end]),
                        tuple(open_clause["questions"]), open_clause["questions_line"], open_clause["scope"])
        result.clauses.append(clause)
        if not clause.citations:
            result.problems.append(Problem(path, clause.line, f"clause {clause.id} cites no speech paragraph",
                                           rule="clause", fix="add a 依据 line with [@slug#pN \"…\"]"))
        if clause.scope is None and not open_clause["scope_seen"]:
            result.problems.append(Problem(path, clause.line, f"clause {clause.id} has no scope line: a reader cannot tell "
                                                              "how long it binds, or whom", rule="scope",
                                           fix=f"add a line after its rule text, read against its paragraphs: {SCOPE_FORMS}"))
        open_clause = None

    for index, line in enumerate(lines):
        number = line_offset + index + 1
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = HEADING.match(line)
        if heading and open_clause is not None and len(heading["hashes"]) <= open_clause["level"]:
            close(index)
        if match := EXPLICIT_ID.search(line):
            result.anchors.add(match["id"])
        if heading and (with_id := HEADING_WITH_ID.match(line)):
            heading_id, heading_text = with_id["id"], with_id["text"]
        if heading and (clause := CLAUSE_HEADING.match(line)):
            if not CLAUSE_ID.match(clause["id"]):
                result.problems.append(Problem(path, number, f"clause ID '{clause['id']}' is not of the form 办文-03",
                                               rule="clause", fix="write the domain, a hyphen and two digits"))
            if clause["anchor"] != clause["id"]:
                result.problems.append(Problem(path, number, f"clause heading shows '{clause['id']}' but its anchor is "
                                                             f"'#{clause['anchor']}'", rule="clause", fix="make them the same"))
            open_clause = {"index": index, "match": clause, "level": len(clause["hashes"]), "citations": [],
                           "questions": [], "questions_line": 0, "scope": None, "scope_seen": False}
        valid = set()
        for match in CITATION.finditer(line):
            valid.add(match.start())
            citation = Citation(src_uri, number, match["slug"], int(match["number"]),
                                tuple(QUOTE.findall(match["quotes"])), heading_id, heading_text, match.group(0))
            result.citations.append(citation)
            if open_clause is not None:
                open_clause["citations"].append(citation)
        for start in CITATION_START.finditer(line):
            if start.start() not in valid:
                result.problems.append(Problem(path, number, f"'{line[start.start():start.start() + 40]}…' is not a valid citation",
                                               rule="citation", fix="write [@slug#p12 \"verbatim words\"]"))
        if SCOPE_LABEL.match(line):
            result.problems += _scope_line(line, open_clause, path, number)
        if questions := QUESTIONS.match(line):
            result.problems += _question_problems(questions, open_clause, path, number)
            if open_clause is not None:
                open_clause["questions"] += QUESTION.findall(questions["questions"])
                open_clause["questions_line"] = number
    close(len(lines))
    return result


def _question_problems(match: re.Match, open_clause: dict | None, path: str, number: int) -> list[Problem]:
    if open_clause is None:
        return [Problem(path, number, "common questions outside any clause: they belong to no clause ID", rule="questions",
                        fix="put the line at the end of the clause it asks about, after its 依据 line")]
    text = match["questions"]
    problems = []
    rest = QUESTION.sub("", text).strip()
    if not text or rest:
        problems.append(Problem(path, number, f"'{rest or text}' in the common questions of {open_clause['match']['id']} "
                                              "does not end with a question mark", rule="questions",
                                fix="end every question with ？ (or ? on an English page)"))
    if open_clause["questions"]:
        problems.append(Problem(path, number, f"clause {open_clause['match']['id']} has a second line of common questions",
                                rule="questions", fix="put all of its questions on one line"))
    return problems


def _scope_line(line: str, open_clause: dict | None, path: str, number: int) -> list[Problem]:
    """Read a scope line into the open clause; what is wrong with it, as problems."""
    if open_clause is None:
        return [Problem(path, number, "a scope line outside any clause: it belongs to no clause ID", rule="scope",
                        fix="put it under the rule text of the clause it is the scope of")]
    clause_id = open_clause["match"]["id"]
    if open_clause["scope_seen"]:
        return [Problem(path, number, f"clause {clause_id} has a second scope line", rule="scope",
                        fix="keep one line; name several offices or roles in it, joined by 、 (English: by commas)")]
    open_clause["scope_seen"] = True
    match = SCOPE.match(line)
    if match is None:
        return [Problem(path, number, f"the scope line of {clause_id} does not read as a scope: '{line.strip()[:60]}'",
                        rule="scope", fix=f"write it in one of the forms {SCOPE_FORMS}")]
    year = int(match["year_zh"] or match["year_en"] or 0)
    audiences = tuple(part for part in AUDIENCE_SEPARATOR.split(match["audiences"]) if part)
    open_clause["scope"] = Scope(year, audiences, number)
    return []


def rule_lines(clause: Clause) -> list[tuple[int, str]]:
    """(line, text) of the clause's rule: its body without the 依据 line, notes, scope, common questions and blank lines."""
    result = []
    for index, line in enumerate(clause.body.split("\n")):
        if not line.strip() or CITATION.search(line) or NOTE.match(line) or QUESTIONS.match(line) or SCOPE_LABEL.match(line):
            continue
        result.append((clause.line + index + 1, line))
    return result


def note_lines(clause: Clause) -> list[str]:
    """The clause's 说明 / Note lines."""
    return [line for line in clause.body.split("\n") if NOTE.match(line)]


def clause_line(line: str) -> re.Match | None:
    """The clause heading on ``line``, if it is one."""
    return CLAUSE_HEADING.match(line)
