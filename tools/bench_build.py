"""One timed build, in this process, with the time spent in each of the project's hooks.

    python tools/bench_build.py CONFIG SITE_DIR [--no-hooks | --drop-hook hooks/x.py …]   # one line of JSON

The benchmark runs this in a fresh child per build (measure_build), so no hook state or cache
survives from one build to the next. mkdocs reports no time per plugin or hook, so each event function of our hook
modules is wrapped with a timer in config.plugins.events; static-i18n builds every language on the
same config, so the timers add up over the languages. The build is --strict, like every build.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import run_measured  # noqa: E402

ALL_HOOKS = "all"


@dataclass(frozen=True)
class BuildRun:
    wall_seconds: float  # the child's whole life: interpreter, imports, config, build
    cpu_seconds: float  # the same, in CPU time (git and other subprocesses included)
    peak_rss_bytes: int
    hook_seconds: dict[str, float]  # CPU seconds per hook module, summed over the languages

    @property
    def hooks_total(self) -> float:
        return sum(self.hook_seconds.values())


def measure_build(config_file: Path, site_dir: Path, drop_hooks: str | list[str] = (), env: dict | None = None) -> BuildRun:
    """One strict build in a fresh child; drop_hooks=ALL_HOOKS switches every project hook off; ``env`` adds
    environment variables (the !ENV switches of mkdocs.yml).

    Exits with the build's messages when it fails: a failed build would time nothing.
    """
    command = [sys.executable, __file__, str(config_file), str(site_dir)]
    if drop_hooks == ALL_HOOKS:
        command.append("--no-hooks")
    else:
        for hook in drop_hooks:
            command += ["--drop-hook", hook]
    result = run_measured(command, cwd=config_file.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if result.returncode != 0:
        sys.exit(f"bench: the build of {config_file} (dropping {drop_hooks or 'no hooks'}) failed:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return BuildRun(result.wall_seconds, result.cpu_seconds, result.peak_rss_bytes, report["hooks"])


class _IgnorePythonTags(yaml.SafeLoader):
    """mkdocs.yml holds !!python/object tags (the slugify function) and !ENV tags (the release switches),
    which the safe loader refuses; only the hooks list is read here."""


_IgnorePythonTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnorePythonTags.add_constructor("!ENV", lambda loader, node: None)


def configured_hooks(config_file: Path) -> list[str]:
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_IgnorePythonTags) or {}
    return list(config.get("hooks") or [])


def wrap_hook_events(config, seconds_by_hook: dict[str, float]) -> None:
    """Time every event function of the config's hook modules, per module (e.g. 'hooks/citations.py').

    CPU seconds of this process, not wall time: the machine is shared, and a hook that waits for
    another process's turn on the CPU has not cost more.
    """
    hooks = config["hooks"]  # module name (as written in mkdocs.yml) -> module

    def timed(function, hook: str):
        @functools.wraps(function)  # keeps mkdocs_priority
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds_by_hook[hook] += time.process_time() - started
        return wrapper

    for methods in config.plugins.events.values():
        for index, method in enumerate(methods):
            hook = getattr(method, "__module__", None)
            if hook in hooks:
                methods[index] = timed(method, hook)
    # hooks/pipeline.py calls the features from lists: each feature gets its own figure (its time is taken
    # out of the pipeline's own, which keeps what the events do around them).
    for hook, module in hooks.items():
        for name in ("MARKDOWN_STEPS", "CONTENT_STEPS", "POST_BUILD_STEPS", "SITE_STEPS"):
            if isinstance(getattr(module, name, None), tuple):
                setattr(module, name, tuple(timed_step(step, hook, seconds_by_hook) for step in getattr(module, name)))


def timed_step(step, hook: str, seconds_by_hook: dict[str, float]):
    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return step(*args, **kwargs)
        finally:
            spent = time.process_time() - started
            seconds_by_hook[f"{hook}:{step.__name__}"] += spent
            seconds_by_hook[hook] -= spent
    return wrapper


def timed_build(config_file: Path, site_dir: Path, drop_hooks: list[str] | None = None) -> dict:
    """Build as `mkdocs build --strict` does, without the hooks in ``drop_hooks`` (None: all of them);
    the seconds of the whole build and of each hook module."""
    started = time.perf_counter()
    hooks = [] if drop_hooks is None else [hook for hook in configured_hooks(config_file) if hook not in drop_hooks]
    config = load_config(str(config_file), strict=True, site_dir=str(site_dir), hooks=hooks)
    seconds_by_hook: dict[str, float] = defaultdict(float)
    wrap_hook_events(config, seconds_by_hook)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return {"seconds": time.perf_counter() - started, "hooks": dict(seconds_by_hook)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path)
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--no-hooks", action="store_true", help="the same build with the project's hooks switched off")
    parser.add_argument("--drop-hook", action="append", default=[], metavar="HOOK", help="e.g. hooks/search.py")
    args = parser.parse_args()
    handler = logging.StreamHandler(sys.stderr)  # what `mkdocs build` would print: the errors of a failed build
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        drop = None if args.no_hooks else args.drop_hook
        result = timed_build(args.config.resolve(), args.site_dir.resolve(), drop)
    except Abort as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
