"""`python -m sanxiang.testing.ingest_worker SIZE_MB`: register one large evidence file slowly, printing
"copying" once bytes are being written — for the test that kills the process mid-ingest."""

import io
import os
import sys
import time


class Slow(io.RawIOBase):
    def __init__(self, size: int):
        self.left, self.started = size, False

    def readable(self):
        return True

    def readinto(self, buffer):
        if not self.started:
            self.started = True
            print("copying", flush=True)
        time.sleep(0.05)
        count = min(len(buffer), self.left)
        buffer[:count] = b"\xab" * count
        self.left -= count
        return count


def main() -> None:
    size = int(sys.argv[1]) * 1024 * 1024
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from django.db import transaction

    from sanxiang.cases.models import Case
    from sanxiang.evidence.services import evidence_ingest
    from sanxiang.testing.cases import make_party
    from sanxiang.testing.factories import make_agency, make_certificate, make_staff

    case = Case.objects.first()
    if case is None:
        with transaction.atomic():
            province = make_agency(code="230000", name="黑龙江省生态环境厅", abbreviation="黑环")
            harbin = make_agency(parent=province, code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
            officer = make_staff(agency=harbin, roles=["officer"], username="officer")
            make_certificate(holder=officer)
            party = make_party(harbin)
            from django.utils import timezone

            from sanxiang.cases.services import case_open

            case = case_open(
                actor=officer,
                agency=harbin,
                party=party,
                title="案",
                source="other",
                act_date=timezone.localdate(),
                discovered_on=timezone.localdate(),
            )
    officer = case.agency.staff.get(username="officer")
    item = evidence_ingest(
        actor=officer,
        source=io.BufferedReader(Slow(size), buffer_size=1024 * 1024),
        original_name="执法记录仪.mp4",
        act="inspection",
        kind="video",
        recorded_by=officer,
        case=case,
        description="录像",
    )
    print(f"registered {item.number}", flush=True)


if __name__ == "__main__":
    main()
