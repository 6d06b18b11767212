"""The transition toolkit every state machine goes through: lock, check the move against the table, apply, and ledger
the previous and the new state — and the ways a transition could skip a step, each refused with nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from sanxiang.agencies.models import CertificateStatus
from sanxiang.agencies.services import CERTIFICATE, certificate_revoke, certificate_suspend
from sanxiang.cases.models import Stage
from sanxiang.cases.services import CASE, INSPECTION, case_file
from sanxiang.core.errors import Conflict
from sanxiang.disclosures.services import DISCLOSURE
from sanxiang.ledger.models import Entry, LogHead
from sanxiang.ledger.selectors import entry_json
from sanxiang.ledger.vocabulary import ACTION_LABELS
from sanxiang.publicity.services import PUBLICATION
from sanxiang.review.models import Review
from sanxiang.review.services import REVIEW
from sanxiang.testing.cases import FILED, at, open_case

MACHINES = [CASE, INSPECTION, CERTIFICATE, REVIEW, PUBLICATION, DISCLOSURE]


def _data(action: str) -> dict:
    return entry_json(Entry.objects.filter(action=action).latest("index"))["data"]


def test_an_entry_records_the_state_before_and_after_the_move(world):
    certificate_suspend(actor=world.people.admin, certificate=world.certificates.county, reason="调查期间")
    data = _data("certificate.suspend")
    assert data["status"] == CertificateStatus.SUSPENDED and data["previous_status"] == CertificateStatus.VALID
    case = open_case(world)
    assert _data("case.open")["previous_stage"] is None and _data("case.open")["stage"] == Stage.CLUE
    with at(FILED):
        case_file(
            actor=world.people.head,
            case=case,
            investigators=[world.people.officer, world.people.partner],
            opinion="同意立案",
        )
    data = _data("case.file")
    assert (data["previous_stage"], data["stage"], data["version"]) == (Stage.CLUE, Stage.INVESTIGATING, 3)


def test_a_move_the_table_does_not_allow_is_refused_and_writes_nothing(world):
    certificate_revoke(actor=None, certificate=world.certificates.officer, reason="调离")
    size = LogHead.objects.get().size
    with pytest.raises(ValidationError) as error, transaction.atomic():
        CERTIFICATE.lock(world.certificates.officer, "suspend")
    assert error.value.code == "invalid_transition" and "“吊销”" in error.value.messages[0]
    assert LogHead.objects.get().size == size


def test_a_stale_version_is_a_conflict(world):
    case = open_case(world)
    with pytest.raises(Conflict), transaction.atomic():
        CASE.lock(case, "file", version=case.version - 1)


def test_a_commit_without_its_lock_is_refused(world):
    case = open_case(world)
    size = LogHead.objects.get().size
    with pytest.raises(RuntimeError, match="not locked"), transaction.atomic():
        CASE.commit(None, case, "extend_filing")
    with pytest.raises(RuntimeError, match="not locked"), transaction.atomic():
        CASE.commit(None, CASE.lock(case, "extend_filing"), "file")  # locked for another move
    assert LogHead.objects.get().size == size and CASE.model.objects.get(pk=case.pk).stage == Stage.CLUE


def test_a_state_the_move_cannot_lead_to_is_refused(world):
    from sanxiang.testing.cases import walk
    from sanxiang.testing.reviews import submit

    case = walk(world, open_case(world, title="吊销许可证案"), "reconsidered", kinds=("fine", "revoke_licence"))
    with at(FILED.replace(month=10, day=12)):
        review = submit(world, case)
    size = LogHead.objects.get().size
    with pytest.raises(RuntimeError, match="may not lead to"), transaction.atomic():
        locked = REVIEW.lock(review, "opinion")
        locked.status = Review.Status.COORDINATION  # an opinion ends in 同意 or 存在问题, nothing else
        REVIEW.commit(None, locked, "opinion")
    assert LogHead.objects.get().size == size and Review.objects.get(pk=review.pk).status == Review.Status.OPEN


def test_only_a_move_that_creates_a_record_may_start_one(world):
    with pytest.raises(ValueError):
        CASE.start(open_case(world), "file")


@pytest.mark.parametrize("machine", MACHINES, ids=[machine.prefix for machine in MACHINES])
def test_every_move_of_every_machine_has_its_label_on_the_audit_page(machine):
    for name, move in machine.moves.items():
        assert str(move.label) and ACTION_LABELS[f"{machine.prefix}.{name}"] == move.label
        assert move.sources and (move.targets is None or move.targets)


def test_many_records_move_together_each_with_its_entry(world):
    """lock_many / commit_many, for a background job moving hundreds: one state change and one entry per record."""
    size = LogHead.objects.get().size
    with transaction.atomic():
        locked = CERTIFICATE.lock_many([world.certificates.officer, world.certificates.partner], "suspend")
        indexes = CERTIFICATE.commit_many(None, locked, "suspend", lambda record: {"reason": "调查期间"})
    assert indexes == [size, size + 1] and LogHead.objects.get().size == size + 2
    for certificate, index in zip([world.certificates.officer, world.certificates.partner], indexes, strict=True):
        certificate.refresh_from_db()
        data = entry_json(Entry.objects.get(index=index))["data"]
        assert certificate.status == CertificateStatus.SUSPENDED
        assert (data["previous_status"], data["status"], data["reason"]) == ("valid", "suspended", "调查期间")
        assert data["number"] == certificate.number


def test_many_records_move_only_if_the_table_allows_every_one(world):
    certificate_revoke(actor=None, certificate=world.certificates.partner, reason="调离")
    size = LogHead.objects.get().size
    with pytest.raises(ValidationError) as error, transaction.atomic():
        CERTIFICATE.lock_many([world.certificates.officer, world.certificates.partner], "suspend")
    assert error.value.code == "invalid_transition"
    with pytest.raises(RuntimeError, match="not locked"), transaction.atomic():
        CERTIFICATE.commit_many(None, [world.certificates.officer], "suspend")
    world.certificates.officer.refresh_from_db()
    assert world.certificates.officer.status == CertificateStatus.VALID
    assert LogHead.objects.get().size == size
