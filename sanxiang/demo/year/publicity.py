"""The publicity clerks' rounds over the generated year's decisions, through the publicity services: most masked
the next working day, confirmed by the head and published well within the seven working days; a few published late
(the clerk away), one or two corrected after publication. Withdrawals follow the 复议 and judgments that revoke a
decision (the cases services withdraw its publication themselves)."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from sanxiang.agencies.models import AgencyLevel
from sanxiang.demo.publicity import CORRECTION, _advance
from sanxiang.publicity import services
from sanxiang.publicity.models import Publication

DRAFT, PUBLISHED = Publication.Status.DRAFT, Publication.Status.PUBLISHED


def _city(agency) -> str:
    """The code of the city an agency belongs to (a county branch publishes through its city's clerk)."""
    return agency.code if agency.level != AgencyLevel.COUNTY else agency.parent.code


def _plan(seed: int, publication: Publication) -> tuple[int, int | None]:
    """(working days after the decision it is published, working days after publication it is corrected)."""
    rng = random.Random(f"{seed}:{publication.agency_id}:{publication.decided_on}:{publication.party_name}")
    chance = rng.random()
    publish = rng.randint(9, 14) if chance < 0.06 else rng.randint(1, 3)
    return publish, rng.randint(3, 10) if rng.random() < 0.04 else None


def rounds(story, bureaus, seed: int, known: set[int]) -> None:
    """Every working day, each bureau's clerk goes through the year's decisions waiting for them (the hand-told
    demo's publications, `known`, keep their own course)."""
    day = dt.date(story.today.year, 1, 2)
    by_code = {bureau.code: bureau for bureau in bureaus}
    settled: set[int] = set()  # published and never to be corrected again: no round looks at them any more
    while day <= story.today:
        if story.calendar.is_workday(day):
            story.add(day, lambda day=day: _round(story, by_code, seed, known | settled, day, settled))
        day += dt.timedelta(days=1)


def _round(story, by_code: dict, seed: int, known: set[int], today: dt.date, settled: set[int]) -> None:
    """One working day of every bureau's clerk (one query for all of them); a publication it is done with joins
    `settled`."""
    records = (
        Publication.objects.filter(Q(status=DRAFT) | Q(status=PUBLISHED), decided_on__year=today.year)
        .exclude(pk__in=known)
        .select_related("agency__parent")
        .order_by("id")
    )
    for publication in records:
        bureau = by_code.get(_city(publication.agency))
        if bureau is None:
            continue
        publish, correct = _plan(seed, publication)
        since = story.calendar.working_days_between(publication.decided_on, today)
        if publication.status == DRAFT:
            waiting = publication.versions.filter(published_at__isnull=True).order_by("-number").first()
            if waiting is not None and since >= publish - 1:
                _advance(publication, waiting, bureau.clerk, bureau.head, publish=since >= publish)
        elif correct is None or publication.versions.count() > 1:
            settled.add(publication.pk)
        elif story.calendar.working_days_between(publication.published_on, today) == correct:
            reason, old, new = CORRECTION
            original = publication.versions.get().original
            services.publication_correct(
                actor=bureau.clerk,
                publication=publication,
                reason=reason,
                original=original.replace(old, new) if old in original else original + "\n" + new,
            )
