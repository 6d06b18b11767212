import datetime as dt

from django.template import Context, Template

from sanxiang.core.wording import day_words, deadline_words, last_day_words, period_words

DAY = dt.date(2026, 10, 12)


def test_a_deadline_says_that_its_last_day_is_included_on_pages_and_in_documents():
    assert deadline_words(DAY) == "2026-10-12（含当日）前"
    assert deadline_words(DAY, formal=True) == "2026年10月12日（含当日）前"
    assert last_day_words(DAY) == "2026-10-12（含当日）"
    assert last_day_words(DAY, formal=True) == "2026年10月12日（含当日）"
    assert day_words(dt.date(2026, 1, 5), formal=True) == "2026年1月5日"


def test_a_period_names_its_first_day_and_its_included_last_day():
    assert period_words(dt.date(2026, 9, 8), dt.date(2026, 10, 8)) == "2026-09-08 至 2026-10-08（含当日）"
    assert (
        period_words(dt.date(2026, 9, 8), dt.date(2026, 10, 8), formal=True) == "2026年9月8日至2026年10月8日（含当日）"
    )


def test_the_template_filters_use_the_same_words_and_show_nothing_for_no_date():
    template = Template("{% load deadlines %}[{{ day|deadline }}][{{ day|last_day }}][{{ none|deadline }}]")
    assert template.render(Context({"day": DAY, "none": None})) == "[2026-10-12（含当日）前][2026-10-12（含当日）][]"
