"""`make serve` runs `mkdocs serve --strict`: it must start and serve (it sets site_url, unlike a build)."""

from __future__ import annotations

from conftest import REPO, serve_pages


def test_strict_serve_starts_and_serves_both_languages():
    pages, output = serve_pages(REPO, ("", "en/"))
    assert "办公室工作规范手册" in pages[""] and "Office Work Handbook" in pages["en/"], output[-3000:]
    assert "ERROR" not in output and "Aborted" not in output, output[-3000:]
