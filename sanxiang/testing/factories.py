"""Plain factory functions for tests: each builds through the services, so tests see what users would."""

from __future__ import annotations

import datetime as dt
import itertools

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, AgencyLevel, Certificate, EnforcementDomain, User
from sanxiang.demo.codes import demo_uscc

PASSWORD = "correct-horse-battery-42"
_serial = itertools.count(1000)


def make_agency(
    *, parent: Agency | None = None, code: str, name: str | None = None, decision_details: bool = True, **overrides
) -> Agency:
    """An agency; unless `decision_details` is False it has entered what its decisions name (复议机关, court,
    payment channel), as every agency must before it decides."""
    level = overrides.pop("level", None) or (
        AgencyLevel.PROVINCE
        if parent is None
        else AgencyLevel.CITY
        if parent.level == AgencyLevel.PROVINCE
        else AgencyLevel.COUNTY
    )
    values = {
        "code": code,
        "name": name or f"测试生态环境局{code}",
        "abbreviation": "测环",
        "level": level,
        "address": "哈尔滨市测试路 1 号",
    }
    values.update(overrides)
    values.setdefault("uscc", demo_uscc("11", code, next(_serial)) if code.isdigit() else "11230100000000001X")
    agency = services.agency_create(actor=None, parent=parent, **values)
    if decision_details:
        agency = services.agency_set_decision_details(actor=None, agency=agency, **decision_details_of(agency))
    return agency


def decision_details_of(agency: Agency) -> dict:
    """Test values of what an agency's decisions name."""
    return {
        "reconsideration_body": f"测试{agency.code}人民政府",
        "court": f"测试{agency.code}人民法院",
        "payment_bank": "测试银行营业部",
        "payment_account_name": "测试市财政局非税收入汇缴户",
        "payment_account_number": f"6200 0000 {agency.code}",
        "payment_online": "通过非税收入电子缴款系统，凭缴款通知书上的缴款码缴纳",
    }


def make_staff(*, agency: Agency, roles=(), username: str | None = None, **overrides) -> User:
    serial = next(_serial)
    values = {"full_name": f"测试人员{serial}", "password": PASSWORD}
    values.update(overrides)
    return services.staff_create(actor=None, agency=agency, username=username or f"user{serial}", roles=roles, **values)


def make_certificate(*, holder: User, today: dt.date | None = None, **overrides) -> Certificate:
    today = today or dt.date.today()
    values = {
        "number": f"{holder.agency.code}{next(_serial):06d}",
        "domain": EnforcementDomain.ECOLOGY,
        "issued_on": today - dt.timedelta(days=365),
        "expires_on": today + dt.timedelta(days=365 * 2),
    }
    values.update(overrides)
    return services.certificate_issue(actor=None, holder=holder, **values)


def make_training(*, officer: User, ended_on: dt.date, hours="60", **overrides):
    """A training record of `officer` ending on `ended_on`, recorded through the service."""
    from decimal import Decimal

    values = {
        "course": "生态环境执法业务培训班",
        "organiser": "黑龙江省生态环境厅",
        "kind": "professional",
        # about eight hours a day
        "started_on": ended_on - dt.timedelta(days=int(Decimal(hours) // 8)),
        "ended_on": ended_on,
        "hours": Decimal(hours),
    }
    values.update(overrides)
    return services.training_record_create(actor=None, officer=officer, **values)
