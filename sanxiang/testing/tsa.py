"""A real RFC 3161 time-stamping authority for tests: OpenSSL's `openssl ts -reply` answering HTTP POSTs on
loopback, with a root certificate and a TSA certificate (extended key usage timeStamping, critical) made here."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.156.112562.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _certificate(subject: str, key, issuer_name, issuer_key, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer_name or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def make_authority(folder: Path) -> Path:
    """A root and a TSA key pair with certificates and an OpenSSL TSA configuration in `folder`; the root's PEM."""
    folder.mkdir(parents=True, exist_ok=True)
    root_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = _certificate("Sanxiang Test TSA Root", root_key, None, None, ca=True)
    tsa = _certificate("Sanxiang Test TSA", tsa_key, root.subject, root_key, ca=False)
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.crt").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(
        tsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(folder=folder))
    return folder / "root.pem"


def reply(folder: Path, query: bytes) -> bytes:
    """OpenSSL's TimeStampResp to a DER TimeStampReq."""
    with tempfile.TemporaryDirectory() as scratch:
        request, response = Path(scratch) / "request.tsq", Path(scratch) / "response.tsr"
        request.write_bytes(query)
        subprocess.run(
            [
                "openssl",
                "ts",
                "-reply",
                "-config",
                str(folder / "tsa.cnf"),
                "-queryfile",
                str(request),
                "-out",
                str(response),
            ],
            check=True,
            capture_output=True,
        )
        return response.read_bytes()


@contextmanager
def served_authority(folder: Path):
    """(URL, root PEM path, server) of a TSA served until the block ends; `server.down = True` makes it
    answer 503, as an authority out of service does."""
    roots = make_authority(folder)
    lock = threading.Lock()  # OpenSSL's serial file is read and written by each reply

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.server.down or self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_response(503 if self.server.down else 415)
                self.end_headers()
                return
            with lock:
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
