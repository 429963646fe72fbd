"""Search benchmark: the project's query set against our search, plain Material search and Pagefind.

    make bench-search

Builds the site twice from the same pages (with our search, and with Material's own search: the
same config without hooks/search.py), indexes the plain build with Pagefind (the extended
binary, from the npm registry, installed into .bench/), then types every query of
tests/search_queries.yml in headless Debian Chromium and prints hit@1, hit@5, the median
latency (keyup to rendered results; for Pagefind, its JS API search plus result data) and the
index bytes. Figures, not a test: nothing here fails on a number.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from benchkit import CHROMIUM_ARGS, serve  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "hooks"))
from test_search import answers  # noqa: E402  (the same notion of a right answer as the test)

PAGEFIND_VERSION = "1.5.2"
TIMING = """() => {
  window.__t = {};
  const input = document.querySelector('input.md-search__input');
  input.addEventListener('keyup', () => { window.__t = { start: performance.now() } }, { capture: true });
  new MutationObserver(() => { if (window.__t.start && !window.__t.end) window.__t.end = performance.now() })
    .observe(document.querySelector('.md-search-result__list'), { childList: true });
}"""
HARNESS = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>pagefind</title></head><body>
<script type="module">
const pagefind = await import("{root}pagefind/pagefind.js");
await pagefind.init();
window.ask = async (query) => {{
  const started = performance.now();
  const found = await pagefind.search(query);
  const top = await Promise.all(found.results.slice(0, 5).map(result => result.data()));
  return {{ ms: performance.now() - started,
           groups: top.map(d => [d.url, ...d.sub_results.map(s => s.url)]) }};
}};
window.ready = true;
</script></body></html>"""


def build(config: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   cwd=REPO, env=env, check=True, capture_output=True)


def pagefind_binary() -> Path:
    prefix = REPO / ".bench"
    binary = prefix / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    if not binary.exists():
        print(f"installing pagefind {PAGEFIND_VERSION} into .bench/ …", file=sys.stderr)
        subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(prefix), f"pagefind@{PAGEFIND_VERSION}"],
                       check=True)
    return binary


def path_of(url: str, base: str) -> str:
    from urllib.parse import unquote, urlsplit
    parts = urlsplit(url if "://" in url else base + url.lstrip("/"))
    return unquote(parts.path.lstrip("/")) + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def run_material_ui(browser, base: str, queries: list[dict]) -> tuple[list[list[list[str]]], list[float]]:
    """Type each query into Material's search box; results and keyup-to-render latency."""
    results, latencies = [], []
    pages = {}
    for language in ("zh", "en"):
        page = browser.new_page()
        page.goto(base + ("en/" if language == "en" else ""))
        page.keyboard.press("/")
        page.fill("input.md-search__input", "办文" if language == "zh" else "office")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10000)  # the index is loaded
        page.evaluate(TIMING)
        pages[language] = page
    for query in queries:
        page = pages["en" if query["query"].isascii() else "zh"]
        page.evaluate("() => { window.__t = {} }")
        page.fill("input.md-search__input", query["query"])
        page.keyboard.press("End")
        try:
            page.wait_for_function("() => window.__t.end", timeout=5000)
            page.wait_for_timeout(80)
            latencies.append(page.evaluate("() => window.__t.end - window.__t.start"))
        except Exception:
            pass  # no results at all: counts as a miss
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item", "items => items.map(i => [...i.querySelectorAll('a')].map(a => a.href))")
        results.append([[path_of(h, base) for h in group] for group in hrefs])
    return results, latencies


def run_pagefind(browser, base: str, queries: list[dict]) -> tuple[list[list[list[str]]], list[float]]:
    pages = {}
    for language, path in (("zh", "pagefind-harness.html"), ("en", "en/pagefind-harness.html")):
        page = browser.new_page()
        page.goto(base + path)
        page.wait_for_function("() => window.ready === true", timeout=10000)
        page.evaluate("q => window.ask(q)", "办文" if language == "zh" else "office")  # warm up
        pages[language] = page
    results, latencies = [], []
    for query in queries:
        answer = pages["en" if query["query"].isascii() else "zh"].evaluate("q => window.ask(q)", query["query"])
        latencies.append(answer["ms"])
        results.append([[path_of(url, base) for url in group] for group in answer["groups"]])
    return results, latencies


def score(queries: list[dict], results: list[list[list[str]]]) -> tuple[int, int]:
    first = sum(bool(groups) and answers(q, groups[0]) for q, groups in zip(queries, results))
    top5 = sum(any(answers(q, g) for g in groups[:5]) for q, groups in zip(queries, results))
    return first, top5


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> int:
    from playwright.sync_api import sync_playwright

    queries = yaml.safe_load((REPO / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        plain_config = REPO / ".bench-plain-search.yml"
        plain_config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("  - hooks/search.py\n", ""),
                                encoding="utf-8")
        try:
            print("building the site with our search and with Material's …", file=sys.stderr)
            build(REPO / "mkdocs.yml", work / "ours")
            build(plain_config, work / "material")
        finally:
            plain_config.unlink(missing_ok=True)
        pagefind_site = work / "pagefind"
        subprocess.run(["cp", "-r", str(work / "material"), str(pagefind_site)], check=True)
        subprocess.run([str(pagefind_binary()), "--site", str(pagefind_site)], check=True, capture_output=True)
        for relative, language, root in (("pagefind-harness.html", "zh", "./"), ("en/pagefind-harness.html", "en", "../")):
            (pagefind_site / relative).write_text(HARNESS.format(lang=language, root=root), encoding="utf-8")

        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for name, site, runner, index_bytes in (
                ("ours (handbook worker)", work / "ours", run_material_ui, (work / "ours" / "search" / "search_index.json").stat().st_size),
                ("plain Material (lunr)", work / "material", run_material_ui, (work / "material" / "search" / "search_index.json").stat().st_size),
                (f"Pagefind {PAGEFIND_VERSION} extended", pagefind_site, run_pagefind, folder_bytes(pagefind_site / "pagefind")),
            ):
                results, latencies = runner(browser, serve(site), queries)
                first, top5 = score(queries, results)
                rows.append((name, first, top5, statistics.median(latencies) if latencies else float("nan"), index_bytes))
            browser.close()

    total = len(queries)
    print(f"\nSearch: {total} queries from tests/search_queries.yml, typed in headless Chromium")
    print(f"{'engine':<28}{'hit@1':>12}{'hit@5':>12}{'median ms':>11}{'index bytes':>14}")
    for name, first, top5, median, size in rows:
        print(f"{name:<28}{first:>4}/{total} {first / total:>4.0%}{top5:>5}/{total} {top5 / total:>4.0%}{median:>11.1f}{size:>14,}")
    ours, material = rows[0][4], rows[1][4]
    print(f"\nour index / Material's: {ours / material:.2f} (target ≤ 1.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
