"""Personas and a notice for the tests of 行政执法监督."""

from __future__ import annotations

from types import SimpleNamespace

from sanxiang.agencies.models import Role
from sanxiang.supervision import services
from sanxiang.testing.factories import make_staff


def supervision_people(world) -> SimpleNamespace:
    """The province's supervisor, and a supervisor of 齐齐哈尔 (an unrelated branch) and of 道里 (below 哈尔滨)."""
    return SimpleNamespace(
        supervisor=make_staff(agency=world.province, roles=[Role.SUPERVISOR], username="supervisor", full_name="林静"),
        qiqihar_supervisor=make_staff(agency=world.qiqihar, roles=[Role.SUPERVISOR], username="qqsupervisor"),
        daoli_supervisor=make_staff(agency=world.daoli, roles=[Role.SUPERVISOR], username="dlsupervisor"),
    )


def issue_notice(world, supervisor, **overrides):
    values = {
        "agency": world.harbin,
        "kind": "rectification",
        "subject": "行政处罚决定公示迟延",
        "findings": "2026年第三季度有 3 件行政处罚决定超过 7 个工作日公示。",
        "requirement": "限期完成公示并报送整改情况，建立公示期限提醒。",
    }
    return services.notice_issue(actor=supervisor, **(values | overrides))
