"""Publish the handbook on the intranet web server, and roll it back.

    make publish DEST=/srv/handbook     (python tools/publish.py publish DEST [--keep N])
    make rollback DEST=/srv/handbook    (python tools/publish.py rollback DEST [--to RELEASE])
    python tools/publish.py list DEST

DEST/releases/<UTC time>-<version>/   complete releases, oldest first by name (version as in the footer)
DEST/releases/.incoming-<name>/       a release being built; never served, removed by the next publish
DEST/live -> releases/<name>          what nginx serves (deploy/nginx/handbook.conf)
DEST/.lock                            one publish or rollback at a time (the others wait)
DEST/releases/<name>/clause-record.json  the clauses a release published: the next publish's 修订记录 lists what
                                      changed since the live release's record (hooks/handbook/revisions.py)

A publish builds the release with tools/release.py into .incoming-<name> (the strict build runs every
check: links, 保密 gate, parity, citations), checks that it holds what the server needs, renames it into
place and only then points `live` at it: a new symlink renamed over the old one, which is atomic. A failure
or an interruption at any step leaves `live`, and the release it points to, as they were. The newest KEEP
releases are kept, and never deleted: the live one and the one a rollback would go to.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS.parent / "hooks"))

from build_info import build_version  # noqa: E402  (the footer's version names the release)
from handbook.revisions import RECORD_FILE  # noqa: E402  (each release's clause record, for the next one's 修订记录)
from release import CONFIG, build_release  # noqa: E402

KEEP = 5
INCOMING = ".incoming-"
LIVE_TEMP = ".live-"
TIME_FORMAT = "%Y%m%dT%H%M%SZ"
# What nginx and the search box rely on (deploy/nginx/handbook.conf: the 404 pages; Material: the index).
REQUIRED = ("index.html", "404.html", "en/index.html", "en/404.html", "search/search_index.json",
            "en/search/search_index.json", "clause-record.json",
            "downloads/handbook-zh.pdf", "en/downloads/handbook-en.pdf", "downloads/handbook-offline.zip")


class PublishError(Exception):
    """A one-line message: what failed and how to fix it."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def release_names(dest: Path) -> list[str]:
    """The complete releases in DEST, oldest first (names start with their UTC time)."""
    folder = dest / "releases"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def live_release(dest: Path) -> str | None:
    """The release DEST/live points to, or None before the first publish."""
    live = dest / "live"
    if not live.is_symlink():
        if live.exists():
            raise PublishError(f"publish: {live} is not a symlink; move it away (nginx must serve DEST/live, "
                               "which publish points at a release)")
        return None
    target = Path(os.readlink(live))
    if target.parent != Path("releases") or not (dest / target).is_dir():
        raise PublishError(f"publish: {live} points to {target}, not to a release in {dest / 'releases'}; "
                           "point it at one (`python tools/publish.py list DEST`) or remove it")
    return target.name


def previous_release(dest: Path, name: str | None) -> str | None:
    """The release a rollback from ``name`` goes to: the newest one older than it."""
    older = [release for release in release_names(dest) if name is not None and release < name]
    return older[-1] if older else None


@contextlib.contextmanager
def publish_lock(dest: Path) -> Iterator[None]:
    """Hold DEST/.lock; another publish or rollback waits for it (the kernel releases it if we die)."""
    with open(dest / ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"publish: waiting for another publish or rollback in {dest} to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def sync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable, so a power cut cannot bring back the old state of the pointer."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def point_live_at(dest: Path, name: str) -> None:
    """Swap DEST/live to releases/<name> atomically: nginx sees the old release or the new one, never neither."""
    temporary = dest / f"{LIVE_TEMP}{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(Path("releases") / name, temporary)  # relative: DEST can be moved or mounted elsewhere
    os.replace(temporary, dest / "live")
    sync_directory(dest)


def remove_tree(path: Path) -> None:
    """Delete a release directory, also when a part of it was made unreadable (we own it: make it ours again)."""
    def retry_after_chmod(_function, failed, _error):
        for directory in (os.path.dirname(failed), failed):
            with contextlib.suppress(OSError):
                os.chmod(directory, 0o700, follow_symlinks=False)
        with contextlib.suppress(FileNotFoundError):  # removed already, by the retry of a parent
            if os.path.isdir(failed) and not os.path.islink(failed):
                shutil.rmtree(failed, onerror=retry_after_chmod)
            else:
                os.unlink(failed)

    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=retry_after_chmod)


def remove_leftovers(dest: Path) -> list[str]:
    """Half-built releases and temporary pointers of an interrupted publish (we hold the lock: none is in use)."""
    removed = []
    for path in sorted((dest / "releases").glob(INCOMING + "*")):
        remove_tree(path)
        removed.append(path.name)
    for path in dest.glob(LIVE_TEMP + "*"):
        path.unlink()
        removed.append(path.name)
    return removed


def new_release_name(dest: Path, project: Path) -> str:
    """<UTC time>-<version>, later than every existing release so that name order is publish order."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for name in release_names(dest)[-1:]:
        with contextlib.suppress(ValueError):  # a directory someone put there by hand
            newest = datetime.strptime(name.split("-")[0], TIME_FORMAT).replace(tzinfo=timezone.utc)
            now = max(now, newest + timedelta(seconds=1))  # two publishes within one second
    return f"{now.strftime(TIME_FORMAT)}-{build_version(project)['version']}"


def missing_files(site: Path) -> list[str]:
    return [name for name in REQUIRED if not (site / name).is_file()]


def unreadable_paths(site: Path) -> list[str]:
    """Files and directories of a release that nginx's workers (another user: www-data) could not read.

    Judged by the permission bits for others, since publish may run as the owner or as root, who can read
    anything; a directory nobody may list stops the walk, and is reported as well.
    """
    found: list[str] = []

    def cannot_list(error: OSError) -> None:
        found.append(os.path.relpath(error.filename, site) if error.filename else str(error))

    for root, directories, files in os.walk(site, onerror=cannot_list):
        for name in directories:
            path = os.path.join(root, name)
            if os.stat(path).st_mode & 0o005 != 0o005:
                found.append(os.path.relpath(path, site) + "/")
        for name in files:
            path = os.path.join(root, name)
            if not os.stat(path).st_mode & 0o004:
                found.append(os.path.relpath(path, site))
    if os.stat(site).st_mode & 0o005 != 0o005:
        found.insert(0, "./")
    return found


def prune(dest: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` releases, never the live one or the one a rollback would go to."""
    names = release_names(dest)
    live = live_release(dest)
    kept = set(names[-keep:]) | {live, previous_release(dest, live)}
    removed = [name for name in names if name not in kept]
    for name in removed:
        remove_tree(dest / "releases" / name)
    return removed


def publish(dest: Path, keep: int = KEEP, config_file: Path = CONFIG,
            build: Callable[..., None] = build_release) -> str:
    """Build, check and switch to a new release; returns its name. Raises PublishError, live unchanged."""
    if keep < 1:
        raise PublishError(f"publish: keep must be at least 1 (got {keep})")
    dest = dest.absolute()
    (dest / "releases").mkdir(parents=True, exist_ok=True)
    with publish_lock(dest):
        for leftover in remove_leftovers(dest):
            log(f"publish: removed {leftover}, left by an interrupted publish")
        before = live_release(dest)
        unchanged = f"the live site is unchanged ({'releases/' + before if before else 'nothing published yet'})"
        name = new_release_name(dest, config_file.parent)
        incoming, release = dest / "releases" / f"{INCOMING}{name}", dest / "releases" / name
        try:
            # The 修订记录 lists what changed since the live release (a first publish: since the registry).
            record = dest / "releases" / before / RECORD_FILE if before else None
            try:
                build(incoming, config_file=config_file,
                      previous_record=record if record is not None and record.is_file() else None)
            except SystemExit as failure:  # tools/release.py's way of failing, with its message
                raise PublishError(f"{failure}; {unchanged}") from None
            if missing := missing_files(incoming):
                raise PublishError(f"publish: the release lacks {', '.join(missing)}, which the server needs; "
                                   f"{unchanged}. Check the build's templates and hooks")
            if unreadable := unreadable_paths(incoming):
                raise PublishError(f"publish: nginx could not read {len(unreadable)} path(s) of the release (first: "
                                   f"{unreadable[0]}); {unchanged}. Publish with umask 022")
            os.rename(incoming, release)
            sync_directory(dest / "releases")
            point_live_at(dest, name)
        except BaseException as failure:
            # live still points where it did: a release it never pointed at is not left to be rolled back to.
            with contextlib.suppress(OSError):  # renamed back, so that what cannot go now the next publish removes
                live = dest / "live"
                if release.exists() and not (live.is_symlink() and os.readlink(live) == f"releases/{name}"):
                    os.rename(release, incoming)
            with contextlib.suppress(OSError):
                remove_tree(incoming)
            if isinstance(failure, OSError):  # a full disk, a directory made unreadable: one line, no traceback
                hint = " Free space in DEST (`df -h DEST`) and publish again" if failure.errno == errno.ENOSPC else ""
                raise PublishError(f"publish: {failure.strerror or failure} ({failure.filename or dest}); "
                                   f"{unchanged}.{hint}") from None
            raise
        try:
            removed = prune(dest, keep)
        except OSError as error:  # published all the same: the old release stays until a later publish
            log(f"publish: could not remove an old release ({error}); the next publish tries again")
            removed = []
    previous = f"the previous release is {before} (`make rollback DEST={dest}` goes back to it)" if before else \
        "the first release"
    log(f"publish: live is now releases/{name}; {previous}"
        + (f"; removed {len(removed)} old release(s)" if removed else ""))
    return name


def rollback(dest: Path, to: str | None = None) -> tuple[str, str]:
    """Point live at the release before the live one (or at ``to``); returns (from, to)."""
    dest = dest.absolute()
    if not (dest / "releases").is_dir():
        raise PublishError(f"rollback: {dest} has no releases; publish first (make publish DEST={dest})")
    with publish_lock(dest):
        current = live_release(dest)
        target = to if to is not None else previous_release(dest, current)
        if target is None:
            raise PublishError(f"rollback: no release older than the live one ({current}) in {dest / 'releases'}; "
                               "nothing to roll back to")
        if target not in release_names(dest):
            raise PublishError(f"rollback: no release {target} in {dest / 'releases'}; "
                               "`python tools/publish.py list DEST` shows them")
        point_live_at(dest, target)
    log(f"rollback: live is now releases/{target} (was {current}); publish again to go forward")
    return current, target


def describe(dest: Path) -> list[str]:
    live = live_release(dest)
    previous = previous_release(dest, live)
    labels = {live: "  <- live", previous: "  <- rollback goes here"}
    return [name + labels.get(name, "") for name in release_names(dest)]


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    publishing = commands.add_parser("publish", help="build, check and switch to a new release")
    publishing.add_argument("dest", type=Path)
    publishing.add_argument("--keep", type=int, default=KEEP, help=f"releases to keep (default {KEEP})")
    publishing.add_argument("--config-file", type=Path, default=CONFIG, help="another project's mkdocs.yml (tests)")
    rolling_back = commands.add_parser("rollback", help="go back to the previous release")
    rolling_back.add_argument("dest", type=Path)
    rolling_back.add_argument("--to", help="a release name from `list` instead of the previous one")
    listing = commands.add_parser("list", help="the releases, and which one is live")
    listing.add_argument("dest", type=Path)
    args = parser.parse_args(arguments)
    started = time.perf_counter()
    try:
        if args.command == "publish":
            publish(args.dest, keep=args.keep, config_file=args.config_file.absolute())
            log(f"publish: done in {time.perf_counter() - started:.1f} s")
        elif args.command == "rollback":
            rollback(args.dest, args.to)
        else:
            print("\n".join(describe(args.dest.absolute())) or f"no releases in {args.dest}")
    except PublishError as error:
        log(str(error))
        return 1
    except OSError as error:  # e.g. DEST itself unwritable or full before anything was changed
        log(f"{args.command}: {error.strerror or error} ({error.filename or args.dest}); nothing was changed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
