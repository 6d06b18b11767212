"""Reads with policy for publicity: the staff gate, the timeliness desk and compliance rates, and everything the
portal may show (only published versions of published or withdrawn records; never originals, drafts or
withheld, expired or internal records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.models import Agency, Role
from sanxiang.agencies.selectors import agency_public, can_view
from sanxiang.cases.models import Violation
from sanxiang.core.calendar import work_calendar
from sanxiang.core.identifiers import normalize_uscc, validate_uscc
from sanxiang.publicity import search
from sanxiang.publicity.layouts import ID_NUMBERS
from sanxiang.publicity.models import Kind, Publication, PublicationVersion, Subscription, Topic

PUBLISHED, WITHDRAWN, DRAFT = Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN, Publication.Status.DRAFT


def publication_get_for_user(*, user, publication_id: int) -> Publication:
    """A publication of an agency the staff member may see (404 otherwise)."""
    publication = (
        Publication.objects.select_related("agency", "case", "document", "licence").filter(pk=publication_id).first()
    )
    if publication is None or not can_view(user, publication.agency):
        raise Http404
    return publication


# 公示 is the agency's own work: its publicity clerks (公示管理员) and heads.
PUBLICITY_ROLES = frozenset({Role.PUBLICITY_CLERK, Role.HEAD})


def acts_for(user, agency: Agency | None) -> bool:
    """Whether `user` may do the agency's publicity (its clerks and heads, or those of an agency above it): the
    services refuse anyone else, and the pages offer them nothing."""
    if user is None or user.is_superuser:
        return True
    return (
        bool(PUBLICITY_ROLES & user.roles)
        and user.agency is not None
        and agency is not None
        and agency.is_within(user.agency)
    )


def draft_version(publication: Publication) -> PublicationVersion | None:
    return publication.versions.filter(published_at__isnull=True).order_by("-number").first()


def drafts_due(*, today: dt.date, soon_days: int) -> QuerySet[Publication]:
    """Records made or entered here, not yet published, whose due date is within `soon_days` or has passed, for
    the morning reminders (a bulk import of old records would otherwise remind everyone of each one)."""
    return Publication.objects.filter(
        ACCOUNTABLE, status=DRAFT, due_on__lte=today + dt.timedelta(days=soon_days)
    ).select_related("agency")


def drafts_due_for_user(user, *, today: dt.date, within_days: int = 14) -> QuerySet[Publication]:
    """The drafts a publicity clerk or head is to publish: due within `within_days` or overdue, earliest first."""
    if not (user.is_superuser or PUBLICITY_ROLES & user.roles):
        return Publication.objects.none()
    return (
        Publication.objects.visible_to(user)
        .filter(ACCOUNTABLE, status=DRAFT, due_on__lte=today + dt.timedelta(days=within_days))
        .select_related("agency")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class DeskRow:
    publication: Publication
    workdays: int | None  # working days from decision to publication (so far, when not yet published)
    overdue: bool


def desk(user, *, today: dt.date, status: str = "", limit: int = 200) -> list[DeskRow]:
    """Every record of the user's agencies with its due date and the working days taken: overdue drafts first,
    then the other drafts by due date, then the rest, latest decisions first (ordered by the database, so an old
    overdue draft is never cut off by the limit)."""
    records = Publication.objects.visible_to(user).select_related("agency")
    if status:
        records = records.filter(status=status)
    drafts = Q(status=DRAFT)
    records = records.annotate(
        group=Case(When(drafts & Q(due_on__lt=today), then=Value(0)), When(drafts, then=Value(1)), default=Value(2)),
        draft_due=Case(When(drafts, then=F("due_on")), default=Value(None)),
    ).order_by("group", "draft_due", "-decided_on", "-id")
    calendar = work_calendar()
    rows = []
    for publication in records[:limit]:
        published, draft = publication.published_on, publication.status == DRAFT
        late = (published or today) > publication.due_on and (published is not None or draft)
        rows.append(
            DeskRow(publication, calendar.working_days_between(publication.decided_on, published or today), late)
        )
    return rows


# Records imported from other systems are counted as published when they are, but their timeliness is the other
# system's: the rates and the missing counts are about decisions made or entered here.
ACCOUNTABLE = ~Q(source=Publication.Source.IMPORT) & ~Q(status=Publication.Status.WITHHELD)


# The kinds due within 7 working days (双公示: 行政许可、行政处罚, seed 三(一)3), each counted apart beside the total.
RATE_KINDS = (Kind.PENALTY, Kind.LICENCE)
ON_TIME = Q(published_on__isnull=False, published_on__lte=F("due_on"))


def _tallies(kind: str = "") -> dict:
    """The counts compliance asks for: of every kind, or of one (named `<kind>_due`, `<kind>_on_time`...)."""
    scope, prefix = (Q(kind=kind), f"{kind}_") if kind else (Q(), "")
    return {
        f"{prefix}due": Count("id", filter=scope),
        f"{prefix}on_time": Count("id", filter=scope & ON_TIME),
        f"{prefix}missing": Count("id", filter=scope & Q(status=DRAFT)),
    }


def _rates(counts: dict, kind: str = "") -> dict:
    prefix = f"{kind}_" if kind else ""
    due, on_time, missing = (counts[f"{prefix}{name}"] for name in ("due", "on_time", "missing"))
    rate = round(on_time / due, 3) if due else None
    return {"due": due, "on_time": on_time, "late": due - on_time - missing, "missing": missing, "rate": rate}


def publications_late(agencies, *, today: dt.date, year: int) -> QuerySet[Publication]:
    """The records of `agencies` decided in `year`, made or entered here, published after their due date or still
    unpublished past it (for a desk above them: the caller chose the agencies)."""
    late = Q(status=DRAFT, due_on__lt=today) | Q(published_on__isnull=False, published_on__gt=F("due_on"))
    return Publication.objects.filter(ACCOUNTABLE, late, agency__in=agencies, decided_on__year=year)


def publications_corrected(agencies, *, year: int) -> QuerySet[PublicationVersion]:
    """The corrections (a published version after the first) of records of `agencies`, published in `year`."""
    return PublicationVersion.objects.filter(
        publication__agency__in=agencies, number__gt=1, published_at__year=year
    ).select_related("publication__agency")


def publications_withdrawn(agencies, *, year: int) -> QuerySet[Publication]:
    """The records of `agencies` withdrawn from the portal in `year` (a decision changed or revoked)."""
    return Publication.objects.filter(agency__in=agencies, status=WITHDRAWN, withdrawn_at__year=year)


def compliance(agencies: QuerySet[Agency], *, today: dt.date, year: int) -> list[dict]:
    """Per agency (with those below it), for decisions of `year` made or entered here: how many were due (past
    their due date, or published), published on time, published late, and still missing — in all, and for each of
    RATE_KINDS (`kinds`), in one query an agency."""
    counted = _tallies()
    for kind in RATE_KINDS:
        counted |= _tallies(kind)
    rows = []
    for agency in agencies:
        records = Publication.objects.filter(
            Q(due_on__lt=today) | Q(published_on__isnull=False),
            ACCOUNTABLE,
            agency__path__startswith=agency.path,
            decided_on__year=year,
        )
        counts = records.aggregate(**counted)
        kinds = [{"kind": kind, "label": Kind(kind).label, **_rates(counts, kind)} for kind in RATE_KINDS]
        rows.append({"agency": agency, **_rates(counts), "kinds": kinds})
    return rows


def months_of(year: int, today: dt.date) -> range:
    """The months of `year` that have begun."""
    return range(1, 13 if year < today.year else today.month + 1)


def monthly_counts(agencies: QuerySet[Agency], *, year: int, today: dt.date) -> list[dict]:
    """Per agency and month: decisions published, those past their due date and not published, and those withheld
    by law — all shown even when zero, so that "no decisions" reads differently from "not published"."""
    rows = []
    for agency in agencies:
        records = Publication.objects.filter(agency__path__startswith=agency.path, decided_on__year=year)
        counts = {
            name: dict(
                subset.annotate(month=ExtractMonth("decided_on"))
                .values_list("month")
                .annotate(n=Count("id"))
                .values_list("month", "n")
            )
            for name, subset in [
                ("published", records.filter(published_on__isnull=False)),
                ("missing", records.filter(ACCOUNTABLE, status=DRAFT, due_on__lt=today)),
                ("withheld", records.filter(status=Publication.Status.WITHHELD)),
            ]
        }
        rows.append(
            {
                "agency": agency,
                "months": [
                    {"month": month, **{name: by_month.get(month, 0) for name, by_month in counts.items()}}
                    for month in months_of(year, today)
                ],
            }
        )
    return rows


# ---- the portal ----


def public_get(publication_id: int) -> Publication:
    """A publication the public may see: published, or the stub of a withdrawn one (404 for anything else)."""
    publication = (
        Publication.objects.public(timezone.localdate()).select_related("agency").filter(pk=publication_id).first()
    )
    if publication is None:
        raise Http404
    return publication


def public_versions(publication: Publication) -> list[PublicationVersion]:
    """The published versions, oldest first (never the original, never a draft)."""
    return list(
        publication.versions.filter(published_at__isnull=False)
        .order_by("number")
        .defer("original", "masks", "warnings")
    )


def public_search(
    *,
    text: str = "",
    agency: Agency | None = None,
    year: int | None = None,
    kind: str = "",
    violation: str = "",
    party: str = "",
    before: int | None = None,
    limit: int = 20,
) -> list[Publication]:
    """Published decisions matching `text` and the filters (the party's name is matched within the party's name
    only), newest first (keyset: ids below `before`); without text or filter, the latest decisions straight from
    the table."""
    query = search.query(
        text,
        search.filters(agency=agency.code if agency else "", year=year, kind=kind, violation=violation),
        party=party,
    )
    showing = Publication.objects.showing(timezone.localdate())
    if query.empty:
        records = showing.filter(pk__lt=before) if before is not None else showing
    else:
        records = showing.filter(pk__in=search.search(query, before=before, limit=limit))
    return list(records.select_related("agency").order_by("-id")[:limit])


def public_summary(summary: dict) -> list[tuple[str, str]]:
    """The 双公示 items shown on a decision page: those with a value, never an ID number (shared with the credit
    platforms, not shown: domain.md §16)."""
    return [(key, value) for key, value in summary.items() if value not in ("", None) and key not in ID_NUMBERS]


def public_version(publication: Publication, number: int | None = None) -> PublicationVersion:
    """One published version (the latest when `number` is None); 404 for a withdrawn record's text."""
    versions = publication.versions.filter(published_at__isnull=False).defer("original", "masks", "warnings")
    if publication.status != PUBLISHED:
        raise Http404
    version = (versions.filter(number=number) if number else versions.order_by("-number")).first()
    if version is None:
        raise Http404
    return version


def violations() -> list[str]:
    """The violation types of the catalogue the cases use, for the search filter."""
    return list(Violation.objects.order_by("code").values_list("name", flat=True).distinct())


def withdrawals(*, limit: int = 50, scope: Q | None = None) -> QuerySet[Publication]:
    """Withdrawn decisions, latest first (`scope`: only those of one feed)."""
    records = Publication.objects.filter(status=WITHDRAWN)
    if scope is not None:
        records = records.filter(scope)
    return records.select_related("agency").order_by("-withdrawn_at")[:limit]


FEED_LIMIT = 50


def feed_events(*, limit: int = FEED_LIMIT, scope: Q | None = None) -> list[dict]:
    """Publications, corrections and withdrawals, newest first, for an Atom feed (`scope`: a condition on the
    publications, from `feed_subject`); two queries of at most `limit` rows each, on indexes."""
    public = Publication.objects.public(timezone.localdate())
    if scope is not None:
        public = public.filter(scope)
    versions = (
        PublicationVersion.objects.filter(published_at__isnull=False, publication__in=public)
        .select_related("publication__agency")
        .defer("original", "masks", "warnings", "public_text", "summary", "publication__summary")
        .order_by("-published_at")[:limit]
    )
    events = [
        {
            "time": version.published_at,
            "publication": version.publication,
            "kind": "correction" if version.number > 1 else "publication",
            "reason": version.reason,
        }
        for version in versions
    ]
    events += [
        {
            "time": publication.withdrawn_at,
            "publication": publication,
            "kind": "withdrawal",
            "reason": publication.withdrawal_reason,
        }
        for publication in withdrawals(limit=limit, scope=scope)
    ]
    return sorted(events, key=lambda event: event["time"], reverse=True)[:limit]


@dataclass(frozen=True)
class FeedSubject:
    """What a feed or a subscription follows: its topic, its normalised code, its title, and the publications it
    covers (an agency's feed covers the agencies under it too)."""

    topic: str
    target: str
    title: str
    scope: Q


def feed_subject(*, topic: str, target: str) -> FeedSubject:
    """The subject of `/feeds/<topic>/<target>.atom` and of a subscription: a well-formed 统一社会信用代码 (whether or
    not a decision about it was published yet: one can follow an enterprise before its first), an active agency's
    code, or a kind of decision by its code or its Chinese name. 404 for anything else."""
    if topic == Topic.ENTERPRISE:
        code = normalize_uscc(target)
        try:
            validate_uscc(code)
        except ValidationError:
            raise Http404 from None
        named = (
            Publication.objects.showing(timezone.localdate())
            .filter(party_uscc=code)
            .order_by("-id")
            .values_list("party_name", flat=True)
            .first()
        )
        return FeedSubject(topic, code, f"{named}（{code}）" if named else code, Q(party_uscc=code))
    if topic == Topic.AGENCY:
        agency = agency_public(target.strip())
        return FeedSubject(topic, agency.code, agency.name, Q(agency__path__startswith=agency.path))
    if topic == Topic.KIND:
        labels = {str(label): value for value, label in Kind.choices}
        kind = labels.get(target.strip(), target.strip())
        if kind not in Kind.values:
            raise Http404
        return FeedSubject(topic, kind, str(Kind(kind).label), Q(kind=kind))
    raise Http404


def subscription_by_token(*, token: str, purpose: str) -> Subscription:
    """The subscription a confirmation link (`purpose` "confirm") or an unsubscribe link ("unsubscribe") names: the
    token is the only credential, so an unknown one is 404 and says nothing more."""
    field = {"confirm": "confirm_token", "unsubscribe": "unsubscribe_token"}[purpose]
    subscription = Subscription.objects.filter(**{field: token}).first() if token else None
    if subscription is None:
        raise Http404
    return subscription
