"""A province's year, generated through the services: every city bureau's 双随机 inspections, penalty cases (with
their hearings, legal reviews, 查封, 不予处罚 and 移送), 复议 and 诉讼, licence applications and the publications they
open, from January to the demo's today — at believable proportions, 哈尔滨 the largest, and the same every time
for the same seed (a seeded random.Random; the draws take their seed from the ledger's checkpoint as always).

It runs after the hand-told stories (demo.cases and the rest), which keep their own dates and people, and adds
the people it needs (a head, a reviewer, a clerk, officers with their 执法证) to the bureaus that lack them.

`scale` sizes it: "full" for `make demo`, "small" (鸡西 and 牡丹江, a few records each) for the tests, "none".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sanxiang.demo.agencies import one_hash
from sanxiang.demo.story import Story
from sanxiang.demo.year import cases, inspections, licences, people, publicity
from sanxiang.inspections.plan_models import Plan
from sanxiang.publicity.models import Publication

# The year's seed: any fixed number gives a believable year; this one is kept so that the demo a reader loads is
# the demo the documentation describes. Change it and every count below changes with it.
SEED = 20260101


@dataclass(frozen=True)
class Scale:
    cities: tuple[str, ...]  # the city bureaus generated (people.CITIES codes)
    cases: tuple[int, int]  # penalty cases of a city of size 1, at least and at most
    applications: tuple[int, int]
    directory: int  # enterprises imported by a city of size 1 (哈尔滨 has demo.directory's)
    officers: int
    percents: dict  # the shares of each tier a plan draws (key, general, positive)


SCALES = {
    "full": Scale(tuple(people.CITIES), (10, 16), (5, 10), 60, 4, {"key": "60", "general": "12", "positive": "2"}),
    "small": Scale(("230300", "231000"), (2, 3), (1, 2), 12, 3, {"key": "40", "general": "10", "positive": "0"}),
    "none": Scale((), (0, 0), (0, 0), 0, 0, {}),
}


def generated() -> bool:
    """Whether the year was generated already (once, like the rest of the demo): its plans carry the city's name."""
    return Plan.objects.filter(title__contains="“双随机”抽查计划（").exists()


def load_year(*, today: dt.date, scale: str = "full", seed: int = SEED) -> dict[str, dict[str, int]]:
    """Generate the year once; returns per city what was generated (empty when it exists already)."""
    size = SCALES[scale]
    if not size.cities or generated():
        return {}
    rng = random.Random(seed)
    story = Story(today)
    known = set(Publication.objects.values_list("pk", flat=True))
    bureaus, planned = [], {}
    begin = dt.date(today.year, 1, 5)
    with one_hash():  # the new accounts of every city share the one hash
        for code in size.cities:
            _prefix, _name, factor, _districts = people.CITIES[code]
            officers = max(size.officers, round(size.officers * factor))
            bureau = people.bureau(code, officers, today, rng)
            people.directory(bureau, max(12, round(size.directory * factor)), rng)
            bureaus.append(bureau)
            inspections.catalogue(story, bureau, story.later(begin, 1))
            licences.types(story, bureau, story.later(begin, 6))
            inspections.plan(story, bureau, rng, story.later(begin, 30 + rng.randint(0, 15)), size.percents)
            n_cases = round(rng.randint(*size.cases) * factor)
            n_apps = round(rng.randint(*size.applications) * factor)
            cases.cases(story, bureau, rng, max(1, n_cases))
            licences.applications(story, bureau, rng, max(1, n_apps))
            planned[code] = {"cases": n_cases, "applications": n_apps}
            # 培训 (training records) of the bureau's people go here, scheduled on this story so that their dates
            # fall through the year like the rest: the training app brings their generator (e.g.
            # training(story, bureau, rng)).
    publicity.rounds(story, bureaus, seed, known)
    story.run()
    return planned
