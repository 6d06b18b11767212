"""Who may read which ledger entries, and entries made readable (action labels; staff, agencies and records named);
who may read the security audit log, and which of its events."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency, Role, User
from sanxiang.audit.models import AuditEvent
from sanxiang.core.facts import CHANGE_PREFIX
from sanxiang.core.references import REFERENCE, SUBJECT_PAGES, Named, holds_agency
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entries_for_subject, entry_json
from sanxiang.ledger.vocabulary import action_label, is_public, subject_type

# 三员分立: the audit page and the ledger entry endpoint (the log itself) are the audit administrator's alone.
AUDIT_ROLES = frozenset({Role.AUDIT_ADMIN})
# The administration of accounts (opened, roles changed, second factor issued or reset) is the three
# administrators' business: on an account's page its internal entries are shown to those who answer for accounts
# (the agency's heads, its system and security administrators, the auditors), not to every colleague who may open it.
ADMINISTRATIVE_SUBJECTS = frozenset({"agencies.user"})
HISTORY_ROLES = frozenset({Role.HEAD, Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def auditable_agency_codes(user, *, roles=AUDIT_ROLES) -> list[str] | None:
    """Codes of the agencies whose internal entries `user` may read holding one of `roles`; None means all
    (platform operators)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    if not roles & user.roles:
        return []
    return list(Agency.objects.visible_to(user).values_list("code", flat=True))


def can_audit(user) -> bool:
    """The one access check of the audit page: active audit administrators of an agency, or a platform operator
    (the menu offers the page to them only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (bool(AUDIT_ROLES & user.roles) and user.agency_id is not None)


def can_read_entry(user, entry: Entry, *, roles=AUDIT_ROLES) -> bool:
    """Public entries are for everyone; internal ones for audit administrators of the agency or above it (and, in
    an object's history, for the holders of HISTORY_ROLES).

    Entries without an agency (the national calendar) are read by the province's auditors.
    """
    return is_public(entry) or _internal_readable(user, entry, auditable_agency_codes(user, roles=roles))


def _internal_readable(user, entry: Entry, codes: list[str] | None) -> bool:
    if codes is None:
        return True
    if not entry.agency_code:
        return bool(codes) and user.agency is not None and user.agency.parent_id is None
    return entry.agency_code in codes


def audit_entries(user, *, agency: Agency | None = None, action: str = "") -> QuerySet[Entry]:
    """Entries a user may audit, newest first, optionally narrowed to one agency's subtree or one action."""
    codes = auditable_agency_codes(user)
    entries = Entry.objects.order_by("-index")
    if codes is not None:
        entries = entries.filter(agency_code__in=codes)
    if agency is not None:
        entries = entries.filter(agency_code__in=Agency.objects.filter(path__startswith=agency.path).values("code"))
    if action:
        entries = entries.filter(action=action)
    return entries


@dataclass(frozen=True)
class HistoryLine:
    index: int
    time: object
    actor: str
    action: str
    data: dict
    subject: str = ""
    linked: bool = True  # the ledger entry endpoint serves this entry to the reader (else its number is plain text)


STAFF_REF = re.compile(r"staff:(\d+)")
ACTOR_WORDS = {"system": _("系统"), "cli": _("命令行")}


def readable(entries, *, user, linked=lambda entry: True) -> list[HistoryLine]:
    """Entries for pages: Chinese action labels; staff named for "staff:10" (as actor and in the facts), agencies
    for their codes, and records for their references ("cases.case:1", linked for a `user` who may open them); names
    are looked up when shown, never stored in the log. `linked(entry)` says whether to link its number."""
    entries = [(entry, entry_json(entry)["data"]) for entry in entries]
    staff_ids = {int(ref) for entry, data in entries for ref in STAFF_REF.findall(f"{entry.actor} {data}")}
    names = dict(User.objects.filter(pk__in=staff_ids).values_list("pk", "full_name"))
    agencies = _agency_names(entries)
    records = _record_names(user, entries)

    def named(value, agency=False):
        if isinstance(value, str):
            if agency and value in agencies:
                return agencies[value]
            if value in records:
                return records[value]
            match = STAFF_REF.fullmatch(value)
            return names.get(int(match.group(1)), value) if match else value
        if isinstance(value, list | tuple):
            return [named(item, agency) for item in value]
        if isinstance(value, dict):
            return {key: named(item) for key, item in value.items()}
        return value

    def facts(entry, data):
        if not isinstance(data, dict):
            return named(data)
        return {key: named(value, _holds_agency(key, entry.subject_type)) for key, value in data.items()}

    return [
        HistoryLine(
            entry.index,
            entry.time,
            str(ACTOR_WORDS.get(entry.actor, named(entry.actor))),
            action_label(entry.action),
            facts(entry, data),
            entry.subject_type,
            linked(entry),
        )
        for entry, data in entries
    ]


def _holds_agency(key: str, subject: str) -> bool:
    return holds_agency(key.removeprefix(CHANGE_PREFIX), subject)


def _agency_names(entries) -> dict[str, str]:
    """The agencies whose codes the entries' facts hold, as "name（code）": a reader knows an agency by its name, and
    the code tells apart two of the same name in different places."""
    codes = set()
    for entry, data in entries:
        for key, value in (data if isinstance(data, dict) else {}).items():
            if _holds_agency(key, entry.subject_type):
                codes.update(item for item in (value if isinstance(value, list) else [value]) if isinstance(item, str))
    found = Agency.objects.filter(code__in=codes).values_list("code", "name") if codes else []
    return {code: f"{name}（{code}）" for code, name in found}


def _record_names(user, entries) -> dict[str, Named]:
    """The records the entries' facts refer to ("cases.case:1"), each of a kind registered in SUBJECT_PAGES: its noun
    and name, linked to its page, for a reader its gate lets see it; its noun alone for anyone else, which tells no
    more than the reference the entry holds."""
    found = {}
    for text in {text for _entry, data in entries for text in _strings(data)}:
        match = REFERENCE.fullmatch(text)
        page = SUBJECT_PAGES.get(match.group(1)) if match else None
        if page is None:
            continue
        try:
            record = page.gate(user=user, **{page.keyword: int(match.group(2))})
        except (Http404, ObjectDoesNotExist, PermissionDenied, ValidationError, ValueError):
            found[text] = Named(str(page.noun))
        else:
            found[text] = Named(f"{page.noun} {record}", reverse(page.url, args=[record.pk]))
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def history_for(user, instance: Model) -> list[HistoryLine]:
    """The history of an object: its public entries for anyone; its internal ones for active staff, whom the
    object's gate has already let see it (the officers, reviewer and clerk of a case read what was done to it, by
    whom), except on ADMINISTRATIVE_SUBJECTS, whose internal entries are for HISTORY_ROLES of the agency or above."""
    kind = subject_type(instance)
    entries = entries_for_subject(kind, instance.pk)
    auditable = auditable_agency_codes(user)  # once, not once per internal entry

    def linked(entry: Entry) -> bool:  # what the ledger entry endpoint would serve (can_read_entry)
        return is_public(entry) or _internal_readable(user, entry, auditable)

    if kind in ADMINISTRATIVE_SUBJECTS:
        codes = auditable_agency_codes(user, roles=HISTORY_ROLES)
        shown = (entry for entry in entries if is_public(entry) or _internal_readable(user, entry, codes))
        return readable(shown, user=user, linked=linked)
    staff = user.is_authenticated and user.is_active and (user.is_superuser or user.agency_id is not None)
    return readable((entry for entry in entries if staff or is_public(entry)), user=user, linked=linked)


# ---- the security audit log ----

# 三员分立: the one role that reads the security audit log (三员分立: the audit administrator).
SECURITY_LOG_READER_ROLE = Role.AUDIT_ADMIN


def can_read_security_log(user) -> bool:
    """The one access check of the security audit log: active staff holding SECURITY_LOG_READER_ROLE, or a
    platform operator (superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or SECURITY_LOG_READER_ROLE in user.roles


def security_events_for_user(user) -> QuerySet[AuditEvent]:
    """The security events `user` may read, newest first: those of their agency and the agencies below it; events
    tied to no agency (a failed login with an unknown user name, an anonymous open-data download) are read at the
    top of the tree only. Refuses (PermissionDenied) anyone `can_read_security_log` does not admit."""
    if not can_read_security_log(user):
        raise PermissionDenied(_("只有审计日志的查阅人员可以查看和导出安全审计日志。"))
    events = AuditEvent.objects.order_by("-id")
    codes = auditable_agency_codes(user, roles=frozenset({SECURITY_LOG_READER_ROLE}))
    if codes is None:
        return events
    scope = Q(agency_code__in=codes)
    if user.agency is not None and user.agency.parent_id is None:
        scope |= Q(agency_code="")
    return events.filter(scope)


def security_lines(events) -> list[AuditEvent]:
    """Events for the page, each with `agency_name` for its agency's code and `object_label` for its object's type
    ("agencies.user" reads as the model's own name, 人员): the log keeps codes, a reader knows names."""
    events = list(events)
    codes = {event.agency_code for event in events if event.agency_code}
    names = dict(Agency.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for event in events:
        event.agency_name = names.get(event.agency_code, event.agency_code)
        event.object_label = _model_name(event.object_type) if event.object_type else ""
    return events


def _model_name(object_type: str) -> str:
    try:
        return str(django_apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):  # a type no longer installed, or not a model's: as the log keeps it
        return object_type
