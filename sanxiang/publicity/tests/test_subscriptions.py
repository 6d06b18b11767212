"""E-mail subscriptions to the portal's decisions: double opt-in, one-click cancellation, the notices each
publication, correction and withdrawal queues, sent through the configured notifier only after the transaction
commits — by the services, the portal's pages and the public API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.publicity import services
from sanxiang.publicity.models import Publication, Subscription, SubscriptionNotice
from sanxiang.testing.browser import fits
from sanxiang.testing.cases import DECIDED, at, make_party
from sanxiang.testing.publicity import decided, publish, published

Event = SubscriptionNotice.Event
SENT: list[tuple] = []


class RecordingNotifier:
    """A notifier that keeps what it was asked to send."""

    def send(self, notice):
        SENT.append((notice.pk, notice.subscription.email, notice.subject))


class BrokenNotifier:
    def send(self, notice):
        raise ConnectionError("mail relay unreachable")


RECORDING = "sanxiang.publicity.tests.test_subscriptions.RecordingNotifier"


@pytest.fixture(autouse=True)
def recording(settings):
    settings.SUBSCRIPTION_NOTIFIER = RECORDING
    SENT.clear()


def _subscribe(email, topic, target, *, capture):
    with capture(execute=True):
        return services.subscription_request(email=email, topic=topic, target=target)


def _confirmed(email, topic, target, *, capture):
    subscription = _subscribe(email, topic, target, capture=capture)
    return services.subscription_confirm(subscription=subscription)


def _notices(event=None, **filters):
    rows = SubscriptionNotice.objects.filter(**filters)
    return rows.filter(event=event) if event else rows


def test_nothing_but_the_confirmation_is_sent_before_the_subscriber_confirms(world, django_capture_on_commit_callbacks):
    party = make_party(world.harbin)
    subscription = _subscribe(
        "Reader@Example.COM", "enterprise", party.uscc.lower(), capture=django_capture_on_commit_callbacks
    )
    assert subscription.email == "Reader@example.com" and subscription.target == party.uscc
    assert subscription.confirmed_at is None and subscription.confirm_token != subscription.unsubscribe_token
    confirmation = _notices(Event.CONFIRM).get()
    assert confirmation.sent_at is not None and SENT == [(confirmation.pk, "Reader@example.com", confirmation.subject)]
    assert f"/subscriptions/confirm/{subscription.confirm_token}/" in confirmation.text
    assert f"/subscriptions/unsubscribe/{subscription.unsubscribe_token}/" in confirmation.text
    with django_capture_on_commit_callbacks(execute=True):
        published(world, party=party)
    assert not _notices(Event.PUBLISHED).exists() and len(SENT) == 1
    services.subscription_confirm(subscription=subscription)
    with django_capture_on_commit_callbacks(execute=True):
        publication = published(world, party=party)
    notice = _notices(Event.PUBLISHED).get()
    assert notice.publication == publication and notice.subscription == subscription and notice.sent_at is not None
    assert publication.number in notice.subject and publication.party_name in notice.text
    assert f"/decisions/{publication.pk}/" in notice.text and subscription.unsubscribe_token in notice.text
    # the address is personal data: never in the ledger
    assert not Entry.objects.filter(body__contains=b"Reader@").exists()


def test_publication_correction_and_withdrawal_each_tell_every_follower_once(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    party = make_party(world.harbin)
    by_enterprise = _confirmed("a@example.com", "enterprise", party.uscc, capture=capture)
    _confirmed("a@example.com", "kind", "行政处罚", capture=capture)  # the same address twice: told once
    by_province = _confirmed("b@example.com", "agency", world.province.code, capture=capture)
    _confirmed("c@example.com", "agency", world.qiqihar.code, capture=capture)  # another city: nothing
    _subscribe("d@example.com", "kind", "penalty", capture=capture)  # never confirmed: nothing
    licences = _confirmed("e@example.com", "kind", "licence", capture=capture)  # another kind: nothing
    assert licences.target == "licence"
    with capture(execute=True):
        publication = decided(world, party=party)
        assert not _notices(Event.PUBLISHED).exists()  # a draft tells nobody
        with at(DECIDED):
            publish(world, publication)
    published_to = set(_notices(Event.PUBLISHED).values_list("subscription__email", flat=True))
    assert published_to == {"a@example.com", "b@example.com"}
    assert _notices(Event.PUBLISHED, subscription__email="a@example.com").get().subscription == by_enterprise
    with at(DECIDED + dt.timedelta(days=1)), capture(execute=True):
        original = publication.versions.get().original + "\n补充说明。"
        services.publication_correct(
            actor=world.people.clerk, publication=publication, original=original, reason="补充说明"
        )
        assert not _notices(Event.CORRECTED).exists()  # a correction is told when it is published
        publish(world, Publication.objects.get(pk=publication.pk))
    corrected = _notices(Event.CORRECTED)
    assert corrected.count() == 2 and all("更正说明：补充说明" in row.text for row in corrected)
    with at(dt.date(2026, 12, 3)), capture(execute=True):
        services.publication_withdraw(
            actor=world.people.clerk,
            publication=Publication.objects.get(pk=publication.pk),
            reason="行政复议机关决定撤销原处罚决定",
            changed_on=dt.date(2026, 12, 1),
        )
    withdrawn = _notices(Event.WITHDRAWN)
    assert set(withdrawn.values_list("subscription__email", flat=True)) == {"a@example.com", "b@example.com"}
    for row in withdrawn:  # as the portal's notice: the number and the reason, not the party
        assert publication.number in row.text and "撤回原因：行政复议机关决定撤销原处罚决定" in row.text
        assert party.name not in row.text
    assert all(row.sent_at is not None for row in _notices().exclude(event=Event.CONFIRM))
    assert by_province.target == world.province.code


def test_the_notifier_runs_only_after_the_transaction_commits_and_a_failure_is_recorded(
    world, django_capture_on_commit_callbacks, settings
):
    party = make_party(world.harbin)
    _confirmed("a@example.com", "enterprise", party.uscc, capture=django_capture_on_commit_callbacks)
    SENT.clear()
    publication = decided(world, party=party)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, at(DECIDED):
        publish(world, publication)
    notice = _notices(Event.PUBLISHED).get()
    assert SENT == [] and notice.sent_at is None and callbacks  # queued in the transaction, not sent
    for callback in callbacks:
        callback()
    notice.refresh_from_db()
    assert [row[0] for row in SENT] == [notice.pk] and notice.sent_at is not None
    settings.SUBSCRIPTION_NOTIFIER = "sanxiang.publicity.tests.test_subscriptions.BrokenNotifier"
    with django_capture_on_commit_callbacks(execute=True):
        later = published(world, party=party)
    failed = _notices(Event.PUBLISHED, publication=later).get()
    assert failed.sent_at is None and failed.error == "mail relay unreachable"


def test_a_bad_address_or_an_unknown_subject_is_refused(world):
    for email, topic, target, field in [
        ("not-an-address", "kind", "penalty", "email"),
        ("a@example.com", "enterprise", "91230100MA00000000", "target"),  # wrong check character
        ("a@example.com", "agency", "999999", "target"),
        ("a@example.com", "kind", "传说", "target"),
        ("a@example.com", "planet", "x", "topic"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.subscription_request(email=email, topic=topic, target=target)
        assert field in refused.value.message_dict
    assert not Subscription.objects.exists() and not SubscriptionNotice.objects.exists()


def test_one_mailbox_gets_a_few_confirmations_a_day_and_asking_again_reveals_nothing(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTION_CONFIRMATIONS_PER_DAY = 2
    capture = django_capture_on_commit_callbacks
    first = _subscribe("a@example.com", "kind", "penalty", capture=capture)
    again = _subscribe("a@example.com", "kind", "penalty", capture=capture)  # lost the message: sent again
    assert again == first and _notices(Event.CONFIRM).count() == 2
    with pytest.raises(ValidationError) as refused:
        _subscribe("a@example.com", "agency", world.harbin.code, capture=capture)
    assert refused.value.error_dict["email"][0].code == "too_many_confirmations"
    assert Subscription.objects.count() == 1 and _notices(Event.CONFIRM).count() == 2


def test_the_confirmation_link_expires_and_a_confirmed_subscription_is_not_asked_again(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with at(dt.date(2026, 11, 2)):
        subscription = _subscribe("a@example.com", "kind", "penalty", capture=capture)
    with at(dt.date(2026, 11, 10)), pytest.raises(ValidationError, match="已过期"):
        services.subscription_confirm(subscription=subscription)
    with at(dt.date(2026, 11, 10)):
        subscription = _subscribe("a@example.com", "kind", "penalty", capture=capture)
        confirmed = services.subscription_confirm(subscription=subscription)
        assert services.subscription_confirm(subscription=confirmed).confirmed_at == confirmed.confirmed_at
        assert _subscribe("a@example.com", "kind", "penalty", capture=capture) == confirmed
    assert _notices(Event.CONFIRM).count() == 2  # none for asking once confirmed


def test_an_address_never_confirmed_is_erased_once_its_link_has_expired(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with at(dt.date(2026, 11, 2)), capture(execute=False):
        waiting = services.subscription_request(email="a@example.com", topic="kind", target="penalty")
    with at(dt.date(2026, 11, 3)):
        fresh = _subscribe("b@example.com", "kind", "penalty", capture=capture)
        confirmed = _confirmed("c@example.com", "kind", "licence", capture=capture)
    with at(dt.date(2026, 11, 4)):
        services.subscription_confirm(subscription=_subscribe("d@example.com", "kind", "penalty", capture=capture))
    with at(dt.date(2026, 11, 10)):
        assert services.subscriptions_expire(now=timezone.now()) == 1
    erased = Subscription.objects.get(pk=waiting.pk)
    assert erased.email == "" and erased.cancelled_at is not None
    assert Subscription.objects.get(pk=fresh.pk).email == "b@example.com"  # its link still runs
    assert Subscription.objects.get(pk=confirmed.pk).email == "c@example.com"
    unsent = _notices(Event.CONFIRM, subscription=waiting).get()
    assert unsent.sent_at is None and unsent.error == "确认链接已过期，未发送"
    with at(dt.date(2026, 11, 10)), pytest.raises(ValidationError, match="已过期"):
        services.subscription_confirm(subscription=erased)
    with at(dt.date(2026, 11, 10)):
        assert _subscribe("a@example.com", "kind", "penalty", capture=capture).pk != waiting.pk  # asked afresh


def test_unsubscribing_erases_the_address_stops_notices_and_drops_those_unsent(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    party = make_party(world.harbin)
    subscription = _confirmed("a@example.com", "enterprise", party.uscc, capture=capture)
    publication = decided(world, party=party)
    with capture(execute=False), at(DECIDED):
        publish(world, publication)  # queued, not yet sent
    cancelled = services.subscription_cancel(subscription=subscription)
    assert cancelled.cancelled_at is not None and cancelled.email == ""
    assert services.subscription_cancel(subscription=cancelled).cancelled_at == cancelled.cancelled_at
    services.notices_send(ids=list(_notices().values_list("pk", flat=True)))
    unsent = _notices(Event.PUBLISHED).get()
    assert unsent.sent_at is None and unsent.error == "已退订，未发送"
    with pytest.raises(ValidationError, match="已退订"):
        services.subscription_confirm(subscription=cancelled)
    with capture(execute=True):
        published(world, party=party)
    assert _notices(Event.PUBLISHED).count() == 1
    # the address may subscribe again afresh
    assert _subscribe("a@example.com", "enterprise", party.uscc, capture=capture).pk != subscription.pk


# ---- the portal and the API ----


def test_the_portal_form_confirmation_and_unsubscribe_pages(client, world, django_capture_on_commit_callbacks):
    page = client.get("/subscriptions/", {"topic": "agency", "target": "230100"}).content.decode()
    assert 'name="email"' in page and 'value="230100"' in page and "不具有法律效力" in page
    assert "您将订阅执法机关“哈尔滨市生态环境局”" in page
    refused = client.post("/subscriptions/", {"email": "nope", "topic": "agency", "target": "230100"})
    assert refused.status_code == 400 and 'class="errorlist"' in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/subscriptions/", {"email": "a@example.com", "topic": "agency", "target": "230100"})
    assert done.status_code == 302 and "请查收确认邮件" in client.get(done["Location"]).content.decode()
    subscription = Subscription.objects.get()
    url = f"/subscriptions/confirm/{subscription.confirm_token}/"
    page = client.get(url).content.decode()  # a mail scanner opening the link confirms nothing
    assert "哈尔滨市生态环境局" in page and Subscription.objects.get().confirmed_at is None
    assert "订阅成功" in client.post(url).content.decode() and Subscription.objects.get().is_active
    url = f"/subscriptions/unsubscribe/{subscription.unsubscribe_token}/"
    assert "退订" in client.get(url).content.decode() and Subscription.objects.get().cancelled_at is None
    assert "已退订" in client.post(url).content.decode() and Subscription.objects.get().email == ""
    assert client.get("/subscriptions/confirm/forged/").status_code == 404
    assert client.post("/subscriptions/unsubscribe/forged/").status_code == 404


def test_the_portal_form_offers_the_kinds_by_their_chinese_names(client, world, django_capture_on_commit_callbacks):
    page = client.get("/subscriptions/", {"topic": "kind", "target": "penalty"}).content.decode()
    assert '<select name="kind"' in page and '<option value="penalty" selected>行政处罚</option>' in page
    assert "penalty 或" not in page and 'value="penalty"' not in page.replace('<option value="penalty"', "")
    missing = client.post("/subscriptions/", {"email": "a@example.com", "topic": "kind"})
    assert missing.status_code == 400 and "请选择决定类别" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/subscriptions/", {"email": "a@example.com", "topic": "kind", "kind": "coercive"})
    assert done.status_code == 302 and Subscription.objects.get().target == "coercive"


def test_one_address_subscribing_too_fast_is_refused_on_the_form_counting_the_api_too(
    client, world, settings, django_capture_on_commit_callbacks
):
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], "subscription": "2/hour"}
    settings.REST_FRAMEWORK = framework
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post("/subscriptions/", {"email": "a@example.com", "topic": "kind", "target": "penalty"}).status_code
            == 302
        )
        body = {"email": "b@example.com", "topic": "kind", "target": "penalty"}
        assert APIClient().post("/api/v1/public/subscriptions", body, format="json").status_code == 202
    refused = client.post("/subscriptions/", {"email": "c@example.com", "topic": "kind", "target": "penalty"})
    text = refused.content.decode()
    assert refused.status_code == 429 and "过于频繁" in text and "c@example.com" in text
    assert int(refused["Retry-After"]) > 0
    api = APIClient().post("/api/v1/public/subscriptions", body | {"email": "d@example.com"}, format="json")
    assert api.status_code == 429 and api.json()["error"]["code"] == "throttled"
    assert Subscription.objects.count() == 2


def test_the_public_api_subscribes_confirms_and_unsubscribes_with_structured_errors(
    world, django_capture_on_commit_callbacks
):
    api = APIClient()
    bad = api.post("/api/v1/public/subscriptions", {"email": "x", "topic": "kind", "target": "penalty"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()["error"]["fields"]
    unknown = api.post(
        "/api/v1/public/subscriptions", {"email": "a@example.com", "topic": "agency", "target": "0"}, format="json"
    )
    assert unknown.status_code == 400 and "target" in unknown.json()["error"]["fields"]
    wrong_type = api.post(
        "/api/v1/public/subscriptions", {"email": ["a"], "topic": "kind", "target": "penalty"}, format="json"
    )
    assert wrong_type.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post(
            "/api/v1/public/subscriptions",
            {"email": "a@example.com", "topic": "kind", "target": "行政许可"},
            format="json",
        )
    assert made.status_code == 202
    answer = made.json()
    assert answer["target"] == "licence" and answer["status"] == "confirmation_sent"
    subscription = Subscription.objects.get()
    assert subscription.confirm_token not in made.content.decode()  # only the mailbox can confirm
    confirmed = api.post(f"/api/v1/public/subscriptions/confirm/{subscription.confirm_token}")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_at"]
    cancelled = api.post(f"/api/v1/public/subscriptions/unsubscribe/{subscription.unsubscribe_token}")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"]
    again = api.post(f"/api/v1/public/subscriptions/confirm/{subscription.confirm_token}")
    assert again.status_code == 400 and again.json()["error"]["code"]
    missing = api.post("/api/v1/public/subscriptions/unsubscribe/forged")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.browser
def test_on_a_phone_a_reader_follows_an_enterprise_from_its_decision_and_confirms(
    live_data, browser, live_server, world
):
    publication = published(world)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/decisions/{publication.pk}/")
    page.click("p.follow >> text=邮件订阅")
    page.wait_for_url(f"{live_server.url}/subscriptions/?*")
    assert page.input_value('input[name="target"]') == publication.party_uscc
    assert fits(page)
    page.fill('input[name="email"]', "reader@example.com")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live_server.url}/subscriptions/requested/")
    assert "请查收确认邮件" in page.content()
    subscription = Subscription.objects.get()
    confirmation = _notices(Event.CONFIRM).get()
    assert confirmation.sent_at is not None  # sent once the request's transaction committed
    page.goto(f"{live_server.url}/subscriptions/confirm/{subscription.confirm_token}/")
    assert Subscription.objects.get().confirmed_at is None
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "订阅成功" in page.content() and publication.party_name in page.content()
    assert fits(page)
    assert Subscription.objects.get().is_active
