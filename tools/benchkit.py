"""What the benchmark's parts and the tests share: a quiet static server, free ports, Debian's Chromium,
measured child processes, medians, the machine's description and the Markdown table."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.metadata
import os
import platform
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # Debian's: no browser is ever downloaded
# Flags that keep Debian's Chromium from calling home on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pymdown-extensions", "jieba")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _start_server(directory: Path) -> http.server.ThreadingHTTPServer:
    """A static server of ``directory`` on a free port of 127.0.0.1, in a background (daemon) thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


@contextlib.contextmanager
def serving(directory: Path):
    """Serve ``directory`` while the block runs; yields its base URL."""
    server = _start_server(directory)
    try:
        yield _url(server)
    finally:
        server.shutdown()
        server.server_close()


def serve(directory: Path) -> str:
    """Serve ``directory`` for the rest of the process; its base URL."""
    return _url(_start_server(directory))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@dataclass(frozen=True)
class Measured:
    returncode: int
    wall_seconds: float
    cpu_seconds: float  # user + system, the child's and every descendant it waited for
    peak_rss_bytes: int  # of the largest single process among them (ru_maxrss)
    stdout: str
    stderr: str


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` to its end; wall time, and CPU time and peak memory from os.wait4's rusage.

    subprocess reports no rusage, so the child is reaped here with os.wait4; its output goes to
    temporary files, which cannot fill up and block the child the way an unread pipe can.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        out.seek(0)
        err.seek(0)
        return Measured(process.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine_description() -> str:
    """One line: CPU model and cores, memory, load at the start, Python and the pinned packages."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({model}), {memory_kb / 1024 ** 2:.0f} GB RAM, load average {load:.1f} at the start; "
            f"Python {platform.python_version()}, " + ", ".join(versions))


def table_lines(header: tuple[str, ...] | None, rows: list[tuple[str, ...]] = ()) -> str:
    """Lines of a Markdown table (the header and its rule, when given); a pipe inside a cell is escaped so it
    cannot add a column. Printed a part at a time, the lines make one table."""
    def line(cells) -> str:  # a cell on one line: an error message's line breaks would end the row
        return "| " + " | ".join(" ".join(str(cell).split()).replace("|", "\\|") for cell in cells) + " |"
    head = [line(header), "|" + "---|" * len(header)] if header else []
    return "\n".join([*head, *(line(row) for row in rows)])


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def kilobytes(value: float) -> str:
    return f"{value / 1024:,.0f} KB"


def megabytes(value: float) -> str:
    return f"{value / 1024 ** 2:,.0f} MB"
