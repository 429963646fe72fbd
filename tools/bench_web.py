"""Page weight and edit-to-preview time: ``make bench-web``.

- Page weight: bytes transferred (as the browser receives them, without compression, as from a
  plain static server) for a first load of the home page, and for the first search after it.
- `mkdocs serve`: a copy of the project is served; one page is edited and the time until the
  served page shows the edit is measured (median of 3).
Figures, not tests. Targets (issue 10): home page first load ≤ 350 KB.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from benchkit import CHROMIUM_ARGS, serve  # noqa: E402


def page_weight(site: Path) -> tuple[int, int, int, int]:
    """(home page bytes, the same gzip-compressed, requests, first-search bytes) in headless Chromium."""
    from playwright.sync_api import sync_playwright

    base = serve(site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        sizes: dict[str, int] = {}
        compressed: dict[str, int] = {}

        def record(response):
            try:
                body = response.body()
            except Exception:
                return
            sizes[response.url] = len(body)
            compressed[response.url] = len(gzip.compress(body, 6))  # what a gzip-serving web server sends
        page.on("response", record)
        page.goto(base, wait_until="networkidle")
        home = dict(sizes)
        page.keyboard.press("/")
        page.fill("input.md-search__input", "保密")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        page.wait_for_load_state("networkidle")
        search = {url: size for url, size in sizes.items() if url not in home}
        browser.close()
    return sum(home.values()), sum(compressed[url] for url in home), len(home), sum(search.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_rebuild_seconds(runs: int = 3) -> list[float]:
    """Edit a page of a copy of the project under `mkdocs serve`; time until the served page shows it."""
    times = []
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "project"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", "site", ".bench", "__pycache__", ".pytest_cache"))
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        # Live reload on: without it `mkdocs serve` does not watch the files at all.
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
                                  cwd=copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/norms/secrecy/"
            deadline = time.time() + 180
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(url, timeout=2).read()
                    break
                except Exception:
                    time.sleep(0.5)
            page = copy / "docs" / "norms" / "secrecy.md"
            original = page.read_text(encoding="utf-8")
            for run in range(runs):
                marker = f"编辑标记{run}{int(time.time())}"
                started = time.perf_counter()
                page.write_text(original + f"\n{marker}\n", encoding="utf-8")
                while time.perf_counter() - started < 120:
                    try:
                        if marker in urllib.request.urlopen(url, timeout=2).read().decode("utf-8"):
                            break
                    except Exception:
                        pass
                    time.sleep(0.1)
                times.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=REPO, env=env, check=True,
                       capture_output=True)
        home, home_gzip, requests, search = page_weight(site)
    rebuilds = serve_rebuild_seconds()
    print(f"\nPage weight (uncompressed, headless Chromium, {os.cpu_count()} cores)")
    print(f"home page first load: {home / 1024:,.0f} KB in {requests} requests, {home_gzip / 1024:,.0f} KB gzip-compressed "
          "(target ≤ 350 KB); Material fetches the search index with the first page, not on the first search")
    print(f"first search:         {search / 1024:,.0f} KB more")
    print(f"mkdocs serve: save → page rebuilt: median {statistics.median(rebuilds):.1f} s of {len(rebuilds)} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
