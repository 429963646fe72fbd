"""Shared fixtures: paths, the seed speeches, and builds of the real site and of fixture sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

# Property-based tests (tests/test_properties.py): a bounded number of examples; in CI (CI=true) a
# fixed seed and no example database, so a run there is the same run every time.
settings.register_profile("handbook", max_examples=150, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("handbook"), derandomize=True, database=None)
# A longer hunt for crashes after changing a parser: pytest tests/test_properties.py --hypothesis-profile=thorough
settings.register_profile("thorough", parent=settings.get_profile("handbook"), max_examples=3000)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "handbook")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))
sys.path.insert(0, str(REPO / "tools"))
from benchkit import free_port, launch_chromium, serving  # noqa: E402, F401  (one Chromium, one server, free ports for tests and bench)

# The seeds live beside the repository (../shared/seeds); sources/ holds the copies that were ingested.
SEEDS = REPO.parent / "shared" / "seeds"
SEED_DIR = SEEDS if SEEDS.is_dir() else REPO / "sources"
MKDOCS = [sys.executable, "-m", "mkdocs"]


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.txt"))


def run_mkdocs_build(project: Path, site_dir: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """Build the mkdocs project in ``project`` into ``site_dir`` the way the Makefile does."""
    command = [*MKDOCS, "build", "--site-dir", str(site_dir), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict; the build must succeed."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory) -> Path:
    """One complete release of the real site, built once per session by tools/release.py as a publish builds it."""
    sys.path.insert(0, str(REPO / "tools"))
    from release import build_release

    site = tmp_path_factory.mktemp("release") / "site"
    try:
        build_release(site)
    except SystemExit as failure:  # the build's messages are in the captured output above
        pytest.fail(str(failure))
    return site


def speech_page(*paragraphs: str, **front_matter) -> str:
    """A speech page as `make ingest` writes it: front matter, title, the paragraphs between the markers."""
    meta = {"title": "在测试会议上的讲话", "source": "test.txt", "tags": ["讲话原文"], **front_matter}
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    body = "\n\n".join(paragraphs or ("同志们：", "要做好测试工作。"))
    return f"---\n{header}---\n\n# 在测试会议上的讲话\n\n<!-- speech:start -->\n\n{body}\n\n<!-- speech:end -->\n"


def make_fixture_site(tmp_path: Path, pages: dict[str, str], sources: dict[str, str] | None = None,
                      stand_ins: bool = True) -> Path:
    """A small site using the real hooks and the real mkdocs.yml settings, with the given pages.

    Every Chinese page gets an English stand-in (as `make stand-ins` writes) unless ``stand_ins`` is False.
    """
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copytree(REPO / "hooks", project / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", project / "overrides")
    (project / "sources").mkdir()
    for name, text in (sources or {}).items():
        (project / "sources" / name).write_text(text, encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:")[0].replace("extra_css:\n  - assets/handbook.css\n", "")
    # Fixture pages get translation-pending English stand-ins: those are not the point of a fixture.
    config = config.replace("pending_translations: error", "pending_translations: info")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    # Every fixture site has an English home page, as static-i18n requires for its second build.
    pages = {"index.en.md": "# Home\n", **pages}
    # The offline shim that mkdocs.yml's extra.polyfills puts on every page.
    shutil.copytree(REPO / "docs" / "assets" / "javascripts" / "vendor",
                    project / "docs" / "assets" / "javascripts" / "vendor")
    for name, text in pages.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name in ("ingest-rules.yml", "secrecy-allowlist.yml", "scopes.yml"):
        if not (project / "sources" / name).exists():
            shutil.copyfile(REPO / "sources" / name, project / "sources" / name)
    if stand_ins:
        from handbook.stand_in import write_missing_stand_ins

        write_missing_stand_ins(project / "docs")
    return project


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `make test`, which installs it"
    with playwright_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def serve_pages(project: Path, paths: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """`mkdocs serve --strict` (as `make serve` starts it, without live reload) on ``project``: the served text of
    each of ``paths`` once all answer (two minutes at most), and the server's log."""
    import time  # noqa: PLC0415 (only the serving tests wait)
    import urllib.request  # noqa: PLC0415

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    pages: dict[str, str] = {}
    try:
        deadline = time.time() + 120
        while time.time() < deadline and len(pages) < len(paths):
            assert server.poll() is None, server.stdout.read()
            for path in paths:
                try:
                    pages[path] = urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=2).read().decode()
                except OSError:
                    time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    return pages, output
