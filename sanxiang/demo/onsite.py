"""Demo decisions on the spot (简易程序) and their 备案: a car wash in 大庆 filed the next day and acknowledged; a laundry
in 道里 filed late with its reason, the head noting what to do better; a dairy in 齐齐哈尔 filed and waiting for the
head; a repair shop in 哈尔滨 decided yesterday and not yet filed (on the officers' workbench)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.agencies.models import Agency
from sanxiang.cases import services

BASIS = "《中华人民共和国大气污染防治法》第一百一十九条第一款；《中华人民共和国行政处罚法》第五十一条"

# party, agency, officers, head, days ago, fine, facts; then the filing (working days after, late reason) and the
# head's acknowledgement (working days after filing, objection) — None where the step has not happened yet.
DECISIONS = [
    (
        "大庆市萨尔图区顺达洗车行",
        "230600",
        ("dq.officer1", "dq.officer2"),
        "dq.head",
        150,
        "1000",
        "在经营场所后院露天焚烧废轮胎包装物等产生烟尘污染的物质，执法人员到场时仍在焚烧。",
        (1, ""),
        (1, ""),
    ),
    (
        "哈尔滨市道里区鑫源洗涤有限公司",
        "230102",
        ("hrbdl.officer1", "hrbdl.officer2"),
        "hrb.head",
        60,
        "2000",
        "在厂区空地露天焚烧废弃洗涤剂包装桶和编织袋，产生大量黑烟。",
        (5, "两名执法人员连续参加防汛检查，决定书存根未能按期交回"),
        (2, "逾期报备案，今后当场处罚决定须在三个工作日内报备案，并附现场照片"),
    ),
    (
        "齐齐哈尔鹤城乳业有限公司",
        "230200",
        ("qqhr.officer1", "qqhr.officer2"),
        "qqhr.head",
        4,
        "1500",
        "在原料库房外露天焚烧废弃纸箱和塑料薄膜，烟尘飘向居民区。",
        (1, ""),
        None,
    ),
    (
        "哈尔滨冰城汽车修配有限公司",
        "230100",
        ("hrb.officer3", "hrb.officer4"),
        "hrb.head",
        1,
        "800",
        "在修配车间门前露天焚烧废棉纱和废海绵，产生烟尘污染。",
        None,
        None,
    ),
]


def decisions(story, staff, parties) -> None:
    for name, code, officers, head, days_ago, fine, facts, filing, acknowledgement in DECISIONS:
        state: dict = {}
        day = story.day(days_ago)
        people = [staff[officer] for officer in officers]

        def decide(name=name, code=code, people=people, fine=fine, facts=facts, day=day, state=state):
            party = parties[name]
            state["penalty"] = services.onsite_penalty_decide(
                actor=people[0],
                agency=Agency.objects.get(code=code),
                party=party,
                officers=people,
                decided_at=dt.datetime.combine(day, dt.time(9, 20), tzinfo=timezone.get_default_timezone()),
                place=party.address,
                facts=facts,
                basis=BASIS,
                kind="fine",
                fine=Decimal(fine),
            )

        story.add(day, decide)
        if filing is None:
            continue
        filed = story.later(day, filing[0])

        def file(people=people, reason=filing[1], state=state):
            state["penalty"] = services.onsite_penalty_file(
                actor=people[1], penalty=state["penalty"], late_reason=reason
            )

        story.add(filed, file)
        if acknowledgement is None:
            continue

        def acknowledge(head=head, opinion=acknowledgement[1], state=state):
            state["penalty"] = services.onsite_penalty_acknowledge(
                actor=staff[head], penalty=state["penalty"], sound=not opinion, opinion=opinion
            )

        story.add(story.later(filed, acknowledgement[0]), acknowledge)
