"""Build one complete release of the handbook into a directory: ``python tools/release.py DIR``.

A release is what the intranet serves: the strict zh+en build (every check of the hooks runs in it:
links, 保密 gate, parity, citations) plus the downloads. Exits non-zero, with the build's own messages,
when any step fails; DIR is then incomplete and must not be published (tools/publish.py never does).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "mkdocs.yml"


def mkdocs_build(site_dir: Path, extra_env: dict[str, str] | None = None, config_file: Path = CONFIG) -> None:
    """A strict build of the site (the real one unless ``config_file`` names another) into ``site_dir``;
    raises SystemExit with the log when it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config_file),
               "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=config_file.parent, env=env)
    if result.returncode != 0:
        raise SystemExit(f"release: the strict build into {site_dir} failed (exit {result.returncode}); "
                         "fix the errors above and build again")


def build_release(site_dir: Path, config_file: Path = CONFIG) -> None:
    started = time.perf_counter()
    mkdocs_build(site_dir, config_file=config_file)
    print(f"release: built {site_dir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", type=Path, help="where to build the release (created; must not hold another site)")
    parser.add_argument("--config-file", type=Path, default=CONFIG, help="another project's mkdocs.yml (test fixtures)")
    args = parser.parse_args()
    build_release(args.site_dir.resolve(), config_file=args.config_file.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
