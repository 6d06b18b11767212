import datetime as dt

from django.urls import reverse

from sanxiang.cases import services as case_services
from sanxiang.testing.cases import open_case
from sanxiang.web.models import Notification
from sanxiang.web.services import notifications_send_due


def test_deadlines_within_three_days_or_past_are_notified_once_to_investigators_and_heads(client, world):
    case = open_case(world)  # filing due 16 September 2026
    assert notifications_send_due(today=dt.date(2026, 9, 10)) == 0
    sent = notifications_send_due(today=dt.date(2026, 9, 14))
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert sent == 1 and recipients == {"head"}  # a clue has no investigators yet
    assert notifications_send_due(today=dt.date(2026, 9, 15)) == 0  # not twice
    case_services.case_refresh_deadlines()
    assert notifications_send_due(today=dt.date(2026, 9, 17)) == 1  # now overdue: a new notice
    notice = Notification.objects.filter(overdue=True).get()
    assert "已逾期" in notice.title and notice.url == reverse("cases:case-detail", args=[case.pk])
    client.force_login(world.people.head)
    page = client.get(reverse("web:home")).content.decode()
    assert 'class="badge bad">2<' in page
    client.post(reverse("web:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.people.outsider).count() == 0
