"""Debian's nginx on 127.0.0.1, serving the shipped site configuration (tools/nginx_conf.py) from a DEST."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO, free_port

sys.path.insert(0, str(REPO / "tools"))
from nginx_conf import render_server_config  # noqa: E402

NGINX = Path("/usr/sbin/nginx")

# What Debian's /etc/nginx/nginx.conf gives a site, minus the system paths: the pid file, logs and
# temporary files stay in the test's directory, and nginx stays in the foreground.
MAIN_CONFIG = """\
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
{user}
events {{
    worker_connections 64;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/handbook.conf;
}}
"""


@contextlib.contextmanager
def nginx_serving(dest: Path, work: Path) -> Iterator[str]:
    """Start nginx with the shipped server block rooted at ``dest``/live; yields its base URL. The questions of
    the 没有找到答案 button are logged to ``work``/gaps.log."""
    assert NGINX.exists(), "Debian's nginx is missing: run `make test`, which installs it"
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (work / "handbook.conf").write_text(render_server_config(dest, f"127.0.0.1:{port}", work / "gaps.log"),
                                        encoding="utf-8")
    # As root, nginx's workers would switch to nobody, who cannot enter pytest's private temporary
    # directories; a Debian server runs them as www-data, which must be able to read DEST.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(MAIN_CONFIG.format(work=work, user=user), encoding="utf-8")
    command = [str(NGINX), "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf")]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            if server.poll() is not None:
                log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                raise AssertionError(f"nginx exited ({server.returncode}): {server.stdout.read()}{log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("nginx did not start listening within 20 s") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)
