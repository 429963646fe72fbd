"""What the benchmark commands share: a quiet static server on 127.0.0.1 and Chromium's flags."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

# Flags that keep Debian's Chromium from calling home on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def serve(directory: Path) -> str:
    """Serve ``directory`` on a free port of 127.0.0.1 in a background thread; returns its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"
