"""`python -m sanxiang.testing.backup_worker build|count|put|blobs|tables`: build a small installation through the
services (two cases with their evidence, a document-free walk to submission, a file registered at the real time, a
signed checkpoint), or print what an installation holds as JSON; store the texts given as blobs, say of every stored
blob whether it reads back to its name, whether it is stored encrypted and the SHA-256 of its bytes as stored, or
count the database's tables — for the backup and restore drills."""

import io
import json
import os
import sys
from types import SimpleNamespace


def build() -> None:
    from django.db import transaction

    from sanxiang.agencies.models import Role
    from sanxiang.evidence.models import EvidenceKind
    from sanxiang.evidence.services import evidence_ingest
    from sanxiang.ledger.services import checkpoint_create
    from sanxiang.testing.cases import open_case, walk
    from sanxiang.testing.factories import make_agency, make_certificate, make_staff

    with transaction.atomic():
        province = make_agency(code="230000", name="黑龙江省生态环境厅", abbreviation="黑环")
        harbin = make_agency(parent=province, code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
        people = SimpleNamespace(
            officer=make_staff(agency=harbin, roles=[Role.OFFICER], username="officer"),
            partner=make_staff(agency=harbin, roles=[Role.OFFICER], username="partner"),
            reviewer=make_staff(agency=harbin, roles=[Role.REVIEWER], username="reviewer"),
            head=make_staff(agency=harbin, roles=[Role.HEAD], username="head"),
        )
        make_certificate(holder=people.officer)
        make_certificate(holder=people.partner)
    world = SimpleNamespace(province=province, harbin=harbin, people=people)
    cases = [walk(world, open_case(world), "submitted") for _ in range(2)]
    # Registered now, not at a frozen time: the entry's time has microseconds, which a dumpdata round trip loses.
    evidence_ingest(
        actor=people.officer,
        source=io.BytesIO(os.urandom(256 * 1024)),
        original_name="执法记录仪.mp4",
        act="inspection",
        kind=EvidenceKind.VIDEO,
        recorded_by=people.officer,
        case=cases[0],
        description="现场检查录像",
    )
    checkpoint_create()


def count() -> None:
    from django.contrib.auth import get_user_model

    from sanxiang.cases.models import Case
    from sanxiang.core.blobs import blob_names
    from sanxiang.evidence.models import EvidenceItem
    from sanxiang.ledger.models import Checkpoint, Entry

    print(
        json.dumps(
            {
                "users": get_user_model().objects.count(),
                "cases": Case.objects.count(),
                "evidence": EvidenceItem.objects.count(),
                "entries": Entry.objects.count(),
                "checkpoints": Checkpoint.objects.count(),
                "blobs": len(list(blob_names())),
                "last_entry_time": Entry.objects.order_by("-index").values_list("time", flat=True).first().isoformat(),
            }
        )
    )


def put() -> None:
    from sanxiang.core.blobs import blob_put

    print(json.dumps([blob_put(text.encode()) for text in sys.argv[2:]]))


def blobs() -> None:
    import hashlib

    from sanxiang.core.blobs import blob_hash, blob_names, blob_open_stored, blob_sealed_size

    def stored(name: str) -> str:
        with blob_open_stored(name) as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    print(
        json.dumps(
            {
                name: {
                    "intact": blob_hash(name) == name,
                    "sealed": blob_sealed_size(name) is not None,
                    "stored": stored(name),
                }
                for name in blob_names()
            }
        )
    )


def tables() -> None:
    from django.db import connection

    print(len(connection.introspection.table_names()))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    {"build": build, "count": count, "put": put, "blobs": blobs, "tables": tables}[sys.argv[1]]()


if __name__ == "__main__":
    main()
