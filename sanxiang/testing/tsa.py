"""A real RFC 3161 time-stamping authority for tests: the folder authority of `ledger.authority` answering HTTP
POSTs on loopback."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sanxiang.ledger.authority import make_authority, reply

__all__ = ["make_authority", "served_authority"]


@contextmanager
def served_authority(folder: Path):
    """(URL, root PEM path, server) of a TSA served until the block ends; `server.down = True` makes it
    answer 503, as an authority out of service does."""
    roots = make_authority(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.server.down or self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_response(503 if self.server.down else 415)
                self.end_headers()
                return
            body = reply(folder, query)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.down = False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsr", roots, server
    finally:
        server.shutdown()
        server.server_close()
