"""Render the handbook PDFs (full handbook, 新人入职 pack) of one language from its built pages.

Used by hooks/downloads.py in a release build and by tools/build_pdf.py on an already built site.
WeasyPrint sets the text: it embeds the named Noto CJK SC faces as real fonts (Chromium's
print-to-PDF gave hundreds of Type 3 fonts and lost the links) and turns the bookmark-level and
target-counter rules of overrides/pdf/style.html into an outline and a contents page.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import html as lxml_html

from handbook.labels import label_table
from handbook.pdf_document import (
    EDITIONS,
    ONBOARDING,
    Chapter,
    anchor_of,
    article_of,
    chapters_of,
    elements,
    linked_norm_pages,
    prepare_article,
    read_navigation,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides"
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en"}


@dataclass
class PdfResult:
    path: Path
    pages: int
    size: int
    seconds: float


def pdf_name(language: str, edition: str) -> str:
    return f"{edition}-{language}.pdf"


def _text(root: lxml_html.HtmlElement, tag: str, css_class: str, source: Path) -> str:
    found = elements(root, tag, css_class)
    if not found:
        raise ValueError(f"{source}: no {tag}.{css_class}; the cover takes it from the built home page")
    return " ".join(found[0].text_content().split())


def assemble(language_dir: Path, language: str, edition: str) -> tuple[str, list[Chapter]]:
    """The edition as one HTML document, and its chapters."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; one of {', '.join(EDITIONS)}")
    home_path = language_dir / "index.html"
    home = lxml_html.parse(str(home_path)).getroot()
    navigation = read_navigation(home)
    chapters = chapters_of(navigation, language_dir, "handbook", language)
    if edition == "onboarding":
        onboarding = next((chapter for chapter in chapters if chapter.key == ONBOARDING), None)
        if onboarding is None:
            raise ValueError(f"{home_path}: no {ONBOARDING}/ page in the navigation, so no 新人入职 pack")
        onboarding_page = lxml_html.parse(str(onboarding.source)).getroot()
        norms = linked_norm_pages(article_of(onboarding_page, onboarding.source), onboarding.base)
        chapters = chapters_of(navigation, language_dir, edition, language, norms)
    # Only the edition's own pages are read.
    pages = {chapter.key: lxml_html.parse(str(chapter.source)).getroot() for chapter in chapters}
    included = {chapter.key for chapter in chapters}
    rendered, toc = [], []
    for chapter in chapters:
        article = prepare_article(article_of(pages[chapter.key], chapter.source), chapter, included, language_dir)
        sections = []
        for number, (level, title) in enumerate(chapter.sections):
            anchor = f"{anchor_of(chapter.key)}-section-{number}"
            sections.append({"level": level, "title": title, "anchor": anchor, "part": chapter.part,
                             "breaks": level == 1})
            toc.append({"level": level, "title": title, "anchor": anchor})
        toc.append({"level": chapter.level, "title": chapter.title, "anchor": anchor_of(chapter.key)})
        # Every page starts a new sheet, except the short principle pages, which follow one another.
        breaks = chapter.level == 1 or not chapter.key.startswith("principles/") or chapter.key == "principles/matrix"
        rendered.append({"html": lxml_html.tostring(article, encoding="unicode"), "sections": sections,
                         "level": chapter.level, "part": chapter.part, "title": chapter.title, "breaks": breaks})
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    document = environment.get_template("pdf/document.html").render(
        language=language, lang_tag=LANGUAGE_TAGS.get(language, language), edition=edition, words=label_table(language)["pdf"],
        title=_text(home, "div", "md-header__topic", home_path),
        marking=_text(home, "div", "hb-marking", home_path), version=_text(home, "div", "hb-version", home_path),
        date=time.strftime("%Y-%m-%d"), toc=toc, chapters=rendered)
    return document, chapters


class _Forward(logging.Handler):
    """Passes WeasyPrint's warnings (an unsupported rule, a missing image) to our logger."""
    def __init__(self, report: Callable[[str], None]):
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        self.report(record.getMessage())


def render_pdf(language_dir: Path, language: str, edition: str, output: Path,
               progress: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> PdfResult:
    """Write one edition's PDF to ``output`` (replaced only when complete) and say how it went."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    started = time.perf_counter()
    label = f"[pdf] {language} {edition}"
    document_html, chapters = assemble(language_dir, language, edition)
    progress(f"{label}: {len(chapters)} site pages assembled; laying out…")
    forward = _Forward(lambda message: warn(f"{label}: WeasyPrint: {message}"))
    weasy_log = logging.getLogger("weasyprint")
    weasy_log.addHandler(forward)
    try:
        document = HTML(string=document_html, base_url=language_dir.resolve().as_uri() + "/",
                        # Local files only (a closed network), and a missing image is an error, not a gap in the PDF.
                        url_fetcher=URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)).render()
        progress(f"{label}: {len(document.pages)} PDF pages laid out in {time.perf_counter() - started:.1f} s; "
                 "writing…")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        # Tagged PDF/UA-1: structure (headings, lists, tables) and reading order for screen readers, the
        # document language from <html lang>, the title shown instead of the file name.
        document.write_pdf(partial, pdf_variant="pdf/ua-1")
        os.replace(partial, output)
    finally:
        weasy_log.removeHandler(forward)
    result = PdfResult(output, len(document.pages), output.stat().st_size, time.perf_counter() - started)
    progress(f"{label}: {output.name}: {result.pages} pages, {result.size / 1e6:.1f} MB, {result.seconds:.1f} s")
    return result
