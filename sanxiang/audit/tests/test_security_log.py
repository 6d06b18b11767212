"""The security audit log as a store: append-only in the database, purged only past retention, copied to syslog;
read and exported only by its reader role, and every export is itself an event."""

import csv
import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang.audit.models import AuditEvent
from sanxiang.audit.services import audit_purge, audit_record
from sanxiang.testing.audit import audit_append_only_enforced


def record_at(when: dt.datetime, **fields) -> AuditEvent:
    with time_machine.travel(when, tick=False):
        return audit_record(kind="login", **fields)


def refused(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError:
        return True
    return False


def test_the_database_refuses_to_update_or_delete_an_event(world):
    event = audit_record(kind="login", user=world.people.officer)
    with audit_append_only_enforced():
        assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(outcome="failure"))
        assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
        assert refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.get(pk=event.pk).outcome == "success"


def test_the_database_lets_go_only_of_events_older_than_six_months(world):
    now = timezone.now()
    old = record_at(now - dt.timedelta(days=190), user=world.people.officer)
    young = record_at(now - dt.timedelta(days=170), user=world.people.officer)
    with audit_append_only_enforced():
        assert refused(lambda: AuditEvent.objects.filter(pk=young.pk).delete())
        assert not refused(lambda: AuditEvent.objects.filter(pk=old.pk).delete())
        assert refused(lambda: AuditEvent.objects.filter(pk=young.pk).update(kind="logout"))


def test_the_purge_deletes_only_events_past_the_retention_and_says_so(world, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    now = timezone.now()
    expired = record_at(now - dt.timedelta(days=400), username="old")
    kept = [record_at(now - dt.timedelta(days=days), username=f"kept{days}") for days in (300, 200, 1)]
    with audit_append_only_enforced():
        assert audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(pk__in=[event.pk for event in kept]).count() == 3
    purge = AuditEvent.objects.get(kind="audit_purge")
    assert purge.detail["deleted"] == 1 and purge.detail["retention_days"] == 365
    with audit_append_only_enforced():
        assert audit_purge() == 0
    assert AuditEvent.objects.filter(kind="audit_purge").count() == 1  # nothing purged, nothing to say


def test_the_purge_command_runs_the_purge(world, settings):
    from django.core.management import call_command

    settings.AUDIT_RETENTION_DAYS = 183
    record_at(timezone.now() - dt.timedelta(days=200))
    out = io.StringIO()
    with audit_append_only_enforced():
        call_command("audit", "purge", stdout=out)
    assert "1" in out.getvalue()
    assert AuditEvent.objects.get(kind="audit_purge").channel == "cli"


@pytest.mark.parametrize(
    ("variable", "value"), [("SANXIANG_AUDIT_RETENTION_DAYS", "182"), ("SANXIANG_AUDIT_SYSLOG", "collector")]
)
def test_a_retention_under_six_months_or_a_bad_syslog_address_stops_start_up(tmp_path, variable, value):
    env = {"SANXIANG_DATA_DIR": str(tmp_path), variable: value, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert variable in result.stderr and "Traceback" not in result.stderr


def test_each_event_is_forwarded_to_syslog_as_a_json_line(world, settings, django_capture_on_commit_callbacks):
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    collector.settimeout(5)
    settings.AUDIT_SYSLOG = collector.getsockname()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = audit_record(kind="logout", user=world.people.officer, detail={"password": "never"})
        datagram = collector.recv(65535).decode()
    finally:
        collector.close()
    assert datagram.startswith("<")  # the syslog priority
    line = json.loads(datagram[datagram.index("{") :])
    assert (line["id"], line["kind"], line["username"], line["agency"]) == (event.pk, "logout", "officer", "230100")
    assert "never" not in datagram and not datagram.endswith("\x00")


def test_a_collector_that_cannot_be_reached_never_fails_the_event(world, settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SYSLOG = "/nonexistent/syslog.sock"
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(kind="logout", user=world.people.officer)
    assert AuditEvent.objects.filter(kind="logout").exists()


# ---- reading and exporting ----

PAGES = [
    ("audit:security", {}),
    ("audit:security-csv", {}),
    ("audit:security-jsonl", {}),
]


@pytest.mark.parametrize(
    "persona", ["officer", "reviewer", "head", "clerk", "admin", "security", "outsider", "county_officer"]
)
def test_only_the_log_reader_may_read_or_export_it(client, world, persona):
    audit_record(kind="login", user=world.people.officer)
    client.force_login(getattr(world.people, persona))
    for name, _ in PAGES:
        assert client.get(reverse(name)).status_code == 403
    assert not AuditEvent.objects.filter(kind="audit_export").exists()


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    for name, _ in PAGES:
        assert client.get(reverse(name)).status_code == 302


def test_the_reader_sees_the_events_of_their_agency_and_below_filtered_and_paged(client, world):
    audit_record(kind="login", user=world.people.county_officer)
    audit_record(kind="login", outcome="failure", user=world.people.officer)
    audit_record(kind="login", user=world.people.outsider)
    audit_record(kind="login", outcome="failure", username="nobody")
    client.force_login(world.people.auditor)

    def names(**query):
        response = client.get(reverse("audit:security"), query)
        assert response.status_code == 200
        return {event.username for event in response.context["events"]}

    # another city's events and those tied to no agency (read at the province) are not shown
    assert names(kind="login") == {"county", "officer", "auditor"}
    assert names(kind="login", outcome="failure") == {"officer"}
    today = timezone.localdate()
    assert names(username="county", since=today) == {"county"}
    assert names(username="county", until=today - dt.timedelta(days=1)) == set()
    client.force_login(world.people.province_auditor)
    assert {"outsider", "nobody"} <= names(kind="login")


def test_the_page_names_the_agency_and_the_kind_of_object_of_each_event(client, world):
    audit_record(kind="login", user=world.people.officer, agency=world.harbin, subject=world.people.officer)
    client.force_login(world.people.auditor)
    page = client.get(reverse("audit:security"), {"kind": "login", "username": "officer"}).content.decode()
    assert f'<span title="{world.harbin.code}">{world.harbin.name}</span>' in page
    assert f" · 工作人员 {world.people.officer.pk}" in page
    assert "agencies.user" not in page


def test_the_page_shows_older_events_page_by_page(client, world):
    for number in range(55):
        audit_record(kind="login", outcome="failure", username=f"guess{number:02d}", agency=world.harbin)
    client.force_login(world.people.auditor)
    first = client.get(reverse("audit:security"), {"kind": "login"})
    assert "guess54" in first.content.decode() and "guess04" not in first.content.decode()
    assert first.context["more"]
    second = client.get(reverse("audit:security") + "?" + first.context["next_query"]).content.decode()
    assert "guess04" in second and "guess54" not in second


def test_the_export_is_streamed_as_csv_or_json_lines_and_is_itself_recorded(client, world):
    audit_record(
        kind="login", outcome="failure", username="=HYPERLINK(1)", agency=world.harbin, detail={"method": "password"}
    )
    client.force_login(world.people.auditor)
    query = {"kind": "login", "outcome": "failure"}
    response = client.get(reverse("audit:security-csv"), query, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["username"] for row in rows] == ["'=HYPERLINK(1)"]
    assert json.loads(rows[0]["detail"]) == {"method": "password"}
    (export,) = AuditEvent.objects.filter(kind="audit_export")
    assert (export.user_id, export.remote_address) == (world.people.auditor.pk, "198.51.100.8")
    assert export.detail == {"format": "csv", "filters": query}
    lines = b"".join(client.get(reverse("audit:security-jsonl")).streaming_content).decode().splitlines()
    exported = [json.loads(line) for line in lines]
    assert "=HYPERLINK(1)" in [line["username"] for line in exported]  # JSON needs no guard
    assert [line["kind"] for line in exported[-2:]] == ["audit_export", "audit_export"]  # exports are exported


def test_the_menu_offers_the_log_to_its_reader_only(client, world):
    client.force_login(world.people.auditor)
    assert reverse("audit:security") in client.get(reverse("web:home")).content.decode()
    client.force_login(world.people.head)
    assert reverse("audit:security") not in client.get(reverse("web:home")).content.decode()
