"""Witnesses for tests: a witness folder trusting a log key, served over real HTTP on loopback from a thread."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sanxiang.ledger.witness import Witness, application


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # the test's output is for failures
        pass


@contextmanager
def served_witness(folder: Path, *, name: str, log_key: str):
    """(submission URL, Witness) of a new witness trusting `log_key`, served until the block ends."""
    witness = Witness.create(folder, name=name)
    witness.trust(log_key)
    server: WSGIServer = make_server("127.0.0.1", 0, application(witness), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", witness
    finally:
        server.shutdown()
        server.server_close()
