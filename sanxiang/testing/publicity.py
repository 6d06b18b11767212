"""Factories for publicity: a decided case's publication taken through masking, confirmation and publication."""

from __future__ import annotations

import datetime as dt

from sanxiang.publicity import services
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at, open_case, walk


def decided(world, **case_overrides) -> Publication:
    """The publication a penalty decision of 12 October 2026 opened (a 150,000 yuan fine, no review needed)."""
    case = walk(world, open_case(world, **case_overrides), "decided")
    return Publication.objects.get(case=case, kind="penalty")


def publish(world, publication: Publication, *, masks=None) -> Publication:
    """The clerk accepts (or sets) the masks, the head confirms, the clerk publishes."""
    draft = publication.versions.order_by("-number").first()
    services.publication_redact(
        actor=world.people.clerk, publication=publication, masks=draft.masks if masks is None else masks
    )
    services.publication_confirm(actor=world.people.head, publication=publication)
    return services.publication_publish(actor=world.people.clerk, publication=publication)


def published(world, **case_overrides) -> Publication:
    publication = decided(world, **case_overrides)
    with at(DECIDED):
        return publish(world, publication)


REVIEW_REVOKED = "行政复议机关决定撤销原处罚决定"


def withdraw(world, publication: Publication) -> Publication:
    """The clerk withdraws it on 3 December 2026: a reconsideration revoked the decision on the 1st."""
    with at(dt.date(2026, 12, 3)):
        return services.publication_withdraw(
            actor=world.people.clerk, publication=publication, reason=REVIEW_REVOKED, changed_on=dt.date(2026, 12, 1)
        )
