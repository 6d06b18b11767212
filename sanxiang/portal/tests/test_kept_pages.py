"""Decision pages and the home page kept as rendered (portal.pages): served by their hash with a strong ETag, 304
to a reader who has it, and never once the record has moved on."""

from sanxiang.portal.models import KeptPage
from sanxiang.testing.publicity import REVIEW_REVOKED, published, withdraw


def test_a_decision_page_is_kept_and_served_by_its_hash(client, world):
    publication = published(world)
    first = client.get(f"/decisions/{publication.pk}/")
    kept = KeptPage.objects.get(path=f"/decisions/{publication.pk}/")
    second = client.get(f"/decisions/{publication.pk}/")
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert first["ETag"] == second["ETag"] == f'"{kept.sha256}"' and "public" in first["Cache-Control"]
    assert publication.party_name in first.content.decode() and kept.publication_version == publication.version


def test_a_reader_who_has_the_page_gets_304_without_it(client, world):
    publication = published(world)
    etag = client.get(f"/decisions/{publication.pk}/")["ETag"]
    again = client.get(f"/decisions/{publication.pk}/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    other = client.get(f"/decisions/{publication.pk}/", headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.content


def test_a_withdrawn_decision_is_never_served_from_the_page_kept_before(client, world):
    publication = published(world)
    before = client.get(f"/decisions/{publication.pk}/")
    withdraw(world, publication)
    after = client.get(f"/decisions/{publication.pk}/")
    assert after["ETag"] != before["ETag"] and REVIEW_REVOKED in after.content.decode()
    assert publication.party_name not in after.content.decode()
    assert client.get(f"/decisions/{publication.pk}/", headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_a_page_kept_by_a_reader_while_the_record_moved_is_not_served(client, world):
    publication = published(world)
    client.get(f"/decisions/{publication.pk}/")
    withdraw(world, publication)
    # the reader's render of the published page lands after the withdrawal committed, at the old version
    KeptPage.objects.filter(path=f"/decisions/{publication.pk}/").update(publication_version=publication.version)
    assert REVIEW_REVOKED in client.get(f"/decisions/{publication.pk}/").content.decode()


def test_the_home_page_is_kept_and_dropped_by_a_publication_event(client, world):
    client.get("/")
    assert KeptPage.objects.filter(path="/", publication__isnull=True).exists()
    publication = published(world)
    assert not KeptPage.objects.filter(path="/").exists()
    assert (
        publication.party_name in client.get("/").content.decode()
        or publication.title in client.get("/").content.decode()
    )


def test_an_unknown_decision_is_404_and_nothing_is_kept(client, world):
    assert client.get("/decisions/999999/").status_code == 404 and not KeptPage.objects.exists()


def test_the_move_renders_the_page_once_it_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = published(world)
    kept = KeptPage.objects.get(path=f"/decisions/{publication.pk}/")
    assert kept.publication_version == publication.version and kept.publication_id == publication.pk
