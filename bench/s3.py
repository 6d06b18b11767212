"""Ingest into an S3-compatible bucket against a plain upload of the same file to the same server.

The S3 store (core.blob_s3) reads a file twice — a hash pass, then the multipart upload to the key that hash names,
hashed again on its own thread — and sends three 16 MiB parts at once. The baseline is boto3's own managed upload
(upload_file) of the same file with the same part size and concurrency, without any hashing: what any S3 tool
would take. Target: ≥ 0.8 of it (issue 19), and a peak memory < 150 MB. Each side runs BENCH_S3_ROUNDS times in
alternation, each upload under a new prefix (so no name is found stored); the best of each is compared.
Needs BENCH_S3_ENDPOINT (`tools/s3-server start var/s3` prints it; credentials test:tester / testing unless
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY say otherwise); without it the benchmark says so and measures nothing.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import write_result

ENDPOINT = os.environ.get("BENCH_S3_ENDPOINT", "")
BYTES = int(os.environ.get("BENCH_S3_BYTES", 1024**3))
ROUNDS = int(os.environ.get("BENCH_S3_ROUNDS", 3))
BUCKET = "sanxiang-bench"


def run() -> dict:
    if not ENDPOINT:
        result = {"skipped": "BENCH_S3_ENDPOINT is not set (tools/s3-server start var/s3)"}
        print(json.dumps(result))
        return result
    env = dict(os.environ)
    env.setdefault("AWS_ACCESS_KEY_ID", "test:tester")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    sides: dict[str, list[float]] = {"upload_file": [], "store": []}
    peaks, rests = [], []
    with tempfile.TemporaryDirectory(prefix="sanxiang-bench-s3-") as work:
        source = Path(work) / "clip.mp4"
        with source.open("wb") as target:
            for _ in range(BYTES // (16 * 1024**2)):
                target.write(os.urandom(16 * 1024**2))
        for _round in range(ROUNDS):
            for side in sides:
                measured = json.loads(
                    subprocess.run(
                        [sys.executable, "-m", "bench.s3", side, str(source), work],
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout.splitlines()[-1]
                )
                sides[side].append(measured["seconds"])
                if side == "store":
                    peaks.append(measured["peak_rss_mb"])
                    rests.append(measured["rest_rss_mb"])
    best = {side: min(times) for side, times in sides.items()}
    result = {
        "bytes": BYTES,
        "server": "OpenStack Swift s3api on loopback (tools/s3-server)",
        "seconds": {side: round(seconds, 2) for side, seconds in best.items()},
        "every_round": {side: [round(seconds, 2) for seconds in times] for side, times in sides.items()},
        "ratio": round(best["upload_file"] / best["store"], 3),
        "store_peak_rss_mb": max(peaks),
        # the same process before the ingest (Django, and boto3's S3 client): what the ingest itself adds is the rest
        "store_rest_rss_mb": max(rests),
        "targets": {"ratio": 0.8, "peak_rss_mb": 150},
    }
    result["passed"] = {"ratio": result["ratio"] >= 0.8, "memory": result["store_peak_rss_mb"] < 150}
    write_result("s3", result)
    return result


def _main(side: str, path: Path, work: str) -> dict:
    os.environ.update(SANXIANG_DATA_DIR=str(Path(work) / "data"), SANXIANG_HTTPS="false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from boto3.s3.transfer import TransferConfig

    from sanxiang.core import blob_s3
    from sanxiang.testing.blobs import bucket_ensure

    store = blob_s3.S3Store(
        bucket=BUCKET, prefix=f"{uuid.uuid4().hex}/", endpoint=ENDPOINT, region="us-east-1", retention_days=0
    )
    bucket_ensure(store)
    # the process at rest, its S3 client made above (boto3 loads the service's model: some 28 MB)
    rest = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    started = time.perf_counter()
    if side == "store":
        with path.open("rb") as source:
            store.ingest(source)
    else:
        config = TransferConfig(
            multipart_threshold=blob_s3.PART, multipart_chunksize=blob_s3.PART, max_concurrency=blob_s3.IN_FLIGHT
        )
        store.client.upload_file(str(path), BUCKET, f"{store.prefix}plain", Config=config)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rest_rss_mb": rest,
    }


if __name__ == "__main__":
    print(json.dumps(_main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])))
