"""Accessibility (WCAG 2.1 AA, GB/T 37668): axe-core over every built page of both languages, in the light
and the dark scheme, must find no violation at all (moderate ones such as two landmarks of the same name
included); and it does find them on a fixture page that brings in a low-contrast colour and an unlabeled
control, so the check can fail.

axe-core comes from the pinned `axe-playwright-python` package (which ships axe.min.js); it runs in
Debian's Chromium. One browser page visits every built page once: axe runs with all its WCAG 2.0/2.1
A/AA and best-practice rules in the light scheme, then the page switches to the dark scheme (Material
follows prefers-color-scheme) and axe runs again with the rules that depend on colour.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import REPO, make_fixture_site, run_mkdocs_build, serving

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

ALL_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
             "resultTypes": ["violations"]}
# What a change of colour scheme can change; the other rules see the same DOM in both schemes.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                "resultTypes": ["violations"]}
# Material fades colours over 0.25 s; axe must see the dark scheme's colours, not a blend on the way there.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
# What Material's palette toggle does on a click: the dark palette's data-md-color-* onto <body>. (Material
# chooses by prefers-color-scheme only when a page loads.)
DARK_SCHEME = """() => {
  const dark = document.querySelector("[data-md-color-media='(prefers-color-scheme: dark)']");
  for (const key of ["scheme", "primary", "accent"])
    document.body.setAttribute("data-md-color-" + key, dark.getAttribute("data-md-color-" + key));
  return document.body.dataset.mdColorScheme;
}"""


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a URL path relative to the root (both languages, 404s too)."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                  if "assets" not in path.relative_to(site).parts)


def violations(page, options: dict) -> list[str]:
    """axe-core's findings on the loaded page, whatever their impact, one line per node."""
    results = page.evaluate("options => axe.run(document, options)", options)
    return [f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])}: "
            f"{((node.get('any') or node.get('all') or node.get('none') or [{}])[0]).get('message', '')[:160]}"
            for violation in results["violations"] for node in violation["nodes"]]


def scan(browser, base_url: str, pages: list[str]) -> dict[str, list[str]]:
    """{"<scheme> <page>": findings} over ``pages``, each visited once and checked in both schemes."""
    axe_script = axe_playwright.Axe().axe_script
    context = browser.new_context(color_scheme="light", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    findings = {}
    try:
        for relative in pages:
            page.goto(base_url + relative, wait_until="domcontentloaded")
            assert page.evaluate("document.body.dataset.mdColorScheme") == "default", relative
            page.evaluate(axe_script)
            findings[f"light {relative}"] = violations(page, ALL_RULES)
            page.add_style_tag(content=NO_TRANSITIONS)
            page.evaluate(DARK_SCHEME)
            findings[f"dark {relative}"] = violations(page, COLOUR_RULES)
    finally:
        context.close()
    return findings


def test_every_page_of_both_languages_in_both_schemes_has_no_violation(
        browser, site_url, built_site):
    pages = built_pages(built_site)
    assert len(pages) > 150 and any(p.startswith("en/") for p in pages)
    started = time.monotonic()
    findings = scan(browser, site_url, pages)
    seconds = time.monotonic() - started
    failing = {where: found for where, found in findings.items() if found}
    report = "\n".join(f"{where}: {len(found)}\n  " + "\n  ".join(found[:5]) for where, found in failing.items())
    print(f"axe-core: {len(pages)} pages × 2 schemes in {seconds:.0f} s")
    assert not failing, f"{sum(map(len, failing.values()))} nodes on {len(failing)} page views:\n{report}"


@pytest.fixture(scope="module")
def bad_fixture_site(tmp_path_factory):
    """A fixture site whose one page has faint text and an unlabeled text box, and one page without them."""
    tmp_path = tmp_path_factory.mktemp("a11y")
    project = make_fixture_site(tmp_path, {
        "index.md": "# 首页\n\n正文。\n",
        "faint.md": ('# 淡色\n\n<p class="hb-faint">这段文字的颜色太淡。</p>\n\n'
                     '<form><input type="text" name="q"></form>\n'),
    })
    (project / "docs" / "faint.css").write_text(".hb-faint { color: #808080; }  /* 4.0:1 on white, 4.2:1 on slate */\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown_extensions:",
                                                                 "extra_css:\n  - faint.css\nmarkdown_extensions:", 1),
                      encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    with serving(site) as url:
        yield url


def test_the_check_fails_on_a_low_contrast_colour_and_an_unlabeled_control(browser, bad_fixture_site):
    findings = scan(browser, bad_fixture_site, ["faint/"])
    for scheme in ("light", "dark"):
        found = findings[f"{scheme} faint/"]
        assert any(line.startswith("color-contrast (serious)") and "foreground color: #808080" in line
                   for line in found), found
    light = findings["light faint/"]
    assert any(line.startswith("label (critical): input[name=\"q\"]") for line in light), light


# Our copies of Material's partials, each with one change: (partial, what ours has before Material's text after
# the comment, Material's line, ours).
LABEL_TABLE = '{%- import "partials/hb-labels/" ~ config.theme.language ~ ".html" as hb -%}\n'
PARTIAL_CHANGES = [
    ("search.html", "", '<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search.placeholder\') }}">'),
    ("path.html", LABEL_TABLE, '<nav class="md-path" aria-label="{{ lang.t(\'nav\') }}" {{ hidden }}>',
     '<nav class="md-path" aria-label="{{ hb.labels.breadcrumb }}" {{ hidden }}>'),
    ("nav-item.html", "", '<nav class="md-nav" data-md-level="{{ level }}" aria-labelledby="{{ path }}_label" ',
     '<nav class="md-nav" data-md-level="{{ level }}" {% if index %}aria-label="{{ nav_item.title | e }}"'
     '{% else %}aria-labelledby="{{ path }}_label"{% endif %} '),
]


@pytest.mark.parametrize(("partial", "prelude", "theirs_line", "our_line"), PARTIAL_CHANGES, ids=[p[0] for p in PARTIAL_CHANGES])
def test_our_partials_are_materials_with_one_change(partial, prelude, theirs_line, our_line):
    import material

    theirs = (Path(material.__file__).parent / "templates" / "partials" / partial).read_text(encoding="utf-8")
    ours = (REPO / "overrides" / "partials" / partial).read_text(encoding="utf-8")
    assert theirs.count(theirs_line) == 1, f"Material's partials/{partial} changed: update overrides/partials/{partial}"
    assert ours.split("-#}\n", 1)[1] == prelude + theirs.split("-#}\n", 1)[1].replace(theirs_line, our_line)


def test_landmarks_have_names_of_their_own(built_site):
    """Breadcrumbs and a section with an index page name their <nav> apart from the main navigation."""
    from lxml import html as lxml_html

    for page, main, crumbs, section in (("norms/supervision/index.html", "导航栏", "当前位置", "工作规范"),
                                         ("en/norms/supervision/index.html", "Navigation", "Breadcrumb", "Norms")):
        root = lxml_html.parse(str(built_site / page)).getroot()
        names = [nav.get("aria-label") for nav in root.iter("nav") if "md-nav--secondary" not in (nav.get("class") or "")
                 and nav.get("aria-labelledby") is None]
        assert names.count(main) == 1 and crumbs in names and section in names, (page, names)
        assert all(root.get_element_by_id(nav.get("aria-labelledby"), None) is not None
                   for nav in root.iter("nav") if nav.get("aria-labelledby")), page
