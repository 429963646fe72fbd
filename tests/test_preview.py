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
# As the Makefile's serve target runs it: EDITION=zh builds the Chinese edition alone; EDITION=en both languages.
EDITIONS = {"zh": {"BUILD_ONLY_LOCALE": "zh"}, "en": {}}


@dataclasses.dataclass(frozen=True)
class Edit:
    """An edit of one page of an edition: a clause's title, another clause's rule; and where a planted error goes."""

    page: str
    title: tuple[str, str]
    rule: tuple[str, str]
    before: str  # the line the planted errors are put before
    citation: str  # a citation that quotes words its paragraph does not hold
    url: str  # the edited page's URL


EDITS = {
    "zh": Edit("docs/norms/secrecy.md",
               ("认清办公室的机密性要求，强化保密意识 {", "认清办公室的机密性要求，强化保密意识和纪律 {"),
               ("规范管理涉密文件和存储介质 { #保密-02 }\n\n", "规范管理涉密文件和存储介质 { #保密-02 }\n\n预览编辑的一句话：牢记三服务。"),
               "## 涉密载体管理", '依据：[@city-office-directors-training#p4 "这句话不在讲话里"]', "norms/secrecy/"),
    "en": Edit("docs/norms/secrecy.en.md",
               ("and strengthen awareness of secrecy {", "and strengthen awareness of secrecy and discipline {"),
               ("storage media in a standardised way { #保密-02 }\n\n", "storage media in a standardised way { #保密-02 }\n\n"
                                                                       "A sentence of the preview's edit: keep the Three Services in mind. "),
               "## Management of classified carriers", 'Basis: [@city-office-directors-training#p4 "words the speech lacks"]',
               "en/norms/secrecy/"),
}


class Server:
    def __init__(self, project: Path, log: Path, edition: str):
        self.project, self.log, self.port, self.edition = project, log, free_port(), edition
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SERVE_REBUILD": "affected", **EDITIONS[edition]}
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
        deadline = time.time() + 180
        while time.time() < deadline:
            assert self.process.poll() is None, self.output()[-3000:]
            new = self.output()[before:]
            if "Reloading browsers" in new or "An error happened during the rebuild" in new:
                return new
            time.sleep(0.1)
        raise AssertionError(f"no rebuild within 180 s:\n{self.output()[-3000:]}")

    def full_build(self, site: Path) -> Path:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EDITIONS[self.edition]}
        result = subprocess.run([sys.executable, "-c", FULL_BUILD, str(site), self.url], cwd=self.project, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        return site


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def server(request, tmp_path_factory):
    project = tmp_path_factory.mktemp(f"preview-{request.param}") / "project"
    clone_working_tree(project)  # committed, as an editor's checkout is before the first edit
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=Preview test", "-c", "user.email=preview@localhost", "commit", "--quiet",
                    "--allow-empty", "-m", "the working tree"], cwd=project, check=True)
    served = Server(project, project.parent / "serve.log", request.param)
    try:
        deadline = time.time() + 300
        while "Serving on" not in served.output():
            assert time.time() < deadline and served.process.poll() is None, served.output()[-3000:]
            time.sleep(0.2)
        yield served
    finally:
        served.process.terminate()
        served.process.wait(timeout=30)


def test_after_a_save_every_served_page_of_the_edition_is_the_full_builds(server: Server, tmp_path: Path):
    """A clause's title and another's rule edited, the rule now naming a principle: the saved page and the pages showing
    them (the 工作规范 index, 常见问题, 修订记录, the speeches citing it, the principle's page, the 提法索引, ...) are rendered
    again, and no served page of the edition differs from a full build's."""
    edit = EDITS[server.edition]
    text = (server.project / edit.page).read_text(encoding="utf-8")
    # The first edit of a clean tree: the version in every page's footer gains its '+', so the whole site is built.
    log = server.save(edit.page, text + "\n")
    assert "[preview] the version every page's footer shows changed" in log and "[preview] docs/" not in log, log
    edited = text.replace(*edit.title, 1).replace(*edit.rule, 1)
    assert edit.title[1] in edited and edit.rule[1] in edited
    log = server.save(edit.page, edited)
    preview = re.search(rf"\[preview\] {re.escape(edit.page)} saved: (\d+) pages? rendered again", log)
    assert preview, log  # rendered by the preview, not by a full rebuild
    assert "ERROR" not in log and "WARNING" not in log, log

    site = server.full_build(tmp_path / "site")
    prefix = "" if server.edition == "zh" else "en/"
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    pages = [page for page in pages if page.startswith(prefix)]
    assert 0 < int(preview[1]) < len(pages) / 4
    differing = [page for page in pages if LIVERELOAD.sub("", server.get(page)) != (site / page).read_text(encoding="utf-8")]
    assert not differing, f"served pages that differ from the full build: {differing}"
    assert edit.rule[1].split("\n")[-1][:8] in server.get(edit.url)
    principle = server.get(edit.url.replace("norms/secrecy/", "principles/san-fu-wu/"))
    assert "保密-02" in principle  # where the principle occurs: the edited clause now, rendered by the preview


def test_a_planted_error_in_the_saved_page_shows_in_the_serve_log_with_file_and_line(server: Server):
    edit = EDITS[server.edition]
    lines = (server.project / edit.page).read_text(encoding="utf-8").split("\n")
    at = lines.index(edit.before)  # before it: a citation that quotes wrongly, a mobile number, a link to no paragraph
    lines[at:at] = [edit.citation, "", "值班电话 13812345678。", "", "[¶999](../speeches/county-gov-office-2020.md#p999)", ""]
    log = server.save(edit.page, "\n".join(lines))
    if "footer shows changed" in log:  # run alone, this was the tree's first edit: the next save is previewed
        log = server.save(edit.page, "\n".join(lines) + "\n")
    assert f"[preview] {edit.page} saved" in log, log
    assert re.search(rf"ERROR.*{re.escape(edit.page)}:{at + 1}: .*citation", log), log
    assert re.search(rf"ERROR.*{re.escape(edit.page)}:{at + 3}: .*保密", log), log
    assert re.search(rf"ERROR.*{re.escape(edit.page)}:{at + 5}: .*#p999", log), log  # the link check of the built page
    assert "值班电话" in server.get(edit.url)  # still previewed: the editor sees the page and the log


# What an edit affects, on the model alone -----------------------------------------------------------------

SPEECH = "---\ntitle: 讲话\nsource: s.txt\nshort_title: 讲话\n---\n\n同志们：\n\n要把保密工作做好。\n"
NORM = "# 保密\n\n### 保密-01 {title} {{ #保密-01 }}\n\n{rule}\n\n适用：{scope}\n\n依据：[@s#p2 \"把保密工作做好\"]\n"


def model(title: str = "做好保密", rule: str = "要做好保密工作。", scope: str = "长期有效 · 县委办公室"):
    return read_handbook([("speeches/s.md", SPEECH), ("norms/x.md", NORM.format(title=title, rule=rule, scope=scope)),
                          ("norms/index.md", "# 工作规范\n\n<!-- norms-index -->\n"), ("faq.md", "# 常见问题\n\n<!-- common-questions -->\n"),
                          ("index.md", "# 首页\n")])


def test_a_rule_edit_affects_its_page_only_and_a_title_edit_the_pages_naming_the_clause():
    assert affected_pages(model(), model(rule="要做好保密工作，不得泄密。"), {"norms/x.md"}) == {"norms/x.md"}
    assert affected_pages(model(), model(title="做好保密工作"), {"norms/x.md"}) == {"norms/x.md", "norms/index.md",
                                                                                 "faq.md", "speeches/s.md"}


def test_a_scope_edit_affects_the_norms_index_which_lists_each_clauses_scope():
    assert affected_pages(model(), model(scope="2020年度任务 · 县委办公室"), {"norms/x.md"}) == {"norms/x.md", "norms/index.md"}


def test_a_changed_page_title_or_speech_affects_every_page():
    edited = model()
    edited.pages["index.md"] = dataclasses.replace(edited.pages["index.md"], meta={"title": "新首页"})
    assert affected_pages(model(), edited, {"index.md"}) is None
    assert affected_pages(model(), read_handbook([*((page.src_uri, page.text) for page in model().pages.values()
                                                    if page.uri != "speeches/s.md"),
                                                  ("speeches/s.md", SPEECH.replace("做好", "抓好"))]), {"speeches/s.md"}) is None
