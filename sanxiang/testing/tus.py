"""A device-style tus 1.0 client over plain sockets (http.client), for the tests and the upload benchmark: it
announces a file, sends it in pieces, can be cut off in the middle of a piece (the connection closed with part of
the body unsent), and resumes from the offset HEAD gives — as a phone on a bad network would."""

from __future__ import annotations

import base64
import hashlib
import http.client
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

HEADERS = {"Tus-Resumable": "1.0.0"}
BLOCK = 1024 * 1024


def metadata(values: dict) -> str:
    return ",".join(f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in values.items())


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class TusDevice:
    def __init__(self, base_url: str, *, token: str, chunk: int = 8 * BLOCK):
        parts = urlsplit(base_url)
        self.host, self.port, self.chunk = parts.hostname, parts.port, chunk
        self.auth = {"Authorization": f"Bearer {token}"}
        self.cuts = 0

    def request(self, method: str, path: str, headers: dict, body=None, length: int = 0):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in {**HEADERS, **self.auth, **headers, "Content-Length": str(length)}.items():
                connection.putheader(name, value)
            connection.endheaders()
            if body is not None:
                for block in body:
                    connection.send(block)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def create(self, path: Path, values: dict) -> str:
        """POST the announcement; returns the upload's path on the server."""
        status, headers, body = self.request(
            "POST",
            "/api/v1/uploads",
            {"Upload-Length": str(path.stat().st_size), "Upload-Metadata": metadata(values)},
        )
        assert status == 201, (status, body)
        return urlsplit(headers["Location"]).path

    def offset(self, location: str) -> int:
        """HEAD, waiting while a broken request is still writing (423) the bytes it got."""
        for _attempt in range(200):
            status, headers, body = self.request("HEAD", location, {})
            if status == 200:
                return int(headers["Upload-Offset"])
            assert status == 423, (status, body)
            time.sleep(0.05)
        raise AssertionError("the upload stayed busy")

    def patch(self, location: str, path: Path, offset: int, size: int, *, checksum: bool = False):
        headers = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
        if checksum:
            headers["Upload-Checksum"] = (
                "sha256 " + base64.b64encode(hashlib.sha256(_read(path, offset, size)).digest()).decode()
            )
        return self.request("PATCH", location, headers, _blocks(path, offset, size), size)

    def cut(self, location: str, path: Path, offset: int, size: int, sent: int, *, checksum: bool = False) -> None:
        """A PATCH of `size` bytes whose connection dies after `sent` of them (the server never answers it)."""
        lines = [f"PATCH {location} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {size}"]
        lines += [f"{name}: {value}" for name, value in {**HEADERS, **self.auth}.items()]
        lines += [f"Upload-Offset: {offset}", "Content-Type: application/offset+octet-stream"]
        if checksum:
            digest = hashlib.sha256(_read(path, offset, size)).digest()
            lines.append("Upload-Checksum: sha256 " + base64.b64encode(digest).decode())
        with socket.create_connection((self.host, self.port)) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            for block in _blocks(path, offset, sent):
                sock.sendall(block)
            # The body ends here, unfinished; waiting for the server to let go of the connection keeps a test's next
            # HEAD from racing the server's reading of what was sent (a real device may race it: HEAD answers 423).
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(60)
            while sock.recv(65536):
                pass
        self.cuts += 1

    def upload(self, path: Path, values: dict, *, cut_at=(), checksum: bool = False) -> tuple[str, dict]:
        """Send the whole file in pieces of `chunk` bytes; at each position in `cut_at` the piece that covers it is
        cut there once. Returns the upload's path and the headers of the last answer."""
        location = self.create(path, values)
        total, pending = path.stat().st_size, sorted(cut_at)
        offset = 0
        while True:
            size = min(self.chunk, total - offset)
            if pending and offset <= pending[0] < offset + size:
                self.cut(location, path, offset, size, pending.pop(0) - offset, checksum=checksum)
                offset = self.offset(location)
                continue
            status, headers, body = self.patch(location, path, offset, size, checksum=checksum)
            if status in (409, 423):  # the cut request was still writing: ask again
                offset = self.offset(location)
                continue
            assert status == 204, (status, body)
            offset = int(headers["Upload-Offset"])
            if offset == total:
                return location, headers


def _read(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def _blocks(path: Path, offset: int, size: int):
    with path.open("rb") as handle:
        handle.seek(offset)
        while size > 0:
            block = handle.read(min(BLOCK, size))
            if not block:
                return
            size -= len(block)
            yield block
