"""Publishing on the intranet (tools/publish.py): a failed or interrupted publish leaves the live site byte
for byte as it was, rollback goes back one release, concurrent publishes are serialised, old releases go."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_fixture_site, speech_page

sys.path.insert(0, str(REPO / "tools"))
from publish import REQUIRED, PublishError, live_release, main, prune, publish, publish_lock, release_names, rollback  # noqa: E402

PUBLISH = [sys.executable, str(REPO / "tools" / "publish.py")]


def project(tmp_path: Path, index: str, **pages: str) -> Path:
    """A small site (the real hooks and settings) whose home page says ``index``; returns its mkdocs.yml."""
    return make_fixture_site(tmp_path, {"index.md": f"# 首页\n\n{index}\n", **pages}) / "mkdocs.yml"


def snapshot(dest: Path) -> dict[str, str]:
    """Where live points and a digest of every file it serves."""
    live = dest / "live"
    files = {str(path.relative_to(live)): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(live.rglob("*")) if path.is_file()}
    return {"-> live": os.readlink(live), **files}


def home_text(dest: Path) -> str:
    return (dest / "live" / "index.html").read_text(encoding="utf-8")


def leftovers(dest: Path) -> list[str]:
    return [p.name for p in [*(dest / "releases").glob(".*"), *dest.glob(".live-*")]]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """(DEST after one real publish of a fixture site saying 第一版, its project's mkdocs.yml)."""
    tmp = tmp_path_factory.mktemp("published")
    config = project(tmp, "第一版")
    publish(tmp / "dest", config_file=config)
    return tmp / "dest", config


@pytest.fixture
def dest(published, tmp_path) -> Path:
    """A private copy of the published DEST (live is a relative symlink, so the copy stands alone)."""
    copy = tmp_path / "dest"
    shutil.copytree(published[0], copy, symlinks=True)
    return copy


def fake_build(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
    """A release in milliseconds, for the bookkeeping tests: what the server needs and nothing else."""
    for name in REQUIRED:
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_text(name, encoding="utf-8")


def test_publish_points_live_at_a_complete_release(dest: Path):
    (name,) = release_names(dest)
    assert re.fullmatch(r"\d{8}T\d{6}Z-\S+", name)
    assert os.readlink(dest / "live") == f"releases/{name}"  # relative: DEST can move
    assert all((dest / "live" / required).is_file() for required in REQUIRED)
    assert "第一版" in home_text(dest)
    assert leftovers(dest) == []


@pytest.mark.parametrize("page", [
    "见[不存在的页面](missing.md)。",  # the link check
    "联系电话：13912345678。",  # the 保密 gate
], ids=["broken-link", "secrecy"])
def test_a_failing_check_leaves_the_live_site_unchanged(dest: Path, tmp_path: Path, page: str):
    before, names = snapshot(dest), release_names(dest)
    broken = project(tmp_path, "第二版", **{"broken.md": f"# 坏页\n\n{page}\n"})
    with pytest.raises(PublishError) as failure:
        publish(dest, config_file=broken)
    message = str(failure.value)
    assert "\n" not in message and f"the live site is unchanged (releases/{names[0]})" in message
    assert snapshot(dest) == before
    assert release_names(dest) == names and leftovers(dest) == []


def test_a_release_missing_what_the_server_needs_is_not_published(dest: Path):
    before = snapshot(dest)

    def without_404_pages(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
        fake_build(site_dir, config_file)
        (site_dir / "404.html").unlink()

    with pytest.raises(PublishError, match="lacks 404.html"):
        publish(dest, build=without_404_pages)
    assert snapshot(dest) == before and leftovers(dest) == []


def test_rollback_restores_the_previous_release(dest: Path, tmp_path: Path, capsys):
    first = snapshot(dest)
    (old,) = release_names(dest)
    new = publish(dest, config_file=project(tmp_path, "第二版"))
    assert "第二版" in home_text(dest)
    assert rollback(dest) == (new, old)
    assert snapshot(dest) == first
    assert f"rollback: live is now releases/{old} (was {new})" in capsys.readouterr().err
    # Nothing older: the command says so in one line and changes nothing.
    assert main(["rollback", str(dest)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "nothing to roll back to" in error
    assert snapshot(dest) == first
    # Forward again, by name.
    assert rollback(dest, to=new) == (old, new) and "第二版" in home_text(dest)


def test_concurrent_publishes_are_serialised(dest: Path, tmp_path: Path):
    config = project(tmp_path, "第二版")
    # Hold the lock until both publishes are waiting for it, so that they really contend.
    with publish_lock(dest):
        runs = [subprocess.Popen([*PUBLISH, "publish", str(dest), "--config-file", str(config)],
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for run in runs:
            assert "waiting for another publish" in run.stderr.readline()
    outputs = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    names = release_names(dest)
    assert len(names) == 3 and live_release(dest) == names[-1] and leftovers(dest) == []
    assert all((dest / "releases" / name / required).is_file() for name in names for required in REQUIRED)
    assert "第二版" in home_text(dest)
    # One build after the other: every page of the second release was written after the first was complete.
    pages = [[p.stat().st_mtime_ns for p in (dest / "releases" / name).rglob("*.html")] for name in names[1:]]
    assert max(pages[0]) < min(pages[1])


# A check that is still running when the publish is killed: a test-only hook in the fixture project.
STALL_HOOK = """\
import time
from pathlib import Path


def on_post_build(config):
    (Path(config.config_file_path).parent / "stalled").touch()
    time.sleep(600)
"""


def test_an_interrupted_publish_leaves_the_live_site_unchanged_and_is_cleaned_up(dest: Path, tmp_path: Path, capsys):
    before = snapshot(dest)
    config = project(tmp_path, "第二版")
    (config.parent / "hooks" / "stall.py").write_text(STALL_HOOK, encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("hooks:\n", "hooks:\n  - hooks/stall.py\n", 1),
                      encoding="utf-8")
    run = subprocess.Popen([*PUBLISH, "publish", str(dest), "--config-file", str(config)],
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (config.parent / "stalled").exists():
            assert run.poll() is None, "the publish ended before its build reached the stalling hook"
            assert time.monotonic() < deadline, "the build never reached the stalling hook"
            time.sleep(0.05)
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the publish and its build, as a power cut or `kill -9` would
        run.wait()
    assert snapshot(dest) == before
    assert [name.split("-")[0] for name in leftovers(dest)] == [".incoming"]  # the half-built release

    (config.parent / "hooks" / "stall.py").write_text("", encoding="utf-8")
    publish(dest, config_file=config)
    assert "left by an interrupted publish" in capsys.readouterr().err
    assert leftovers(dest) == [] and "第二版" in home_text(dest)


def test_old_releases_are_pruned_but_never_the_live_one_or_the_rollback_target(tmp_path: Path):
    dest = tmp_path / "dest"
    names = [publish(dest, keep=3, build=fake_build) for _ in range(5)]
    assert names == sorted(names) and len(set(names)) == 5  # publish order, even within one second
    assert release_names(dest) == names[2:]
    rollback(dest, to=names[2])  # the oldest kept release is live, nothing older to roll back to
    assert prune(dest, keep=1) == [names[3]]  # names[4] is the newest, names[2] is live
    rollback(dest, to=names[4])  # live names[4], a rollback would go to names[2]
    assert prune(dest, keep=1) == [] and release_names(dest) == [names[2], names[4]]


def test_make_publish_and_rollback_require_dest():
    for target in ("publish", "rollback"):
        environment = {key: value for key, value in os.environ.items() if key != "DEST"}
        result = subprocess.run(["make", "--no-print-directory", target], cwd=REPO, capture_output=True, text=True,
                                env=environment)
        assert result.returncode != 0 and "DEST" in result.stderr, result.stderr


def test_the_next_publish_compares_with_the_live_releases_clause_record(dest: Path):
    """The 修订记录 of a publish lists what changed since the live release: the build is given its record."""
    (live,) = release_names(dest)
    record = dest / "releases" / live / "clause-record.json"
    assert record.is_file()
    given = []

    def recording_build(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
        given.append(previous_record)
        fake_build(site_dir, config_file)

    publish(dest, build=recording_build)
    assert given == [record]


# --- faults while publishing: a full disk, a release nginx cannot read ------------------------------------

def disk_usage(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture
def small_disk(tmp_path: Path):
    """A size-limited tmpfs mounted at a temporary directory (root only); resize(bytes) changes its size."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the simulated ENOSPC tests stand in")

    def resize(size: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(mount_point)], check=True)

    try:
        yield mount_point, resize
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=False)


def test_a_disk_that_fills_up_during_a_publish_leaves_live_unchanged(published, small_disk, tmp_path: Path):
    mount_point, resize = small_disk
    dest = mount_point / "dest"
    shutil.copytree(published[0], dest, symlinks=True)
    used = disk_usage(dest)
    # Room for about half a release more: the new release's build runs out of space midway.
    resize(used + used // 2 + 1024 * 1024)
    before, names = snapshot(dest), release_names(dest)
    config = project(tmp_path, "第二版")
    run = subprocess.run([*PUBLISH, "publish", str(dest), "--config-file", str(config)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "No space left on device" in run.stderr and "Traceback" not in run.stderr
    assert f"the live site is unchanged (releases/{names[0]})" in run.stderr.strip().splitlines()[-1]
    assert snapshot(dest) == before and release_names(dest) == names
    assert leftovers(dest) == [] and not list((dest / "releases").glob("*.offline"))  # the space is given back
    # With room again, the next publish goes through.
    resize(4 * used + 16 * 1024 * 1024)
    publish(dest, config_file=config)
    assert "第二版" in home_text(dest) and leftovers(dest) == [] and len(release_names(dest)) == 2


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[-1]) if args else None)


def test_a_full_disk_while_writing_the_release_is_one_line_and_changes_nothing(dest: Path, capsys):
    before, names = snapshot(dest), release_names(dest)

    def build_until_full(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
        fake_build(site_dir, config_file)
        no_space(site_dir / "search" / "search_index.json")  # as a write of the build would fail

    with pytest.raises(PublishError) as failure:
        publish(dest, build=build_until_full)
    message = str(failure.value)
    assert "\n" not in message and "No space left on device" in message and "df -h DEST" in message
    assert f"the live site is unchanged (releases/{names[0]})" in message
    assert snapshot(dest) == before and release_names(dest) == names and leftovers(dest) == []


def test_a_full_disk_while_switching_live_leaves_the_previous_release_live(dest: Path, monkeypatch):
    import publish as publishing

    before, names = snapshot(dest), release_names(dest)
    monkeypatch.setattr(publishing.os, "symlink", no_space)  # the new pointer needs an inode the disk lacks
    with pytest.raises(PublishError, match="No space left on device"):
        publish(dest, build=fake_build)
    # The release that never went live is not left behind, to be rolled back to by mistake.
    assert snapshot(dest) == before and release_names(dest) == names and leftovers(dest) == []


def test_a_failure_the_publish_cannot_tidy_is_tidied_by_the_next_one(dest: Path, monkeypatch, capsys):
    import publish as publishing

    before = snapshot(dest)
    monkeypatch.setattr(publishing.os, "symlink", no_space)
    monkeypatch.setattr(publishing, "remove_tree", no_space)  # the disk is so full that even a delete fails
    with pytest.raises(PublishError):
        publish(dest, build=fake_build)
    assert snapshot(dest) == before and [name.split("-")[0] for name in leftovers(dest)] == [".incoming"]
    monkeypatch.undo()
    name = publish(dest, build=fake_build)
    assert "left by an interrupted publish" in capsys.readouterr().err
    assert live_release(dest) == name and leftovers(dest) == []


def test_a_release_nginx_cannot_read_is_not_published(dest: Path):
    before, names = snapshot(dest), release_names(dest)

    def build_unreadable(site_dir: Path, config_file: Path, previous_record: Path | None = None) -> None:
        fake_build(site_dir, config_file)
        (site_dir / "search").chmod(0o000)  # e.g. a umask of 077, or a chmod by hand

    with pytest.raises(PublishError, match=r"nginx could not read 1 path\(s\) of the release \(first: search/\)"):
        publish(dest, build=build_unreadable)
    assert snapshot(dest) == before and release_names(dest) == names and leftovers(dest) == []


def test_unreadable_leftovers_and_old_releases_are_removed(tmp_path: Path, capsys):
    dest = tmp_path / "dest"
    names = [publish(dest, keep=3, build=fake_build) for _ in range(3)]
    # An interrupted publish left a half-built release, part of it unreadable; an old release was locked up.
    incoming = dest / "releases" / ".incoming-20000101T000000Z-x"
    (incoming / "search").mkdir(parents=True)
    (incoming / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    (incoming / "search").chmod(0o000)
    oldest = dest / "releases" / names[0]
    for path in oldest.rglob("*"):
        path.chmod(0o000)
    oldest.chmod(0o000)
    before = snapshot(dest)
    name = publish(dest, keep=2, build=fake_build)
    assert live_release(dest) == name and snapshot(dest) != before
    assert release_names(dest) == [names[2], name] and leftovers(dest) == []


def test_publish_and_release_refuse_a_speech_in_progress(tmp_path: Path, capsys):
    """A draft (status: draft in sources/speeches.yml) is never published: one line naming it, before any build."""
    dest = tmp_path / "dest"
    live = publish(dest, build=fake_build)
    before = snapshot(dest)
    draft = make_fixture_site(tmp_path / "draft", {"index.md": "# 首页\n", "speeches/t.md": speech_page()}, sources={
        "test.txt": "同志们：\n要做好测试工作。\n", "speeches.yml": "test.txt:\n  slug: t\n  status: draft\n"}) / "mkdocs.yml"
    with pytest.raises(PublishError) as failure:
        publish(dest, config_file=draft)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("release: 1 speech(es) in progress (status: draft): test.txt (sources/speeches.yml:1); ")
    assert message.endswith(f"the live site is unchanged (releases/{live})")
    assert snapshot(dest) == before and release_names(dest) == [live] and leftovers(dest) == []

    # make release: the same line, exit status 1, nothing built.
    release = subprocess.run([sys.executable, str(REPO / "tools" / "release.py"), str(tmp_path / "release"),
                              "--config-file", str(draft)], capture_output=True, text=True)
    assert release.returncode == 1 and release.stderr.count("\n") == 1, release.stderr
    assert "test.txt (sources/speeches.yml:1)" in release.stderr and "nothing was built" in release.stderr
    assert not (tmp_path / "release").exists()
