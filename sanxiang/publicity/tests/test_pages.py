"""The workbench pages of publicity: the desk, the side-by-side redaction and the actions with their refusals."""

import datetime as dt

from sanxiang.ledger.models import Entry
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import DECIDED, at
from sanxiang.testing.publicity import decided, published


def _post(client, publication, action, data):
    return client.post(
        f"/workbench/publicity/{publication.pk}/{action}",
        {"version": Publication.objects.get(pk=publication.pk).version, **data},
    )


def test_the_desk_lists_overdue_records_first_with_the_working_days_taken(client, world):
    late = decided(world)
    on_time = published(world)
    client.force_login(world.people.clerk)
    with at(dt.date(2026, 10, 26)):
        page = client.get("/workbench/publicity/").content.decode()
    assert page.index(late.number) < page.index(on_time.number)
    assert "已逾期" in page and "2026-10-21" in page
    assert "2026年按时公示情况" in page


def test_the_original_and_the_public_text_are_shown_side_by_side_to_staff_only(client, world):
    publication = decided(world)
    client.force_login(world.people.clerk)
    page = client.get(f"/workbench/publicity/{publication.pk}/").content.decode()
    assert "原文（仅工作人员可见）" in page and "公开文本" in page
    client.force_login(world.people.outsider)
    assert client.get(f"/workbench/publicity/{publication.pk}/").status_code == 404


def test_a_clerk_masks_a_typed_passage_and_the_same_person_cannot_confirm_it(client, world):
    publication = decided(world)
    draft = publication.versions.get()
    passage = world.harbin.name  # any passage of the text: here the agency's own name stands in for a secret
    assert passage in draft.original
    client.force_login(world.people.clerk)
    with at(DECIDED):
        response = _post(
            client,
            publication,
            "redact",
            {"keep": [str(i) for i in range(len(draft.masks))], "phrases": passage, "phrase_kind": "secret"},
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert passage not in draft.public_text and "［已依法隐去］" in draft.public_text
        refused = _post(client, publication, "confirm", {})
    assert refused.status_code == 400 and "遮盖处理须由另一人复核确认" in refused.content.decode()


def test_a_phrase_not_in_the_text_is_reported_and_nothing_is_saved(client, world):
    publication = decided(world)
    client.force_login(world.people.clerk)
    with at(DECIDED):
        response = _post(client, publication, "redact", {"phrases": "不存在的商业秘密", "phrase_kind": "secret"})
    assert response.status_code == 400 and "原文中找不到“不存在的商业秘密”" in response.content.decode()
    assert not Entry.objects.filter(action="publication.redact").exists()


def test_confirm_and_publish_from_the_page_then_the_portal_link_appears(client, world):
    publication = decided(world)
    draft = publication.versions.get()
    client.force_login(world.people.clerk)
    with at(DECIDED):
        _post(client, publication, "redact", {"keep": [str(i) for i in range(len(draft.masks))]})
        refused = _post(client, publication, "publish", {})
        assert refused.status_code == 400 and "遮盖处理未经复核确认，不得公开" in refused.content.decode()
        client.force_login(world.people.head)
        assert _post(client, publication, "confirm", {}).status_code == 302
        assert _post(client, publication, "publish", {}).status_code == 302
        page = client.get(f"/workbench/publicity/{publication.pk}/").content.decode()
    assert f"/decisions/{publication.pk}/" in page and "已公示" in page


def test_a_withdrawal_without_a_reason_is_refused_on_the_page(client, world):
    publication = published(world)
    client.force_login(world.people.clerk)
    with at(DECIDED):
        response = _post(client, publication, "withdraw", {"changed_on": "2026-10-12", "reason": ""})
    assert response.status_code == 400
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.PUBLISHED


def test_a_stale_version_is_a_conflict_not_an_overwrite(client, world):
    publication = decided(world)
    client.force_login(world.people.clerk)
    with at(DECIDED):
        response = client.post(
            f"/workbench/publicity/{publication.pk}/withhold",
            {"version": publication.version - 1 if publication.version > 1 else 99, "reason": "涉及商业秘密"},
        )
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.DRAFT


def test_the_clerks_and_heads_are_reminded_before_a_publication_falls_due_and_when_it_is_overdue(world):
    from sanxiang.web.models import Notification
    from sanxiang.web.services import notifications_send_due

    publication = decided(world)  # due 21 October
    notifications_send_due(today=dt.date(2026, 10, 16))
    assert not Notification.objects.filter(key__startswith="publication:").exists()
    notifications_send_due(today=dt.date(2026, 10, 19))
    soon = Notification.objects.filter(key__startswith="publication:", overdue=False)
    assert set(soon.values_list("user__username", flat=True)) == {"clerk", "head"}
    notifications_send_due(today=dt.date(2026, 10, 22))
    notifications_send_due(today=dt.date(2026, 10, 23))  # once per person and deadline
    overdue = Notification.objects.filter(key__startswith="publication:", overdue=True)
    assert overdue.count() == 2 and publication.number in overdue.first().title
