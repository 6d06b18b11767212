"""Date and time inputs keep their values on a Chinese page, and hidden fields carry no visible label."""

import datetime as dt
import re

from django import forms
from django.urls import reverse
from django.utils import translation

from sanxiang.core.forms import DateInput, DateTimeInput
from sanxiang.testing.cases import FILED, NOTIFIED, at, open_case, walk


class Dated(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


def test_a_date_is_sent_to_the_browser_in_iso_form_whatever_the_language():
    with translation.override("zh-hans"):
        html = str(Dated(initial={"day": dt.date(2026, 12, 5), "moment": dt.datetime(2026, 12, 5, 9, 30, 17)}))
    assert 'type="date"' in html and 'value="2026-12-05"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-05T09:30"' in html
    assert "2026/12/05" not in html


def test_what_the_browser_sends_back_is_read():
    form = Dated({"day": "2026-12-05", "moment": "2026-12-05T09:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 5)
    assert form.cleaned_data["moment"].replace(tzinfo=None) == dt.datetime(2026, 12, 5, 9, 30)


def test_a_case_page_shows_no_hidden_field_label_and_dates_default_to_today(client, world):
    case = walk(world, open_case(world), "notified")
    client.force_login(world.people.officer)
    with at(NOTIFIED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert 'name="version"' in page
    assert "Version" not in page
    dated = re.findall(r'<input type="date" name="day"[^>]*>', page)
    assert dated and all(f'value="{NOTIFIED.isoformat()}"' in tag for tag in dated)


def test_an_inspection_starts_now_with_the_recording_officer_ticked(client, world):
    client.force_login(world.people.officer)
    with at(FILED):
        page = client.get(reverse("cases:inspection-start")).content.decode()
    started = re.search(r'<input type="datetime-local" name="started_at"[^>]*>', page).group(0)
    assert re.search(r'value="2026-09-03T\d\d:\d\d"', started)
    ticked = re.findall(r'<input type="checkbox" name="officers" value="(\d+)"[^>]*checked', page)
    assert ticked == [str(world.people.officer.pk)]
