"""The shipped nginx site, deploy/nginx/handbook.conf, for another DEST or listen address.

The file is written for `make publish DEST=/srv/handbook` on port 80 and is used as it is there.
For another DEST: ``python3 tools/nginx_conf.py DEST [--listen 8080] > /etc/nginx/sites-available/handbook``.
The serving tests render it with the same function, so what they serve is what ships.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "deploy" / "nginx" / "handbook.conf"
SHIPPED_ROOT = "root /srv/handbook/live;"
SHIPPED_LISTEN = "listen 80;"
SHIPPED_GAPS_LOG = "access_log /var/log/nginx/handbook-gaps.log handbook_gaps;"


def nginx_string(value: str) -> str:
    """A value for an nginx directive, quoted when it holds what would end or split it."""
    if any(c in value for c in ' \t;{}"\'#$\\'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def render_server_config(dest: Path, listen: str = "80", gaps_log: Path | None = None) -> str:
    """deploy/nginx/handbook.conf with its root at ``dest``/live, listening on ``listen``, and the unanswered
    questions logged to ``gaps_log`` (default: /var/log/nginx/handbook-gaps.log, as shipped)."""
    text = SHIPPED.read_text(encoding="utf-8")
    for directive in (SHIPPED_ROOT, SHIPPED_LISTEN, SHIPPED_GAPS_LOG):
        if text.count(directive) != 1:
            raise ValueError(f"{SHIPPED}: expected exactly one `{directive}` to replace; keep that line as shipped")
    root = nginx_string(str(Path(dest).absolute() / "live"))
    text = text.replace(SHIPPED_ROOT, f"root {root};").replace(SHIPPED_LISTEN, f"listen {nginx_string(listen)};")
    if gaps_log is not None:
        text = text.replace(SHIPPED_GAPS_LOG, f"access_log {nginx_string(str(Path(gaps_log).absolute()))} handbook_gaps;")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path, help="the DEST given to `make publish` (nginx serves DEST/live)")
    parser.add_argument("--listen", default="80", help="nginx `listen` address (default: 80)")
    parser.add_argument("--gaps-log", type=Path, help="the log of unanswered questions (default: /var/log/nginx/handbook-gaps.log)")
    args = parser.parse_args()
    sys.stdout.write(render_server_config(args.dest, args.listen, args.gaps_log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
