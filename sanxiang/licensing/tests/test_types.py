"""Licence types as data: kept by those who keep the agency's catalogues, each change a public ledger entry, the
period with its citation, and a material an open application handed in never dropped from the list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.ledger.models import Entry
from sanxiang.licensing import services
from sanxiang.licensing.models import LicenceType
from sanxiang.powers.models import PowerKind
from sanxiang.testing.catalogues import make_power
from sanxiang.testing.licensing import make_type, submit

FIELDS = {
    "name": "危险废物经营许可证核发",
    "category": "普通",
    "basis": "《中华人民共和国固体废物污染环境防治法》第八十条",
    "decision_days": 20,
    "decision_unit": "working_days",
    "decision_citation": "《中华人民共和国行政许可法》第四十二条",
    "validity_years": 5,
    "renewable": True,
}


def test_a_catalogue_keeper_adds_a_type_on_a_licensing_power_and_the_entry_is_public(world):
    power = make_power(world.harbin, PowerKind.LICENSING)
    kind = services.licence_type_save(
        actor=world.people.admin, agency=world.harbin, code="WF-JY", power=power, **FIELDS
    )
    entry = Entry.objects.get(action="licence_type.create")
    assert entry.public and kind.decision_days == 20
    with pytest.raises(PermissionDenied):
        services.licence_type_save(actor=world.people.head, agency=world.harbin, code="WF-2", **FIELDS)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_citation": ""}, "decision_citation"),
        ({"decision_days": 0}, "decision_days"),
        ({"renewable": True, "validity_years": None}, "renewable"),
        ({"promised_days": 25}, "promised_days"),
        ({"basis": "依照有关规定"}, "basis"),
    ],
)
def test_a_type_without_what_the_guide_must_say_is_refused(world, changes, field):
    with pytest.raises(ValidationError) as error:
        services.licence_type_save(actor=world.people.admin, agency=world.harbin, code="X-1", **(FIELDS | changes))
    assert field in error.value.message_dict
    assert not LicenceType.objects.exists()


def test_a_penalty_power_cannot_carry_a_licence_type(world):
    power = make_power(world.harbin, PowerKind.PENALTY)
    with pytest.raises(ValidationError) as error:
        services.licence_type_save(actor=world.people.admin, agency=world.harbin, code="X-1", power=power, **FIELDS)
    assert "power" in error.value.message_dict


def test_materials_are_published_whole_and_one_in_use_is_kept(world):
    kind = make_type(world.harbin)
    submit(world.people.officer, kind, materials=["M1", "M2"])
    with pytest.raises(ValidationError) as error:
        services.licence_type_materials(
            actor=world.people.admin, licence_type=kind, materials=[{"code": "M1", "name": "申请书"}]
        )
    assert "M2" in str(error.value)
    assert kind.materials.count() == 3
    services.licence_type_materials(
        actor=world.people.admin,
        licence_type=kind,
        materials=[
            {"code": "M1", "name": "申请书", "sample": "申请单位（盖章）："},
            {"code": "M2", "name": "报告表"},
            {"code": "M4", "name": "公众意见采纳情况说明", "required": False},
        ],
    )
    assert list(kind.materials.values_list("code", flat=True)) == ["M1", "M2", "M4"]
    assert Entry.objects.get(action="licence_type.materials").public


def test_a_withdrawn_type_takes_no_new_application(world):
    kind = make_type(world.harbin)
    services.licence_type_withdraw(actor=world.people.admin, licence_type=kind, reason="职能划转至行政审批局")
    with pytest.raises(ValidationError) as error:
        submit(world.people.officer, LicenceType.objects.get(pk=kind.pk))
    assert "licence_type" in error.value.message_dict


def test_a_types_history_reads_in_chinese(world):
    from sanxiang.audit.selectors import history_for
    from sanxiang.core.facts import facts

    power = make_power(world.harbin, PowerKind.LICENSING)
    kind = services.licence_type_save(
        actor=world.people.admin, agency=world.harbin, code="WF-JY", power=power, hearing="art47", **FIELDS
    )
    lines = [
        f"{label}：{value}"
        for line in history_for(world.people.admin, kind)
        for label, value in facts(line.data, line.subject)
    ]
    assert "时限单位：个工作日" in lines and "设定依据：《中华人民共和国固体废物污染环境防治法》第八十条" in lines
    assert any(line.startswith("听证：直接涉及") for line in lines)
    assert not [line for line in lines if any(word in line for word in ("working_days", "art47", "decision_", "_"))]
