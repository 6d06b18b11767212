"""ChoiceLabels: get_FOO_display() gives what Django's own gives, value by value."""

from django.db import models

from sanxiang.cases.models import Case, Stage


def test_every_label_is_the_one_django_gives_and_a_value_not_among_them_is_shown_as_it_is():
    field = Case._meta.get_field("stage")
    for value in [*Stage.values, "no-such-stage"]:
        case = Case(stage=value)
        assert case.get_stage_display() == models.Model._get_FIELD_display(case, field)
    assert Case(stage=Stage.DECIDED).get_stage_display() == "已决定"
    assert Case(stage="no-such-stage").get_stage_display() == "no-such-stage"
