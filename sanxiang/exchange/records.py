"""Exchange records built from public ledger entries: one record per entry, of the kind its subject type gives.

Each builder reads the objects of a whole batch in one query per type. What a record states beyond the entry is
the object as it is published, and the parts that bind it to its signed entry are listed in `verify.BINDINGS`:
a publication's public text hashes to the SHA-256 its entry signed, a certificate's number and status and an
item's code are the entry's own facts, a result's counts are those its entry signed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from sanxiang.agencies.models import Agency, Certificate, EnforcementDomain
from sanxiang.inspections.models import InspectionItem
from sanxiang.inspections.plan_models import Plan
from sanxiang.powers.models import Power
from sanxiang.publicity import layouts
from sanxiang.publicity.models import Publication, PublicationVersion

VERSION = 1


class Row(NamedTuple):
    """The columns of a ledger entry a record is built from (the feed reads thousands at once)."""

    index: int
    subject_type: str
    subject_id: str
    body: bytes


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _ledger(entry: Row, body: dict) -> dict:
    return {
        "index": entry.index,
        "time": body["time"],
        "action": body["action"],
        "subject": body["subject"],
        "agency": body["agency"],
    }


def _agency(agency: Agency) -> dict:
    return {"code": agency.code, "name": agency.name}


def _head(kind: str, entry: Row, body: dict) -> dict:
    return {"kind": kind, "version": VERSION, "ledger": _ledger(entry, body)}


Rows = list[tuple[Row, dict]]


def _officers(rows: Rows) -> dict[int, dict]:
    ids = {int(entry.subject_id) for entry, _body in rows}
    certificates = Certificate.objects.select_related("holder", "agency").in_bulk(ids)
    domains = dict(EnforcementDomain.choices)
    records = {}
    for entry, body in rows:
        certificate = certificates.get(int(entry.subject_id))
        if certificate is None:
            continue
        facts = body["data"]
        records[entry.index] = _head("officer", entry, body) | {
            "certificate_number": facts.get("number", certificate.number),
            "name": certificate.holder.full_name,
            "agency": _agency(certificate.agency),
            "domain": certificate.domain,
            "domain_name": str(domains.get(certificate.domain, certificate.domain)),
            "issued_on": _date(certificate.issued_on),
            "expires_on": facts.get("expires_on") or _date(certificate.expires_on),
            # The status the event left, from the signed entry, not today's (a later revocation has its own entry).
            "status": facts.get("status", certificate.status),
        }
    return records


def _powers(rows: Rows) -> dict[int, dict]:
    powers = Power.objects.select_related("agency").in_bulk({int(entry.subject_id) for entry, _body in rows})
    described = {}  # the power's part of its records, built once for its entries in the batch
    records = {}
    for entry, body in rows:
        key = int(entry.subject_id)
        power = powers.get(key)
        if power is None:
            continue
        if key not in described:
            described[key] = {
                "item_kind": "power",
                "code": power.code,
                "name": power.name,
                "agency": _agency(power.agency),
                "power_kind": power.kind,
                "basis": power.basis,
                "published_on": _date(power.published_on),
                "withdrawn_on": _date(power.withdrawn_on),
            }
        records[entry.index] = _head("item", entry, body) | described[key]
    return records


def _items(rows: Rows) -> dict[int, dict]:
    ids = {int(entry.subject_id) for entry, _body in rows}
    items = InspectionItem.objects.select_related("agency", "power").in_bulk(ids)
    described = {}
    records = {}
    for entry, body in rows:
        key = int(entry.subject_id)
        item = items.get(key)
        if item is None:
            continue
        if key not in described:
            described[key] = {
                "item_kind": "inspection_item",
                "code": item.code,
                "name": item.name,
                "agency": _agency(item.agency),
                "power_kind": item.power.kind,
                "power_code": item.power.code,
                "basis": item.basis,
                "inspected": item.subject,
                "method": item.method,
                "random": item.random,
                "published_on": _date(item.published_on),
                "withdrawn_on": _date(item.withdrawn_on),
            }
        records[entry.index] = _head("item", entry, body) | described[key]
    return records


def _results(rows: Rows) -> dict[int, dict]:
    rows = [(entry, body) for entry, body in rows if body["action"] == "plan.publish"]
    plans = Plan.objects.select_related("agency").in_bulk({int(entry.subject_id) for entry, _body in rows})
    records = {}
    for entry, body in rows:
        plan = plans.get(int(entry.subject_id))
        if plan is not None:
            records[entry.index] = _head("result", entry, body) | {
                "plan": {
                    "id": plan.pk,
                    "title": plan.title,
                    "period_start": _date(plan.period_start),
                    "period_end": _date(plan.period_end),
                },
                "agency": _agency(plan.agency),
                "published": body["data"]["published"],
                "counts": body["data"]["counts"],
            }
    return records


PUBLICATION_EVENTS = {"publication.publish": "publish", "publication.withdraw": "withdraw", "publication.end": "end"}


def _summary(summary: dict) -> dict:
    """The 双公示 items as open data shows them: text values, ID numbers always empty."""
    return {key: "" if key in layouts.ID_NUMBERS else str(value or "") for key, value in summary.items()}


def _subject(summary: dict) -> dict:
    uscc = str(summary.get(layouts.USCC) or "") or None
    return {
        "name": str(summary.get("行政相对人名称") or ""),
        "party_class": str(summary.get("行政相对人类别") or ""),
        "uscc": uscc,
    }


def _publications(rows: Rows) -> dict[int, dict]:
    rows = [(entry, body) for entry, body in rows if body["action"] in PUBLICATION_EVENTS]
    ids = {int(entry.subject_id) for entry, _body in rows}
    publications = Publication.objects.select_related("agency").in_bulk(ids)
    versions = defaultdict(list)  # published versions of each publication, oldest first
    for version in PublicationVersion.objects.filter(publication__in=ids, ledger_index__isnull=False).order_by(
        "number"
    ):
        versions[version.publication_id].append(version)
    records = {}
    for entry, body in rows:
        publication = publications.get(int(entry.subject_id))
        published = [
            version for version in versions.get(int(entry.subject_id), ()) if version.ledger_index <= entry.index
        ]
        if publication is None or not published:
            continue
        version = published[-1]  # the text public when the event happened
        event = PUBLICATION_EVENTS[body["action"]]
        summary = _summary(version.summary)
        records[entry.index] = _head("publication", entry, body) | {
            "event": event,
            "publication_id": publication.pk,
            "act": {
                "act_kind": publication.kind,
                "number": publication.number,
                "title": publication.title,
                "decided_on": _date(publication.decided_on),
                "agency": _agency(publication.agency),
                "violation": publication.violation,
            },
            "subject": _subject(summary),
            "version_number": version.number,
            "summary": summary,
            "public_text": version.public_text if event == "publish" else None,
            "public_sha256": version.public_sha256 if event == "publish" else None,
            "display_until": _date(publication.display_until),
            "withdrawal_reason": publication.withdrawal_reason if event == "withdraw" else "",
            "changed_on": _date(publication.changed_on) if event == "withdraw" else None,
            "ended_on": _date(publication.ended_on) if event == "end" else None,
            "end_reason": publication.end_reason if event == "end" else "",
        }
    return records


# subject type → the builder of its records; an entry of another type is not part of the exchange data set.
BUILDERS: dict[str, Callable[[Rows], dict[int, dict]]] = {
    "agencies.certificate": _officers,
    "powers.power": _powers,
    "inspections.inspectionitem": _items,
    "inspections.plan": _results,
    "publicity.publication": _publications,
}


def records_for(entries: Iterable[Row]) -> dict[int, dict]:
    """The exchange record of each entry that has one, by index, reading each subject type once."""
    by_type: dict[str, Rows] = defaultdict(list)
    for entry in entries:
        by_type[entry.subject_type].append((entry, json.loads(bytes(entry.body))))
    records = {}
    for kind, rows in by_type.items():
        records.update(BUILDERS[kind](rows))
    return records
