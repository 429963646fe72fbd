"""The load part of ``make bench`` (ONLY=load): how much the nginx site holds.

Debian's nginx serves a built site with the shipped server block (deploy/nginx/handbook.conf, rendered
for a temporary DEST by tools/nginx_conf.py; started by tests/nginx_server.py, as the serving tests
do) on 127.0.0.1, and Debian's ``wrk`` runs a bounded load against it: fixed duration, threads and
connections, every request asking for gzip. A Lua script cycles through a mix of paths: pages of both
languages, the search index, a PDF and a path that does not exist (nginx's 404 page), and counts the
statuses. Figures, not a test: nothing fails on them. Loopback only: the URL is checked to be 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
WRK = "/usr/bin/wrk"
DURATION_SECONDS, THREADS, CONNECTIONS = 10, 2, 16
PDF = "downloads/handbook-zh.pdf"
MISSING = "no-such-page/"
PAGES = 10  # pages of the site in the mix, spread over both languages

# wrk's Lua hooks: each thread cycles through the paths (offset per thread) and counts statuses and gzip
# answers; done() adds the threads' counts and prints one line for load_figures() to read.
LUA = """\
local paths = {PATHS}
local threads = {{}}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  position = id * 7
  ok, not_found, unexpected, gzipped = 0, 0, 0, 0
end

function request()
  position = position + 1
  return wrk.format("GET", paths[(position % #paths) + 1], {{["Accept-Encoding"] = "gzip"}})
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 404 then not_found = not_found + 1
  else unexpected = unexpected + 1 end
  if headers["Content-Encoding"] == "gzip" then gzipped = gzipped + 1 end
end

function done(summary, latency, requests)
  local counts = {{ok = 0, not_found = 0, unexpected = 0, gzipped = 0}}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do counts[name] = counts[name] + thread:get(name) end
  end
  local errors = summary.errors
  io.write(string.format(
    "HANDBOOK-LOAD requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d ok=%d not_found=%d " ..
    "unexpected=%d gzipped=%d connect=%d read=%d write=%d timeout=%d status=%d\\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    counts.ok, counts.not_found, counts.unexpected, counts.gzipped,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
"""


@dataclass(frozen=True)
class LoadFigures:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    ok: int
    not_found: int
    unexpected: int  # statuses other than 200 and 404
    gzipped: int
    socket_errors: int  # connect, read, write and timeouts

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load_figures(output: str) -> LoadFigures:
    """The figures of the HANDBOOK-LOAD line that the Lua script's done() prints."""
    line = next((row for row in output.splitlines() if row.startswith("HANDBOOK-LOAD ")), None)
    if line is None:
        raise ValueError(f"wrk printed no HANDBOOK-LOAD line:\n{output[-2000:]}")
    values = {key: int(value) for key, value in (field.split("=", 1) for field in line.split()[1:])}
    return LoadFigures(
        requests=values["requests"], seconds=values["duration_us"] / 1e6, bytes=values["bytes"],
        p50_ms=values["p50_us"] / 1000, p99_ms=values["p99_us"] / 1000, max_ms=values["max_us"] / 1000,
        ok=values["ok"], not_found=values["not_found"], unexpected=values["unexpected"], gzipped=values["gzipped"],
        socket_errors=sum(values[key] for key in ("connect", "read", "write", "timeout")),
    )


def path_mix(site: Path, pages: int = PAGES) -> list[str]:
    """URL paths: ``pages`` pages spread evenly over the built site (both languages), the search index,
    the PDF and a missing page, each once per cycle."""
    built = sorted(path.parent.relative_to(site).as_posix() for path in site.rglob("index.html"))
    step = max(1, len(built) // pages)
    chosen = [("/" + directory + "/").replace("/./", "/").replace("//", "/") for directory in built[::step][:pages]]
    return [*chosen, "/search/search_index.json", f"/{PDF}", f"/{MISSING}"]


def lua_script(paths: list[str]) -> str:
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    return LUA.format(PATHS="{" + quoted + "}")


def prepare_dest(site: Path, work: Path) -> Path:
    """A DEST whose live release is ``site``, with the PDF of the mix rendered into it if it has none."""
    pdf = site / PDF
    if not pdf.is_file():
        command = [sys.executable, str(REPO / "tools" / "build_pdf.py"), str(site), "--language", "zh",
                   "--edition", "handbook", "--output", str(pdf)]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
    dest = work / "load-dest"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    (dest / "live").symlink_to(site.resolve())
    return dest


def run_load(site: Path, work: Path, duration: int = DURATION_SECONDS, threads: int = THREADS,
             connections: int = CONNECTIONS) -> tuple[LoadFigures, list[str]]:
    """Serve ``site`` with nginx on 127.0.0.1 and load it with wrk for ``duration`` seconds."""
    sys.path.insert(0, str(REPO / "tests"))
    from nginx_server import nginx_serving  # the serving tests' nginx: the shipped config, on 127.0.0.1

    dest = prepare_dest(site, work)
    paths = path_mix(site)
    script = work / "load.lua"
    script.write_text(lua_script(paths), encoding="utf-8")
    with nginx_serving(dest, work / "nginx-load") as url:
        if urlsplit(url).hostname != "127.0.0.1":
            raise RuntimeError(f"the load run only targets loopback, not {url}")
        command = [WRK, f"--threads={threads}", f"--connections={connections}", f"--duration={duration}s",
                   "--timeout=5s", f"--script={script}", url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip()[:300]}")
    return load_figures(result.stdout), paths


def part_load(site: Path, work: Path) -> list[tuple]:
    """The Load rows of the bench table."""
    if not Path(WRK).exists():
        return [("Load", "nginx under wrk", "not measured: Debian's wrk is missing (tools/setup-debian.sh installs it)", "")]
    figures, paths = run_load(site, work)
    mix = f"{len(paths) - 3} pages, search index, PDF, 404"
    share = figures.gzipped / figures.requests if figures.requests else 0
    return [
        ("Load", f"nginx (shipped config, 1 worker) on 127.0.0.1, wrk {THREADS} threads · {CONNECTIONS} connections · "
                 f"{DURATION_SECONDS} s, gzip asked; mix: {mix}",
         f"{figures.requests_per_second:,.0f} requests/s ({figures.requests:,} requests, "
         f"{figures.bytes / figures.seconds / 1e6:,.1f} MB/s)", ""),
        ("Load", "latency p50 · p99 · max", f"{figures.p50_ms:.2f} ms · {figures.p99_ms:.2f} ms · {figures.max_ms:.1f} ms", ""),
        ("Load", "errors: socket errors · statuses other than 200/404 · 404s (the missing page, expected)",
         f"{figures.socket_errors} · {figures.unexpected} · {figures.not_found:,} ({figures.not_found / max(figures.requests, 1):.0%})",
         ""),
        ("Load", "responses sent gzipped", f"{figures.gzipped:,} ({share:.0%}: text types; the PDF is sent as it is)", ""),
    ]
