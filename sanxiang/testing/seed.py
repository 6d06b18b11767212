"""Reference rows the migrations create, which a transactional test's flush empties and the next test needs."""

import importlib

from django.apps import apps

from sanxiang.core.calendar import schedule_import
from sanxiang.core.models import Rule
from sanxiang.core.rules_data import mark_rest_day_readings, seed_rules
from sanxiang.core.textindex import TEXT_INDEXES
from sanxiang.laws.models import Article, Instrument
from sanxiang.laws.seed import seed_library
from sanxiang.ledger.models import LogHead


def restore_migration_data() -> None:
    schedule_import()
    LogHead.objects.get_or_create(id=1)
    seed_rules(Rule)
    mark_rest_day_readings(Rule)
    seed_library(Instrument, Article)
    # the violation catalogue, discretion factors and review catalogue, with the migrations' own loaders
    importlib.import_module("sanxiang.cases.migrations.0002_seed_catalogues").seed(apps, None)
    importlib.import_module("sanxiang.review.migrations.0003_seed_catalogue").seed(apps, None)
    for kept in TEXT_INDEXES.values():  # derived from the rows the flush removed
        kept.index.clear()
