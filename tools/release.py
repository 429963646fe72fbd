"""Build one complete release of the handbook into a directory: ``python tools/release.py DIR``.

A release is what the intranet serves: the strict zh+en build (every check of the hooks runs in it:
links, 保密 gate, parity, citations) with its downloads — the PDFs of both languages (full handbook and
新人入职 pack, rendered by hooks/downloads.py) and the offline site as a zip that opens from file://.
Exits non-zero, with the build's own messages, when any step fails; DIR is then incomplete and must
not be published (tools/publish.py never does). A speech in progress (`status: draft` in sources/speeches.yml)
stops it before anything is built, with one line naming the speech.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.drafts import SPEECHES_FILE, read_drafts  # noqa: E402

CONFIG = REPO / "mkdocs.yml"
OFFLINE_FOLDER = "office-handbook"  # what the zip unpacks to; the README and the home page name it


def mkdocs_build(site_dir: Path, extra_env: dict[str, str] | None = None, config_file: Path = CONFIG) -> None:
    """A strict build of the site (the real one unless ``config_file`` names another project, as test
    fixtures do) into ``site_dir``; raises SystemExit with the log when it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    command = [sys.executable, __file__, MKDOCS_CHILD, "build", "--strict", "--config-file", str(config_file),
               "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=config_file.parent, env=env)
    if result.returncode != 0:
        raise SystemExit(f"release: the strict build into {site_dir} failed (exit {result.returncode}); "
                         "fix the errors above and build again")


MKDOCS_CHILD = "--mkdocs"


def mkdocs_child(arguments: list[str]) -> int:
    """mkdocs' own command line, in the child process of mkdocs_build, less the traceback of a failed write.

    A full disk or a directory that cannot be written to is a fault of the machine, not of the site:
    one line saying which file and why is what the person publishing needs (mkdocs prints a traceback).
    """
    from mkdocs.__main__ import cli

    try:
        cli.main(arguments, prog_name="mkdocs")  # exits itself, with mkdocs' status
    except OSError as error:
        where = error.filename2 or error.filename or ""
        print(f"release: the build could not write {where}: {error.strerror or error}"
              + ("; free space on that disk (`df -h`)" if error.errno == errno.ENOSPC else ""), file=sys.stderr)
        return 1
    return 0


def zip_site(site_dir: Path, archive: Path) -> int:
    """Zip a built site under one folder, in a stable order; returns the number of files."""
    files = sorted(path for path in site_dir.rglob("*") if path.is_file())
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in files:
            bundle.write(path, f"{OFFLINE_FOLDER}/{path.relative_to(site_dir).as_posix()}")
    return len(files)


def step(number: int, total: int, text: str) -> None:
    print(f"release: [{number}/{total}] {text}", file=sys.stderr, flush=True)


def refuse_drafts(project: Path) -> None:
    """A speech in progress is never released: one line naming it (or what is wrong with sources/speeches.yml)."""
    drafts, problems = read_drafts(project)
    if problems:
        raise SystemExit(f"release: {problems[0]}; nothing was built")
    if drafts:
        named = ", ".join(f"{source} ({SPEECHES_FILE}:{line})" for source, line in drafts.items())
        raise SystemExit(f"release: {len(drafts)} speech(es) in progress (status: draft): {named}; finish each "
                         "(every paragraph cited or listed as non-normative), remove its `status: draft` line and "
                         "release again; nothing was built")


def build_release(site_dir: Path, config_file: Path = CONFIG, previous_record: Path | None = None) -> None:
    """``previous_record``: the live release's clause record, which the 修订记录 compares with (a publish gives it)."""
    refuse_drafts(config_file.parent)
    started = time.perf_counter()
    record = {"HANDBOOK_PREVIOUS_RECORD": str(previous_record)} if previous_record else {}
    # Beside the release, so an interrupted publish leaves it where the next publish cleans up
    # (tools/publish.py removes DEST/releases/.incoming-*), not in /tmp.
    scratch = site_dir.with_name(site_dir.name + ".offline")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        offline_site, archive = scratch / "site", scratch / "handbook-offline.zip"
        step(1, 3, "the offline site (file://, Material's offline plugin)")
        mkdocs_build(offline_site, {"HANDBOOK_OFFLINE": "true", **record}, config_file)
        count = zip_site(offline_site, archive)
        step(1, 3, f"offline site zipped: {count} files, {archive.stat().st_size / 1e6:.1f} MB")
        step(2, 3, f"the site with its PDFs and the offline zip, into {site_dir}")
        mkdocs_build(site_dir, {"HANDBOOK_PDF": "true", "HANDBOOK_OFFLINE_ZIP": str(archive), **record}, config_file)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    step(3, 3, f"release complete in {time.perf_counter() - started:.1f} s: {site_dir}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", type=Path, help="where to build the release (created; must not hold another site)")
    parser.add_argument("--config-file", type=Path, default=CONFIG, help="another project's mkdocs.yml (test fixtures)")
    args = parser.parse_args()
    build_release(args.site_dir.resolve(), config_file=args.config_file.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(mkdocs_child(sys.argv[2:]) if sys.argv[1:2] == [MKDOCS_CHILD] else main())
