"""Page weight and edit-to-preview time, parts of `make bench`.

- Page weight: bytes the browser receives for a first load of the home page, and for the first
  search after it, from a plain static server (uncompressed), and the same with the text types
  gzip-compressed as the intranet's nginx sends them.
- `mkdocs serve`: a clone of the project (or the 10× corpus) is served as `make serve` serves it; one page is
  edited and the time until the served page shows the edit is measured.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from benchkit import free_port, serve  # noqa: E402

# What nginx compresses (gzip_types); images and fonts are sent as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
GZIP_LEVEL = 6
EDITED_PAGE = "docs/norms/secrecy.md"
EDITED_URL = "norms/secrecy/"


@dataclass(frozen=True)
class Weight:
    requests: int
    raw_bytes: int
    gzip_bytes: int


def sent_bytes(body: bytes, content_type: str) -> int:
    """What a gzip-serving web server sends for this body."""
    if content_type.split(";")[0].strip().startswith(COMPRESSED_TYPES):
        return len(gzip.compress(body, GZIP_LEVEL))
    return len(body)


def page_weight(site: Path, browser) -> tuple[Weight, Weight]:
    """(home page first load, first search after it) in a fresh browser context: nothing cached."""
    base = serve(site)
    context = browser.new_context()
    page = context.new_page()
    received: dict[str, tuple[int, int]] = {}

    def record(response):
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        received[response.url] = (len(body), sent_bytes(body, response.headers.get("content-type", "")))
    page.on("response", record)
    page.goto(base, wait_until="networkidle")
    home = dict(received)
    page.keyboard.press("/")
    page.fill("input.md-search__input", "保密")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.wait_for_load_state("networkidle")
    search = {url: sizes for url, sizes in received.items() if url not in home}
    context.close()

    def weight(responses: dict[str, tuple[int, int]]) -> Weight:
        return Weight(len(responses), sum(raw for raw, _ in responses.values()), sum(sent for _, sent in responses.values()))
    return weight(home), weight(search)


def clone_working_tree(target: Path) -> None:
    """The project as it stands, uncommitted edits included, in a clone with its own git history.

    A plain copy would carry the worktree's .git file, and git commands in the copy (the footer's
    version, the revision dates) would then read and refresh this worktree's index. A tree without
    git (an unpacked release archive) is copied as it is, less what builds and setup leave.
    """
    if not (REPO / ".git").exists():
        shutil.copytree(REPO, target, symlinks=True,
                        ignore=shutil.ignore_patterns(".venv", "site", "release", ".bench", "__pycache__", ".pytest_cache"))
        return
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(REPO), str(target)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head], cwd=target, check=True)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if not source.exists():  # deleted here but not yet in a commit
            (target / name).unlink(missing_ok=True)
        elif source.is_file() and not source.is_symlink():  # .venv is a symlink to the shared venv
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def wait_for(url: str, text: str | None, timeout: float) -> bool:
    """Poll ``url`` until it answers (and shows ``text``, if given)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
            if text is None or text in body:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


# What `make serve` runs (the Makefile's serve target, less its setup): one edition, the preview's rebuild.
SERVE_ENV = {"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SERVE_REBUILD": "affected", "BUILD_ONLY_LOCALE": "zh"}


def serve_rebuild_seconds(edits: int = 5, project: Path | None = None) -> tuple[float | None, list[float], str]:
    """Edit a page of the project (a clone of the working tree when None) under `mkdocs serve` as `make serve` runs
    it: seconds from the first save until the served page shows it (in a clean tree the footer's version then gains
    its '+', and the whole site is built again), the same for ``edits`` saves after it, and the server's log."""
    times: list = []
    with tempfile.TemporaryDirectory() as work:
        if project is None:
            project = Path(work) / "project"
            clone_working_tree(project)
        port = free_port()
        log = Path(work) / "serve.log"
        # --livereload: since click 8.2.2 mkdocs' default is off, and without it serve watches no file (mkdocs #4032).
        with log.open("w") as output:
            server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload",
                                       "-a", f"127.0.0.1:{port}"], cwd=project, env={**os.environ, **SERVE_ENV},
                                      stdout=output, stderr=subprocess.STDOUT)
        page = project / EDITED_PAGE
        original = page.read_text(encoding="utf-8")
        try:
            url = f"http://127.0.0.1:{port}/{EDITED_URL}"
            if not wait_for(url, None, 300):
                raise RuntimeError("mkdocs serve did not serve the site within 300 s")
            for edit in range(edits + 1):
                time.sleep(1.0)  # as an editor saves: not while the server is still busy with the last save
                marker = f"编辑标记{edit}x{time.time_ns()}"
                started = time.perf_counter()
                page.write_text(original + f"\n{marker}\n", encoding="utf-8")
                if wait_for(url, marker, 120):
                    times.append(time.perf_counter() - started)
                elif edit == 0:
                    times.append(None)
        finally:
            page.write_text(original, encoding="utf-8")
            server.terminate()
            server.wait(timeout=30)
        first, times = (times[0], times[1:]) if times else (None, [])
        return first, times, log.read_text(encoding="utf-8", errors="replace")
