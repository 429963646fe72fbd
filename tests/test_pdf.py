"""The release's downloads as a reader gets them: the four PDFs (read with poppler and pypdf) and the
offline zip opened from file:// in Debian's Chromium."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from handbook.labels import label_table
from handbook.pdf_document import SITE_ONLY, SPEECHES, read_navigation
from lxml import html as lxml_html
from pypdf import PdfReader
from test_questions import clauses_by_language

ARTIFACTS = REPO / "tests" / "artifacts"
PDFS = {
    ("zh", "handbook"): "downloads/handbook-zh.pdf",
    ("zh", "onboarding"): "downloads/onboarding-zh.pdf",
    ("en", "handbook"): "en/downloads/handbook-en.pdf",
    ("en", "onboarding"): "en/downloads/onboarding-en.pdf",
}
# Closing punctuation that Chinese typesetting never puts at the start of a line.
CLOSING = "，。、；：！？）」』”》〉】"


def pdf_text(path: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    options = (["-f", str(first), "-l", str(last)] if first else []) + (["-layout"] if layout else [])
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 1)
    return found


@pytest.mark.parametrize("language, edition", list(PDFS))
def test_pdf_embeds_simplified_chinese_fonts_and_no_type3(release_dir, language, edition):
    fonts = subprocess.run(["pdffonts", str(release_dir / PDFS[language, edition])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    names = [line.split()[0] for line in fonts]
    assert any(re.search(r"Noto-(Sans|Serif)-CJK-SC", name) for name in names), names
    assert not any(re.search(r"CJK-(JP|KR|TC|HK)", name) for name in names), names
    assert not any("Type 3" in line for line in fonts), fonts
    assert all(line.split()[-5] == "yes" for line in fonts), f"a font is not embedded: {fonts}"


def expected_bookmarks(release_dir: Path, language: str) -> list[tuple[int, str]]:
    """The site's navigation (sidebar of the built home page) without the site-only pages."""
    home = release_dir / ("" if language == "zh" else language) / "index.html"
    expected = []

    def walk(entries, depth):
        for entry in entries:
            if entry.key in SITE_ONLY:
                continue
            appendix = depth == 1 and (entry.key or "").split("/")[0] == SPEECHES
            expected.append((depth, (label_table(language)["pdf"]["appendix"] if appendix else "") + entry.title))
            walk(entry.children, depth + 1)
    walk(read_navigation(lxml_html.parse(str(home)).getroot()), 1)
    return expected


@pytest.mark.parametrize("language", ["zh", "en"])
def test_handbook_bookmarks_follow_the_navigation(release_dir, language):
    reader = PdfReader(release_dir / PDFS[language, "handbook"])
    bookmarks = outline(reader)
    assert [(depth, title) for depth, title, _ in bookmarks] == expected_bookmarks(release_dir, language)
    pages = [page for _, _, page in bookmarks]
    assert pages == sorted(pages), "bookmarks out of page order"
    assert pages[0] > 2, "the first chapter should follow the cover and the contents"


def test_onboarding_pack_holds_the_reading_path_and_its_norms_only(release_dir):
    reader = PdfReader(release_dir / PDFS["zh", "onboarding"])
    titles = [(depth, title) for depth, title, _ in outline(reader)]
    assert titles[0] == (1, "新人入职")
    assert titles[1] == (1, "工作规范")
    norms = [title for depth, title in titles[2:]]
    assert "保密规定" in norms and "办文" in norms and len(norms) == 12
    text = flat(pdf_text(release_dir / PDFS["zh", "onboarding"]))
    assert "办文-03以县政府和政府办名义发文先经法制办审核" in text
    assert "同志们：" not in text, "the speeches belong to the full handbook, not the pack"


@pytest.mark.parametrize("language, clause", [
    ("zh", "办文-03以县政府和政府办名义发文先经法制办审核"),
    ("zh", "保密-03"),
    ("en", "办文-03"),
])
def test_text_extraction_finds_clauses_with_their_ids(release_dir, language, clause):
    assert clause in flat(pdf_text(release_dir / PDFS[language, "handbook"]))


@pytest.mark.parametrize("language, standing, task", [
    ("zh", "适用：长期有效·", "适用：2020年度任务·"),
    ("en", "Scope:Standing·", "Scope:Taskfor2020·"),
])
def test_every_clause_carries_its_scope_on_paper(release_dir, language, standing, task):
    """Whom a rule binds and for how long is read with the rule, in the PDF too (issue 25)."""
    text = flat(pdf_text(release_dir / PDFS[language, "handbook"]))
    clauses = clauses_by_language()[language]
    tasks = sum(1 for clause in clauses.values() if clause.scope and not clause.scope.standing)
    assert (text.count(standing), text.count(task)) == (len(clauses) - tasks, tasks) and tasks > 0


def test_english_handbook_reads_in_english(release_dir):
    text = pdf_text(release_dir / PDFS["en", "handbook"])
    assert "Contents" in text and "Table of contents" not in text
    assert "Appendix: Source speeches" in text


def test_cover_names_title_marking_version_and_date(release_dir):
    cover = pdf_text(release_dir / PDFS["zh", "handbook"], 1, 1)
    commit = subprocess.run(["git", "log", "-1", "--format=%h %cs"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.split()
    assert "办公室工作规范手册" in cover and "内部资料" in cover
    assert commit[0] in cover and commit[1] in cover
    toc = pdf_text(release_dir / PDFS["zh", "handbook"], 2, 2)
    assert "目录" in toc and "Table of contents" not in toc
    assert re.search(r"办文\s*\.{3,}\s*\d+", toc), "contents entries carry page numbers"


def test_pages_carry_running_header_and_page_n_of_total(release_dir):
    reader = PdfReader(release_dir / PDFS["zh", "handbook"])
    total = len(reader.pages)
    bookmarks = {title: page for _, title, page in outline(reader)}
    page = bookmarks["办文"] + 1  # the second page of the chapter: header from the chapter, not its title
    lines = [line.split() for line in pdf_text(release_dir / PDFS["zh", "handbook"], page, page, True).splitlines()
             if line.strip()]
    assert lines[0] == ["工作规范", "办文"]  # the part on the left, the chapter on the right
    assert lines[-1] == ["内部资料", "注意保管", f"{page}", "/", f"{total}"]


@pytest.mark.parametrize("language, edition", list(PDFS))
def test_every_link_points_to_a_place_inside_the_pdf(release_dir, language, edition):
    reader = PdfReader(release_dir / PDFS[language, edition])
    destinations = reader.named_destinations
    links = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            links += 1
            assert "/A" not in annotation, f"a link leaves the PDF: {annotation}"
            name = str(annotation["/Dest"])
            assert name in destinations, f"link to a missing destination {name}"
            reader.get_destination_page_number(destinations[name])  # raises when the page is gone
    assert links > 100


def test_citations_and_principle_links_are_clickable_inside_the_handbook(release_dir):
    reader = PdfReader(release_dir / PDFS["zh", "handbook"])
    targets = {str(annotation.get_object()["/Dest"]) for page in reader.pages
               for annotation in page.get("/Annots") or [] if "/Dest" in annotation.get_object()}
    assert "page-speeches-county-gov-office-2020--p23" in targets  # 办文-03 cites ¶23
    assert "page-principles-shi-bu-guo-ye" in targets
    assert "page-norms-documents--办文-03" in targets  # a speech paragraph lists the clauses citing it


def test_no_line_starts_with_closing_punctuation(release_dir):
    lines = pdf_text(release_dir / PDFS["zh", "handbook"]).splitlines()
    offending = [line for line in lines if line.strip() and line.strip()[0] in CLOSING]
    assert offending == []


@pytest.mark.parametrize("name, page_title", [("cover", None), ("norm-page", "办文")])
def test_pages_render_to_png_artifacts(release_dir, name, page_title):
    pdf = release_dir / PDFS["zh", "handbook"]
    number = 1 if page_title is None else {t: p for _, t, p in outline(PdfReader(pdf))}[page_title]
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"pdf-zh-{name}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(pdf),
                    str(stem)], check=True)
    from PIL import Image, ImageStat

    image = Image.open(f"{stem}.png").convert("L")
    assert image.size[1] > image.size[0] > 400  # A4 portrait
    assert ImageStat.Stat(image).stddev[0] > 10, "the page rendered blank"


def test_home_pages_link_their_downloads(release_dir):
    for home, prefix in ((release_dir / "index.html", ""), (release_dir / "en" / "index.html", "en/")):
        links = lxml_html.parse(str(home)).getroot().xpath('//ul[@class="hb-downloads"]//a/@href')
        assert len(links) == 3, links
        for href in links:
            assert (release_dir / prefix / href).resolve().is_file(), href


def test_offline_zip_opens_from_file_urls_and_searches(release_dir, browser, tmp_path):
    with zipfile.ZipFile(release_dir / "downloads" / "handbook-offline.zip") as bundle:
        bundle.extractall(tmp_path)
    root = tmp_path / "office-handbook"
    assert (root / "index.html").is_file() and (root / "norms" / "documents.html").is_file()
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for start, query, expected in ((root / "index.html", "事不过夜", "shi-bu-guo-ye.html"),
                                   (root / "en" / "norms" / "documents.html", "secrecy", "en/norms/secrecy.html")):
        page.goto(start.as_uri())
        assert page.locator("article h1").count() == 1
        page.keyboard.press("/")
        page.fill("input.md-search__input", query)
        page.keyboard.press("End")  # Material searches on keyup
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
        assert any(expected in href for href in hrefs[:5]), hrefs[:5]
    page.close()
    assert {urlsplit(url).scheme for url in requests} == {"file"}, [u for u in requests if not u.startswith("file")]
    assert errors == []


def structure_tags(reader: PdfReader) -> list[str]:
    """The tags of the PDF's structure tree (h1, p, l, li, …), in reading order."""
    found = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            found.append(str(node["/S"])[1:].lower())
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object()
            if isinstance(kid, dict):
                walk(kid)
    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("language, edition", list(PDFS))
def test_pdf_is_tagged_with_language_title_and_headings_in_order(release_dir, language, edition):
    from handbook.pdf import assemble

    path = release_dir / PDFS[language, edition]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    title = re.search(r"^Title:\s+(.+)$", info, re.M).group(1)
    assert title.startswith("办公室工作规范手册" if language == "zh" else "Office Work Handbook"), title
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == ("zh-CN" if language == "zh" else "en")
    # pypdf's BooleanObject: compare its value (bool() of one is always True).
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # the title, not the file name
    # The structure tree holds every heading of the document the PDF was laid out from, in order and
    # at its level; lists are structure too.
    document, _ = assemble(release_dir / ("en" if language == "en" else ""), language, edition)
    headings = [h.tag for h in lxml_html.fromstring(document).iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert len(headings) > 20
    tags = structure_tags(reader)
    assert [tag for tag in tags if re.fullmatch(r"h[1-6]", tag)] == headings
    assert {"l", "li", "lbody", "table", "link"} <= set(tags)
