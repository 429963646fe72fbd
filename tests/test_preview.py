"""`make serve`'s preview: after a save only the pages an edit affects are rendered again (hooks/pipeline.py,
"Preview"), and every served page is then the same as a full build writes it; the saved page's problems show in the
serve log with file and line. What an edit affects is also checked on the model alone (handbook/preview.py)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, free_port

sys.path.insert(0, str(REPO / "tools"))
from bench_web import clone_working_tree  # noqa: E402
from handbook.model import read_handbook  # noqa: E402
from handbook.preview import affected_pages  # noqa: E402

EDITED = "docs/norms/secrecy.md"
LIVERELOAD = re.compile(r"<script>\s*var livereload = function.*?</script>", re.S)
# The full build that mkdocs serve itself runs (its builder: the serve address as site_url, serve's inclusion).
FULL_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config("mkdocs.yml", site_dir=sys.argv[1], site_url=sys.argv[2])
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=sys.argv[2])
"""


class Server:
    def __init__(self, project: Path, log: Path):
        self.project, self.log, self.port = project, log, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SERVE_REBUILD": "affected", "BUILD_ONLY_LOCALE": "zh"}
        self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--livereload",
                                         "-a", f"127.0.0.1:{self.port}"], cwd=project, env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def get(self, path: str) -> str:
        return urllib.request.urlopen(self.url + path, timeout=10).read().decode("utf-8")

    def save(self, path: str, text: str) -> str:
        """Write ``text`` into the project's ``path``; the log of the rebuild it brings once it is over."""
        before = len(self.output())
        (self.project / path).write_text(text, encoding="utf-8")
        deadline = time.time() + 120
        while time.time() < deadline:
            assert self.process.poll() is None, self.output()[-3000:]
            new = self.output()[before:]
            if "Reloading browsers" in new or "An error happened during the rebuild" in new:
                return new
            time.sleep(0.1)
        raise AssertionError(f"no rebuild within 120 s:\n{self.output()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = tmp_path_factory.mktemp("preview") / "project"
    clone_working_tree(project)
    served = Server(project, project.parent / "serve.log")
    try:
        deadline = time.time() + 300
        while "Serving on" not in served.output():
            assert time.time() < deadline and served.process.poll() is None, served.output()[-3000:]
            time.sleep(0.2)
        yield served
    finally:
        served.process.terminate()
        served.process.wait(timeout=30)


def full_build(server: Server, site: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BUILD_ONLY_LOCALE": "zh"}
    result = subprocess.run([sys.executable, "-c", FULL_BUILD, str(site), server.url], cwd=server.project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_after_a_save_every_served_page_is_the_full_builds(server: Server, tmp_path: Path):
    """A clause's title and another's rule edited: the saved page and the pages showing them (the 工作规范 index, 常见问题,
    修订记录, the speeches citing it, ...) are rendered again, and no served page differs from a full build."""
    text = (server.project / EDITED).read_text(encoding="utf-8")
    edited = text.replace("### 保密-01 认清办公室的机密性要求，强化保密意识 {", "### 保密-01 认清办公室的机密性要求，强化保密意识和纪律 {", 1)
    edited = edited.replace("规范管理涉密文件和存储介质 { #保密-02 }\n\n", "规范管理涉密文件和存储介质 { #保密-02 }\n\n预览编辑的一句话。", 1)
    assert edited.count("预览编辑") == 1 and "意识和纪律" in edited
    log = server.save(EDITED, edited)
    preview = re.search(r"\[preview\] docs/norms/secrecy\.md saved: (\d+) pages? rendered again", log)
    assert preview, log  # rendered by the preview, not by a full rebuild
    assert "ERROR" not in log and "WARNING" not in log, log

    site = full_build(server, tmp_path / "site")
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    assert int(preview[1]) < len(pages) / 4
    differing = []
    for page in pages:
        served = LIVERELOAD.sub("", server.get(page))
        if served != (site / page).read_text(encoding="utf-8"):
            differing.append(page)
    assert not differing, f"served pages that differ from the full build: {differing}"
    assert "预览编辑的一句话" in server.get("norms/secrecy/") and "意识和纪律" in server.get("norms/")


def test_a_planted_error_in_the_saved_page_shows_in_the_serve_log_with_file_and_line(server: Server):
    text = (server.project / EDITED).read_text(encoding="utf-8")
    lines = text.split("\n")
    at = lines.index("## 涉密载体管理")  # before it, two lines: a citation that quotes wrongly, a mobile number
    lines[at:at] = ['依据：[@city-office-directors-training#p4 "这句话不在讲话里"]', "", "值班电话 13812345678。", ""]
    log = server.save(EDITED, "\n".join(lines))
    assert "[preview] docs/norms/secrecy.md saved" in log, log
    assert re.search(rf"ERROR.*docs/norms/secrecy\.md:{at + 1}: .*citation", log), log
    assert re.search(rf"ERROR.*docs/norms/secrecy\.md:{at + 3}: .*保密", log), log
    assert "值班电话" in server.get("norms/secrecy/")  # still previewed: the editor sees the page and the log


# What an edit affects, on the model alone -----------------------------------------------------------------

SPEECH = "---\ntitle: 讲话\nsource: s.txt\nshort_title: 讲话\n---\n\n同志们：\n\n要把保密工作做好。\n"
NORM = "# 保密\n\n### 保密-01 {title} {{ #保密-01 }}\n\n{rule}\n\n依据：[@s#p2 \"把保密工作做好\"]\n"


def model(title: str = "做好保密", rule: str = "要做好保密工作。"):
    return read_handbook([("speeches/s.md", SPEECH), ("norms/x.md", NORM.format(title=title, rule=rule)),
                          ("norms/index.md", "# 工作规范\n\n<!-- norms-index -->\n"), ("faq.md", "# 常见问题\n\n<!-- common-questions -->\n"),
                          ("index.md", "# 首页\n")])


def test_a_rule_edit_affects_its_page_only_and_a_title_edit_the_pages_naming_the_clause():
    assert affected_pages(model(), model(rule="要做好保密工作，不得泄密。"), {"norms/x.md"}) == {"norms/x.md"}
    assert affected_pages(model(), model(title="做好保密工作"), {"norms/x.md"}) == {"norms/x.md", "norms/index.md",
                                                                                 "faq.md", "speeches/s.md"}


def test_a_changed_page_title_or_speech_affects_every_page():
    edited = model()
    edited.pages["index.md"] = dataclasses.replace(edited.pages["index.md"], meta={"title": "新首页"})
    assert affected_pages(model(), edited, {"index.md"}) is None
    assert affected_pages(model(), read_handbook([*((page.src_uri, page.text) for page in model().pages.values()
                                                    if page.uri != "speeches/s.md"),
                                                  ("speeches/s.md", SPEECH.replace("做好", "抓好"))]), {"speeches/s.md"}) is None
