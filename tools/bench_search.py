"""Search, part of `make bench`: the project's keyword set and question set against our search, plain
Material and Pagefind.

The site with our search is the benchmark's own full build. Material's own search is the same
config with `extra.handbook.search.engine: material` (HANDBOOK_SEARCH=material); Pagefind (the
extended binary, from the npm registry, installed into .bench/) indexes that plain build. Every
query of tests/search_queries.yml and every question of tests/questions.yml is typed in headless
Debian Chromium: hit@1 and hit@5 (keywords: the right page or section in the first result group),
clause@1 and clause@5 (questions: the answering clause is the first clause result), the median
latency (keyup to rendered results; for Pagefind, its JS API search plus result data), index bytes.
Our search also answers issue 26's sets, written blind (tests/questions_answered.yml and
tests/questions_unanswered.yml, tools/question_sets.py): per language and half (tuning, held-out),
clause@1 and clause@5 of the answered questions, the false `none` verdicts among them, and the `none`
verdicts among the unanswered ones, as the result list carries them (data-hb-answer).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from bench_build import measure_build  # noqa: E402
from benchkit import median, serve  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "hooks"))
from handbook.search import EDITIONS, edition_index_path  # noqa: E402
from question_sets import blind_sets, tally  # noqa: E402
from test_search import answers, clause_rank  # noqa: E402  (the same notion of a right answer as the tests)

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


@dataclass(frozen=True)
class EngineResult:
    engine: str
    hit_at_1: int
    hit_at_5: int
    queries: int
    median_ms: float
    index_bytes: int
    clause_at_1: int = 0  # the question set
    clause_at_5: int = 0
    questions: int = 0
    question_ms: float = 0.0
    blind: dict = field(default_factory=dict)  # ours only: (language, half) -> Tally of issue 26's question sets


def pagefind_binary() -> Path | None:
    """Pagefind's extended binary (which segments Chinese), installed by npm into .bench/ once; None if npm fails."""
    prefix = REPO / ".bench"
    binary = prefix / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    if not binary.exists():
        print(f"bench: installing pagefind {PAGEFIND_VERSION} into .bench/ …", file=sys.stderr)
        result = subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(prefix),
                                 f"pagefind@{PAGEFIND_VERSION}"], capture_output=True, text=True)
        if result.returncode != 0 or not binary.exists():
            print(f"bench: npm could not install pagefind: {result.stderr[-500:]}", file=sys.stderr)
            return None
    return binary


def path_of(url: str, base: str) -> str:
    from urllib.parse import unquote, urlsplit
    parts = urlsplit(url if "://" in url else base + url.lstrip("/"))
    return unquote(parts.path.lstrip("/")) + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def run_material_ui(browser, base: str, queries: list[dict], verdicts: list | None = None
                    ) -> tuple[list[list[list[str]]], list[float]]:
    """Type each query into Material's search box; results and keyup-to-render latency. ``verdicts``, when
    given, gets each query's answer verdict as the result list carries it (data-hb-answer: clause, none or None)."""
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
        page = pages[query.get("language") or ("en" if query["query"].isascii() else "zh")]
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
        if verdicts is not None:
            verdicts.append(page.evaluate(
                "() => document.querySelector('.md-search-result__list').dataset.hbAnswer || null"))
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
        language = query.get("language") or ("en" if query["query"].isascii() else "zh")
        answer = pages[language].evaluate("q => window.ask(q)", query["query"])
        latencies.append(answer["ms"])
        results.append([[path_of(url, base) for url in group] for group in answer["groups"]])
    return results, latencies


def score(queries: list[dict], results: list[list[list[str]]]) -> tuple[int, int]:
    first = sum(bool(groups) and answers(q, groups[0]) for q, groups in zip(queries, results))
    top5 = sum(any(answers(q, g) for g in groups[:5]) for q, groups in zip(queries, results))
    return first, top5


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def index_pagefind(plain_site: Path, target: Path) -> Path | None:
    """A copy of the plain build indexed by Pagefind, with a page per language that asks its JS API."""
    binary = pagefind_binary()
    if binary is None:
        return None
    subprocess.run(["cp", "-r", str(plain_site), str(target)], check=True)
    subprocess.run([str(binary), "--site", str(target)], check=True, capture_output=True)
    for relative, language, root in (("pagefind-harness.html", "zh", "./"), ("en/pagefind-harness.html", "en", "../")):
        (target / relative).write_text(HARNESS.format(lang=language, root=root), encoding="utf-8")
    return target


def compare_engines(our_site: Path, work: Path, browser) -> list[EngineResult]:
    """Our search on ``our_site`` (a full build), Material's and Pagefind's on a build without hooks/search.py."""
    queries = yaml.safe_load((REPO / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
    question_set = yaml.safe_load((REPO / "tests" / "questions.yml").read_text(encoding="utf-8"))
    questions = [{"query": q["question"], "clauses": q["clauses"], "language": language}
                 for language, entries in question_set.items() for q in entries]
    plain_site = work / "plain-search"
    measure_build(REPO / "mkdocs.yml", plain_site, env={"HANDBOOK_SEARCH": "material"})
    engines = [
        # Ours: both editions' indexes (split_editions), as plain Material's one index holds both languages.
        ("ours (handbook worker)", our_site, run_material_ui,
         sum(edition_index_path(our_site, language).stat().st_size for language in EDITIONS)),
        ("plain Material (lunr, jieba)", plain_site, run_material_ui, (plain_site / "search" / "search_index.json").stat().st_size),
    ]
    pagefind_site = index_pagefind(plain_site, work / "pagefind")
    if pagefind_site is not None:
        engines.append((f"Pagefind {PAGEFIND_VERSION} extended", pagefind_site, run_pagefind,
                        folder_bytes(pagefind_site / "pagefind")))
    results = []
    for name, site, runner, index_bytes in engines:
        base = serve(site)
        found, latencies = runner(browser, base, queries)
        first, top5 = score(queries, found)
        answered, question_latencies = runner(browser, base, questions)
        ranks = [clause_rank(q["clauses"], groups) for q, groups in zip(questions, answered)]
        blind = {}
        if runner is run_material_ui and name.startswith("ours"):
            # Issue 26's sets, written blind: answered questions' clause ranks and every question's verdict.
            asked = blind_sets()
            verdicts: list = []
            found_blind, _ = runner(browser, base, [{"query": q.question, "language": q.language} for q in asked], verdicts)
            blind = tally(asked, [clause_rank(q.clauses, groups) if q.answered else None
                                  for q, groups in zip(asked, found_blind)], verdicts)
        results.append(EngineResult(name, first, top5, len(queries), median(latencies), index_bytes,
                                    sum(rank == 1 for rank in ranks), sum(rank is not None and rank <= 5 for rank in ranks),
                                    len(questions), median(question_latencies), blind))
    return results
