"""The served Content-Security-Policy allows scripts and styles from this site only: the release must
hold no inline script, style or event handler, and our files of Material's inline scripts must stay
what Material's templates inline (overrides/partials/javascripts/)."""

from __future__ import annotations

from pathlib import Path

import material
from conftest import REPO
from lxml import html as lxml_html

MATERIAL_PARTIALS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
OUR_FILES = REPO / "overrides" / "assets" / "javascripts" / "material"
# The one templated value in Material's base.html script; ours reads it from the script tag instead.
SCOPE_EXPRESSION = '"{{ config.extra.scope | d(base_url) }}"'
SCOPE_FROM_TAG = "document.currentScript.dataset.scope"


def inline_scripts(template: Path) -> list[str]:
    root = lxml_html.fragment_fromstring(template.read_text(encoding="utf-8"), create_parent="div")
    return [script.text for script in root.iter("script")]


def code(our_file: str) -> str:
    """Our file without its leading comment lines."""
    lines = (OUR_FILES / our_file).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//"))


def test_our_copies_are_materials_inline_scripts():
    (base,) = inline_scripts(MATERIAL_PARTIALS / "base.html")
    assert base.count(SCOPE_EXPRESSION) == 1, "Material's base.html script changed: update our base.js"
    assert code("base.js") == base.replace(SCOPE_EXPRESSION, SCOPE_FROM_TAG)
    assert [code("palette.js")] == inline_scripts(MATERIAL_PARTIALS / "palette.html")
    assert [code("content-tabs-link.js"), code("content.js")] == inline_scripts(MATERIAL_PARTIALS / "content.html")


def test_release_has_no_inline_script_style_or_handler(release_dir: Path):
    problems = []
    pages = sorted(release_dir.rglob("*.html"))
    for page in pages:
        root = lxml_html.parse(str(page)).getroot()
        where = page.relative_to(release_dir)
        # A JSON data island (Material's __config) is not run, so CSP leaves it alone.
        problems += [f"{where}: inline <script>" for s in root.iter("script")
                     if not s.get("src") and s.get("type") != "application/json"]
        problems += [f"{where}: <style> element" for _ in root.iter("style")]
        problems += [f"{where}: style= on <{e.tag}>" for e in root.xpath("//*[@style]")]
        problems += [f"{where}: {a.attrname}= on <{a.getparent().tag}>" for a in root.xpath("//@*")
                     if a.attrname.lower().startswith("on")]
    assert len(pages) > 100
    assert problems == [], problems[:20]
