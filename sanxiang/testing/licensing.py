"""Licence types and applications for the tests of licensing and the apps above it."""

from __future__ import annotations

from contextlib import contextmanager

from sanxiang.demo.codes import demo_uscc
from sanxiang.licensing import hooks, services
from sanxiang.licensing.models import Application, Category, LicenceType, Material
from sanxiang.powers.models import PowerKind
from sanxiang.testing.catalogues import make_power

USCC = demo_uscc("91", "230100", 90_001)
MATERIALS = [
    {"code": "M1", "name": "建设项目环境影响报告表审批申请书"},
    {"code": "M2", "name": "建设项目环境影响报告表（全本）"},
    {"code": "M3", "name": "删除涉及国家秘密、商业秘密内容的说明", "required": False},
]


def make_type(agency, *, materials=MATERIALS, power=True, **overrides) -> LicenceType:
    """A 环评报告表 approval of `agency` (30 days, 《环境影响评价法》第二十二条) unless `overrides` say otherwise."""
    values = {
        "code": "HP-BGB",
        "name": "建设项目环境影响报告表审批",
        "category": Category.APPROVAL,
        "basis": "《中华人民共和国环境影响评价法》第二十二条",
        "certificate_name": "环境影响报告表批复",
        "decision_days": 20,
        "decision_unit": "working_days",
        "decision_citation": "《中华人民共和国行政许可法》第四十二条",
    } | overrides
    licence_type = LicenceType.objects.create(
        agency=agency,
        power=make_power(agency, PowerKind.LICENSING, code=f"XK-{values['code']}") if power else None,
        **values,
    )
    Material.objects.bulk_create(
        Material(licence_type=licence_type, required=item.get("required", True), code=item["code"], name=item["name"])
        for item in materials
    )
    return licence_type


# What an enterprise types into the application form (the service's arguments, the page's and the API's fields).
APPLICANT = {
    "applicant_name": "哈尔滨松江化工有限公司",
    "applicant_uscc": USCC,
    "contact_name": "王强",
    "phone": "13800000000",
    "project": "年产5000吨涂料扩建项目",
    "request": "申请审批建设项目环境影响报告表",
}


def submit(actor, licence_type: LicenceType, **overrides) -> Application:
    values = {
        "channel": Application.Channel.WINDOW if actor is not None else Application.Channel.ONLINE,
        **APPLICANT,
        "materials": ["M1", "M2"],
    } | overrides
    return services.application_submit(actor=actor, licence_type=licence_type, **values)


def accepted(actor, licence_type: LicenceType, **overrides) -> Application:
    application = submit(actor, licence_type, **overrides)
    return services.application_accept(actor=actor, application=application)


@contextmanager
def decisions_heard():
    """Stand-ins for the handlers publicity gives licensing's decision hooks (a grant, a recall or revocation): each
    call is recorded as (hook name, its keyword arguments), and the stand-ins are gone afterwards."""
    calls: list[tuple[str, dict]] = []
    stand_ins = [
        (hook, lambda hook=hook, **kwargs: calls.append((hook.name, kwargs)))
        for hook in (hooks.decision_issued, hooks.decision_changed)
    ]
    for hook, handler in stand_ins:
        hook._handlers.append(handler)
    try:
        yield calls
    finally:
        for hook, handler in stand_ins:
            hook._handlers.remove(handler)
