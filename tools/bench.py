"""Benchmarks that print figures: ``make bench``.

Build cost of the project's hooks: full zh+en builds with all hooks, without the principles hook,
and with none of the project's hooks, alternating, median of N runs each, and the ratios.
Timed in one run on one machine, so the figures compare; they are not pass/fail tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def variant_config(name: str, drop_hooks: list[str] | None) -> Path:
    """A copy of mkdocs.yml beside it (paths stay valid) with some hooks removed; None drops all."""
    lines = (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    kept = []
    for line in lines:
        stripped = line.strip()
        is_hook = stripped.startswith("- hooks/") and stripped.endswith(".py")
        if is_hook and (drop_hooks is None or stripped[2:] in drop_hooks):
            continue
        kept.append(line)
    text = "\n".join(kept)
    if drop_hooks is None:
        text = text.replace("\nhooks:\n", "\nhooks: []\n")
    path = REPO / f".bench-{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build_seconds(config: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:  # a failed build would time nothing
        sys.exit(f"build with {config.name} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    variants = {
        "all hooks": REPO / "mkdocs.yml",
        "without principles hook": variant_config("no-principles", ["hooks/principles.py"]),
        "without project hooks": variant_config("no-hooks", None),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        with tempfile.TemporaryDirectory() as site:
            for run in range(args.runs):
                for name, config in variants.items():  # alternating, so drift hits every variant alike
                    times[name].append(build_seconds(config, Path(site) / name.replace(" ", "-")))
                print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    finally:
        for config in variants.values():
            if config.name.startswith(".bench-"):
                config.unlink(missing_ok=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"\nFull zh+en build, median of {args.runs} alternating runs ({os.cpu_count()} cores)")
    print(f"{'variant':<28}{'median s':>10}{'min s':>8}{'max s':>8}")
    for name, values in times.items():
        print(f"{name:<28}{medians[name]:>10.2f}{min(values):>8.2f}{max(values):>8.2f}")
    print(f"\nprinciples hook: all / without = {medians['all hooks'] / medians['without principles hook']:.3f} (target ≤ 1.05)")
    print(f"project hooks:   all / none    = {medians['all hooks'] / medians['without project hooks']:.3f} (target ≤ 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
