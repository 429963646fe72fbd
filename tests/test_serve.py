"""`make serve` runs `mkdocs serve --strict`: it must start and serve (it sets site_url, unlike a build)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from conftest import REPO, free_port


def test_strict_serve_starts_and_serves_both_languages():
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        pages = {}
        deadline = time.time() + 120
        while time.time() < deadline and len(pages) < 2:
            assert server.poll() is None, server.stdout.read()
            for path in ("", "en/"):
                try:
                    pages[path] = urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=2).read().decode()
                except OSError:
                    time.sleep(0.5)
        assert "办公室工作规范手册" in pages[""] and "Office Work Handbook" in pages["en/"]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "ERROR" not in output and "Aborted" not in output, output[-3000:]
