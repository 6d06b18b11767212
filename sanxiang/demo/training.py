"""Demo training (培训记录) of the officers: last year's and this year's courses, recorded through the services by
each agency's system administrator (or head where it has none) a few days after each course ends.

Most officers reach the yearly requirement (agencies.training_hours_per_year); this year 赵磊 (hrb.officer4) and
何雪 (hrbdl.officer2) are still short, so the head's desk flags them; 何雪 was short last year too, and her lapsed
certificate cannot be renewed until her training is made up (training_short). One record is corrected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.agencies import services
from sanxiang.agencies.models import ExamResult, TrainingRecord, User
from sanxiang.demo.story import Story

# name, organiser ("" = the officer's own agency), kind, (month, day) it starts, days, hours, exam score or None
COURSES = {
    "law": (
        "《行政处罚法》《行政强制法》专题培训",
        "黑龙江省司法厅",
        "public_law",
        (3, 16),
        3,
        "24",
        "86",
    ),
    "systems": ("“三项制度”专题学习培训会", "", "three_systems", (4, 20), 1, "8", None),
    "backbone": ("全省生态环境执法骨干培训班", "黑龙江省生态环境厅", "professional", (6, 8), 5, "40", "91"),
    "skills": ("执法记录仪使用与现场取证实操训练", "", "skills", (8, 24), 2, "12", None),
    "permits": ("排污许可证后监管执法案例研讨班", "黑龙江省生态环境厅", "professional", (9, 14), 2, "16", None),
    "online": ("行政执法人员网络学法与年度考试", "黑龙江省司法厅", "public_law", (11, 2), 10, "20", "88"),
}
FULL = ["law", "systems", "backbone", "skills", "permits"]

# Who attends what; this year (the first list) and last year (the second).
PLAN = {
    "hlj.officer": (FULL, FULL),
    "hlj.officer2": (["law", "backbone", "online"], FULL),
    "hrb.officer1": (FULL, FULL),
    "hrb.officer2": (FULL, FULL),
    "hrb.officer3": (["law", "systems", "backbone", "online"], FULL),
    "hrb.officer4": (["systems", "skills"], FULL),
    "hrb.officer5": (["law", "backbone"], FULL),
    "hrbdl.officer1": (FULL, ["law", "backbone"]),  # certificate issued within last year: not judged on it
    "hrbdl.officer2": (["systems"], ["law", "systems"]),
    "hrbnq.officer1": (["law", "systems", "backbone", "online"], FULL),
    "qqhr.officer1": (FULL, FULL),
    "qqhr.officer2": (FULL, FULL),
    "dq.officer1": (["law", "backbone", "skills"], FULL),
    "dq.officer2": (["law", "backbone", "permits", "online"], FULL),
    "mdj.officer1": (FULL, FULL),
    "mdj.officer2": (["law", "backbone", "online"], FULL),
}
FAILED = {("qqhr.officer2", "backbone"): "52"}  # attended (the hours count) but failed the exam

# Who records, by the officer's agency: its system administrator, else the head, else the parent's administrator.
RECORDERS = {
    "230000": "hlj.admin",
    "230100": "hrb.admin",
    "230102": "hrb.admin",
    "230103": "hrb.admin",
    "230200": "qqhr.admin",
    "230600": "dq.head",
    "231000": "mdj.head",
}


def load_training(*, today: dt.date) -> int:
    """The demo training records, unless there are some already; the number recorded."""
    if TrainingRecord.objects.exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(username__in=[*PLAN, *RECORDERS.values()])}
    story = Story(today)
    for username, years in PLAN.items():
        officer = staff.get(username)
        if officer is None:
            continue
        recorder = staff[RECORDERS[officer.agency.code]]
        for year, names in zip((today.year, today.year - 1), years, strict=True):
            for name in names:
                _add(story, officer=officer, recorder=recorder, year=year, name=name, today=today)
    _add_correction(story, staff, today=today)
    story.run()
    return TrainingRecord.objects.count()


def _values(officer: User, year: int, name: str) -> dict:
    title, organiser, kind, (month, day), days, hours, score = COURSES[name]
    started_on = dt.date(year, month, day)
    failed = FAILED.get((officer.username, name))
    exam = ExamResult.NONE if score is None else (ExamResult.FAILED if failed else ExamResult.PASSED)
    return {
        "course": f"{year}年{title}",
        "organiser": organiser or officer.agency.name,
        "kind": kind,
        "started_on": started_on,
        "ended_on": started_on + dt.timedelta(days=days - 1),
        "hours": Decimal(hours),
        "exam_result": exam,
        "exam_score": None if score is None else Decimal(failed or score),
        "certificate_number": f"PX{year}{officer.agency.code}{list(COURSES).index(name) + 1:02d}{officer.pk:04d}",
        "evidence_note": "签到表、结业证书复印件存人事档案",
    }


def _add(story: Story, *, officer: User, recorder: User, year: int, name: str, today: dt.date) -> None:
    values = _values(officer, year, name)
    recorded_on = story.later(values["ended_on"], 3)
    if recorded_on > today:
        return
    story.add(
        recorded_on,
        lambda: services.training_record_create(actor=recorder, officer=officer, **values),
    )


def _add_correction(story: Story, staff: dict, *, today: dt.date) -> None:
    # 张丽华 left the permits seminar after the first day: the sign-in sheet shows 8 hours, not 16.
    officer, recorder = staff.get("hrb.officer2"), staff.get("hrb.admin")
    if officer is None or recorder is None:
        return
    course = _values(officer, today.year, "permits")["course"]
    recorded_on = story.later(_values(officer, today.year, "permits")["ended_on"], 10)
    if recorded_on > today:
        return

    def correct():
        record = TrainingRecord.objects.filter(officer=officer, course=course, withdrawn_at__isnull=True).first()
        if record is not None:
            services.training_record_correct(
                actor=recorder, record=record, reason="按签到表核减未到课学时", hours=Decimal("8")
            )

    story.add(recorded_on, correct)
