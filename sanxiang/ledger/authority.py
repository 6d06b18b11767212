"""A time-stamping authority in a folder (RFC 3161): a root certificate, a TSA certificate (extended key usage
timeStamping, critical) and OpenSSL's configuration, answered by `openssl ts -reply`.

It is the demo's TSA and the tests' — not a province's: a real installation asks an accredited authority over HTTP.
SANXIANG_LEDGER_TSA_URL=file://<folder> asks a folder made here without HTTP, as the demo's witnesses are asked."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sanxiang.core.files import make_private_dir

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


def _certificate(subject: str, key, issuer_name, issuer_key, *, ca: bool, days: int) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer_name or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
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


def make_authority(folder: Path, *, name: str = "Sanxiang Test TSA", days: int = 30) -> Path:
    """A root and a TSA key pair with certificates valid for `days` and an OpenSSL TSA configuration in `folder`;
    the root's PEM."""
    make_private_dir(folder)
    root_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = _certificate(f"{name} Root", root_key, None, None, ca=True, days=days)
    tsa = _certificate(name, tsa_key, root.subject, root_key, ca=False, days=days)
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.crt").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    key = tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with os.fdopen(os.open(folder / "tsa.key", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(key)  # owner-only, as the log's and the witnesses' keys
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(folder=folder))
    return folder / "root.pem"


def reply(folder: Path, query: bytes) -> bytes:
    """OpenSSL's TimeStampResp to a DER TimeStampReq; OSError when OpenSSL cannot answer (no folder, a bad query).
    Replies take turns on the folder's lock file: each reads and writes the serial file, from any process."""
    with (folder / "lock").open("a") as lock, tempfile.TemporaryDirectory() as scratch:
        fcntl.flock(lock, fcntl.LOCK_EX)
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
            capture_output=True,
            check=False,
        )
        if not response.exists():
            raise OSError(f"openssl ts -reply failed in {folder}")
        return response.read_bytes()
