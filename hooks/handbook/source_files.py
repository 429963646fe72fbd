"""Reading a raw speech file as editors have it: a Word document (.docx) or text in UTF-8 (with or without
BOM), UTF-16 or GB18030, with line endings of any kind.

Either way the result is the speech as text with one paragraph a line, which ``handbook.ingest.clean`` reads
as it reads a text file: paragraph N is the N-th non-empty line after the title. A Word document gives one
line per paragraph (a manual line break inside a paragraph starts a new line, as Word's "save as text" does),
the number Word's automatic numbering shows before a paragraph (一、, （一）, 1.) as text, and the paragraph
styled Title as the title. What a line of text cannot hold — tables, pictures, text boxes, footnotes, tracked
changes — stops the ingest with one line saying what to do in Word, so nothing of the speech is lost silently.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path


class IngestError(Exception):
    """A problem with the input, phrased as file:line: what is wrong; how to fix it."""


@dataclass(frozen=True)
class SourceText:
    text: str  # one paragraph a line
    read_as: str  # how the file was read, printed by `make ingest`: "UTF-8", "GB18030", "Word document" …
    line_numbers: tuple[int, ...] | None = None  # a Word document: the paragraph of the file each line comes from
    title_line: int | None = None  # the line of the paragraph Word styles as the title, if any


def read_source(path: Path) -> SourceText:
    """The speech in ``path`` as text; IngestError naming the file when it is not a speech ingest can read."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"{shown}:1: cannot be read ({error.strerror or error}); "
                          "give the path of the speech's .docx or .txt file.") from None
    if path.suffix.lower() in (".doc", ".wps") or data.startswith(OLE_SIGNATURE):
        raise IngestError(f"{shown}:1: is an old-format Word or WPS document (or one with a password), which ingest "
                          "cannot read; open it in Word or WPS and save it as a Word document (.docx) without a password.")
    if path.suffix.lower() == ".docx":
        return read_docx(data, shown)
    if data.startswith(ZIP_SIGNATURE):
        raise IngestError(f"{shown}:1: is a zip archive, not text; if it is a Word document, name it .docx.")
    if data.startswith(b"%PDF"):
        raise IngestError(f"{shown}:1: is a PDF, which ingest cannot read; give the Word document (.docx) or the text.")
    return read_text(data, shown)


# Text ---------------------------------------------------------------------------------------------------

OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # .doc, .wps, and Office files saved with a password
ZIP_SIGNATURE = b"PK\x03\x04"
BOMS = (  # longest first: the UTF-32 little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Characters str.splitlines() ends a line at, and the tab: the only control characters plain text holds.
TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85")
HOW_TO_SAVE = "open it in Notepad and save it with the encoding UTF-8, or give the Word document (.docx)"


def read_text(data: bytes, shown: str) -> SourceText:
    """Text in the encodings editors' tools write: a BOM says which; else UTF-8, UTF-16 without a BOM (told by
    its zero bytes) or GB18030 (Windows Notepad's ANSI on a Chinese system), the first that decodes."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return SourceText(_decoded(data, codec, name, shown), name)
    try:
        return SourceText(_checked(data.decode("utf-8"), "UTF-8", shown), "UTF-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data and len(data) % 2 == 0:  # UTF-8 and GB18030 text hold no zero byte; UTF-16 does
        return SourceText(_decoded(data, _utf16_byte_order(data), "UTF-16", shown), "UTF-16")
    return SourceText(_decoded(data, "gb18030", "GB18030", shown), "GB18030")


def _utf16_byte_order(data: bytes) -> str:
    """The byte order that reads more of the file as Chinese text: ASCII, CJK ideographs and punctuation."""
    def plausible(codec: str) -> int:
        text = data.decode(codec, errors="replace")
        return sum(1 for c in text if c < "\x80" or "\u3000" <= c <= "\u303f" or "\u4e00" <= c <= "\u9fff"
                   or "\uff00" <= c <= "\uffef")
    return max(("utf-16-le", "utf-16-be"), key=plausible)


def _decoded(data: bytes, codec: str, name: str, shown: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IngestError(f"{shown}:{line}: not text in UTF-8, UTF-16 or GB18030 (read as {name}, byte "
                          f"{error.object[error.start:error.start + 1].hex()} at offset {error.start} does not "
                          f"decode); {HOW_TO_SAVE}.") from None
    return _checked(text.removeprefix("\ufeff"), name, shown)


def _checked(text: str, name: str, shown: str) -> str:
    """Text with no control character but line breaks and tabs: anything else means a binary file."""
    for index, character in enumerate(text):
        if unicodedata.category(character) == "Cc" and character not in TEXT_CONTROLS:
            line = len((text[:index] + "x").splitlines())
            raise IngestError(f"{shown}:{line}: holds the control character U+{ord(character):04X} (read as {name}), "
                              f"so it is not plain text; {HOW_TO_SAVE}.")
    return text


# Word documents -----------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a line of text cannot hold, found anywhere in the body: (element, what it is, what to do in Word).
REFUSED = (
    ("tbl", "a table", "type its content as paragraphs, or leave it out of the file"),
    ("drawing", "a picture or a shape", "delete it (the handbook takes the speech's text only)"),
    ("pict", "a picture or a text box", "delete it (the handbook takes the speech's text only)"),
    ("object", "an embedded object", "delete it (the handbook takes the speech's text only)"),
    ("ins", "tracked changes", "accept or reject every change (审阅 → 接受/拒绝) and save"),
    ("del", "tracked changes", "accept or reject every change (审阅 → 接受/拒绝) and save"),
    ("moveFrom", "tracked changes", "accept or reject every change (审阅 → 接受/拒绝) and save"),
    ("moveTo", "tracked changes", "accept or reject every change (审阅 → 接受/拒绝) and save"),
    ("footnoteReference", "a footnote", "move its text into the paragraph or delete it"),
    ("endnoteReference", "an endnote", "move its text into the paragraph or delete it"),
    ("altChunk", "an embedded document", "paste its text into the document instead"),
)
TEXT_PARTS = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def read_docx(data: bytes, shown: str) -> SourceText:
    """A Word document's body as text, one paragraph a line (python-docx opens the package and its parts)."""
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise IngestError(f"{shown}:1: is not a Word document that can be opened ({error}); open it in Word or WPS "
                          "and save it again as a Word document (.docx).") from None
    except Exception as error:  # a damaged package: python-docx raises what its XML parser raises
        raise IngestError(f"{shown}:1: is a damaged Word document ({type(error).__name__}: {error}); open it in "
                          "Word or WPS and save it again as a Word document (.docx).") from None
    numbering = Numbering(document)
    title_style = _style_ids(document, TITLE_STYLES)
    lines: list[str] = []
    numbers: list[int] = []
    title_line = None
    for number, paragraph in enumerate(_body_paragraphs(document.element.body, shown), start=1):
        for tag, what, fix in REFUSED:
            if paragraph.find(f".//{W}{tag}") is not None:
                raise IngestError(f"{shown}:{number}: paragraph {number} of the document holds {what}, which a "
                                  f"speech page cannot show; {fix} in Word, then ingest again.")
        text = numbering.label(paragraph, shown, number) + _paragraph_text(paragraph)
        if title_line is None and _style_of(paragraph) in title_style and text.strip():
            title_line = len(lines) + 1
        for line in text.split("\n"):
            lines.append(line)
            numbers.append(number)
    return SourceText("\n".join(lines), "Word document", tuple(numbers), title_line)


def _body_paragraphs(body, shown: str):
    """The body's paragraphs in order (block content controls opened); a table stops the ingest."""
    number = 0
    for element in body.iterchildren():
        if element.tag == f"{W}p":
            number += 1
            yield element
        elif element.tag == f"{W}tbl":
            raise IngestError(f"{shown}:{number + 1}: the document holds a table after paragraph {number}, which a "
                              "speech page cannot show; type its content as paragraphs in Word, or delete it, then "
                              "ingest again.")
        elif element.tag == f"{W}sdt":  # a content control around paragraphs
            content = element.find(f"{W}sdtContent")
            for inner in _body_paragraphs(content if content is not None else [], shown):
                number += 1
                yield inner
        elif element.find(f".//{W}t") is not None:
            raise IngestError(f"{shown}:{number + 1}: the document holds text in a {element.tag.split('}')[-1]} "
                              f"element after paragraph {number}, which ingest cannot read; copy it into an "
                              "ordinary paragraph in Word, then ingest again.")


def _paragraph_text(paragraph) -> str:
    """The text of a paragraph as Word shows it: runs, hyperlinks, fields' results, content controls."""
    parts = []
    for element in paragraph.iter(*TEXT_PARTS):
        if element.tag == f"{W}br" and element.get(f"{W}type") not in (None, "textWrapping"):
            continue  # a page or column break is no line of its own
        parts.append(element.text or "" if TEXT_PARTS[element.tag] is None else TEXT_PARTS[element.tag])
    return "".join(parts)


def _style_of(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


TITLE_STYLES = ("Title", "标题")  # Word's built-in name; WPS may write the Chinese one


def _style_ids(document, names: tuple[str, ...]) -> set[str]:
    return {style.style_id for style in document.styles if getattr(style, "name", None) in names}


# Word's automatic numbering, as the document shows it --------------------------------------------------

CHINESE_DIGITS = "零一二三四五六七八九"
TIAN_GAN = "甲乙丙丁戊己庚辛壬癸"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_number(value: int) -> str:
    """一 … 九十九 as a speech writes its headings' numbers (百 and beyond spelled digit by digit)."""
    if value < 0:
        return str(value)
    if value >= 100:
        return "".join(CHINESE_DIGITS[int(digit)] for digit in str(value))
    tens, ones = divmod(value, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def roman(value: int) -> str:
    result = ""
    for amount, letters in ROMAN:
        count, value = divmod(value, amount)
        result += letters * count
    return result


def letters(value: int) -> str:
    """A … Z, AA … ZZ, as Word repeats the letter."""
    return chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
    "chineseCounting": chinese_number,
    "chineseCountingThousand": chinese_number,
    "chineseLegalSimplified": lambda n: chinese_number(n).translate(str.maketrans("一二三四五六七八九十零",
                                                                                   "壹贰叁肆伍陆柒捌玖拾零")),
    "ideographDigital": lambda n: "".join(CHINESE_DIGITS[int(d)].replace("零", "〇") for d in str(n)),
    "japaneseCounting": chinese_number,
    "ideographTraditional": lambda n: TIAN_GAN[(n - 1) % 10],
    "upperLetter": letters,
    "lowerLetter": lambda n: letters(n).lower(),
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
}


class Numbering:
    """The numbers Word's automatic numbering puts before paragraphs, counted through the document in order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> level -> (start, format, text)
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> current value
        self.started: set[str] = set()  # numIds seen, for their start overrides
        self.style_numbers: dict[str, tuple[str, int]] = {}  # styleId -> (numId, level): headings numbered by style
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering in the document
        for abstract in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for level in abstract.iterchildren(f"{W}lvl"):
                levels[_int(level.get(f"{W}ilvl"), 0)] = (
                    _int(_value(level, "start"), 1), _value(level, "numFmt") or "decimal", _value(level, "lvlText") or "")
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for instance in root.iterchildren(f"{W}num"):
            overrides = {}
            for override in instance.iterchildren(f"{W}lvlOverride"):
                if (start := _value(override, "startOverride")) is not None:
                    overrides[_int(override.get(f"{W}ilvl"), 0)] = _int(start, 1)
            self.instances[instance.get(f"{W}numId")] = (_value(instance, "abstractNumId") or "", overrides)
        for style in document.styles.element.iterchildren(f"{W}style"):
            number_properties = style.find(f"{W}pPr/{W}numPr")
            if number_properties is not None and _value(number_properties, "numId"):
                self.style_numbers[style.get(f"{W}styleId")] = (_value(number_properties, "numId"),
                                                                _int(_value(number_properties, "ilvl"), 0))

    def label(self, paragraph, shown: str, number: int) -> str:
        """The number Word shows before ``paragraph`` (一、 …), or '' for a paragraph without one."""
        number_properties = paragraph.find(f"{W}pPr/{W}numPr")
        if number_properties is not None:
            num_id, level = _value(number_properties, "numId"), _int(_value(number_properties, "ilvl"), 0)
        elif (style := _style_of(paragraph)) in self.style_numbers:
            num_id, level = self.style_numbers[style]
        else:
            return ""
        if num_id in (None, "0") or num_id not in self.instances:
            return ""  # numbering switched off for this paragraph
        abstract, overrides = self.instances[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in overrides.items():
                counters[overridden] = start - 1
        start = levels[level][0]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        _, number_format, text = levels[level]
        if number_format in ("bullet", "none"):
            return ""  # a bullet is no part of the speech's text
        for shown_level in range(9):
            placeholder = f"%{shown_level + 1}"
            if placeholder not in text:
                continue
            level_start, level_format, _ = levels.get(shown_level, (1, "decimal", ""))
            if level_format not in FORMATS:
                raise IngestError(f"{shown}:{number}: paragraph {number} of the document is numbered by Word in the "
                                  f"format '{level_format}', which ingest cannot spell out; type the number into the "
                                  "paragraph (or switch Word's numbering to 一、二、三 or 1, 2, 3), then ingest again.")
            value = counters.get(shown_level, level_start)
            text = text.replace(placeholder, FORMATS[level_format](value))
        return text


def _int(value: str | None, default: int) -> int:
    """A number of the numbering XML, or ``default`` where a hand-made file has none or garbage."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _value(element, child: str) -> str | None:
    found = element.find(f"{W}{child}")
    return found.get(f"{W}val") if found is not None else None
