"""A bounded schemathesis run over API v1: every operation of the OpenAPI document with data that fits it and data
that does not, every check, against the WSGI application in-process, as an officer of 哈尔滨 whose case, agency,
certificate, party, publication, pre-disclosure item, catalogue entry, discretion factor, review catalogue line,
power, inspection item, 双随机 plan and licence application the path parameters name. Each operation must answer as
documented, and never 500."""

import datetime as dt
import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from sanxiang.api.services import api_token_create
from sanxiang.cases.discretion import own_or_inherited
from sanxiang.cases.models import Violation
from sanxiang.disclosures.services import disclosure_collect
from sanxiang.powers.models import PowerKind
from sanxiang.review.catalogue import catalogue_for
from sanxiang.testing.cases import make_party, open_case
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.draws import drawn, make_enterprises, make_plan
from sanxiang.testing.factories import make_training
from sanxiang.testing.licensing import make_type, submit
from sanxiang.testing.monitoring import monitored_point
from sanxiang.testing.publicity import decided

# Examples per operation and mode: about 2,000 requests, two minutes on two cores; raise it to search harder.
EXAMPLES = int(os.environ.get("SANXIANG_FUZZ_EXAMPLES", "10"))
SEED = 20261013

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # Data that fits the schema may still break a rule the schema cannot say (a USCC's check digit, a party
            # outside the caller's agency, a step the record's stage does not allow): those answer 400.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]},
            # tus answers a request for another protocol version (Tus-Resumable) 412, as its specification says.
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "412",
                    "415",
                    "422",
                    "428",
                    "429",
                ]
            },
        }
    }
)
# A tus PATCH carries raw bytes (sanxiang.uploads), sent as any binary body.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
SCHEMA.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _records(world, path: str) -> dict:
    """The path parameters of `path`, naming records the officer may see."""
    records = {"agency_id": world.harbin.pk, "certificate_id": world.certificates.officer.pk}
    if "{case_id}" in path:
        records["case_id"] = open_case(world).pk
    if "{publication_id}" in path:
        records["publication_id"] = decided(world).pk
    if "{party_id}" in path:
        records["party_id"] = make_party(world.harbin).pk
    if "{violation_id}" in path:
        records["violation_id"] = Violation.objects.get(code="DQ-99").pk
    if "{factor_id}" in path:
        records["factor_id"] = own_or_inherited(world.harbin)[0].pk
    if "{rule_id}" in path:
        records["rule_id"] = catalogue_for(world.harbin)[0].pk
    if "{power_id}" in path:
        records["power_id"] = make_power(world.harbin, PowerKind.PENALTY).pk
    if "{item_id}" in path:
        records["item_id"] = make_item(make_power(world.harbin), frequencies={"key": ("100", 4)}).pk
    if "{code}" in path:
        records["code"] = world.harbin.code
    if "{plan_id}" in path:
        make_enterprises(world.harbin, {"key": 2})
        plan = drawn(world, make_plan(world)) if "{target_id}" in path else make_plan(world)
        records["plan_id"] = plan.pk
        if "{target_id}" in path:
            records["target_id"] = plan.targets.first().pk
    if "{disclosure_id}" in path:
        records["disclosure_id"] = disclosure_collect(
            actor=world.people.officer, agency=world.harbin, category="norms", title="裁量基准", body="正文"
        ).disclosure_id
    if "{application_id}" in path or "{number}" in path:
        application = submit(world.people.officer, make_type(world.harbin))
        records.update(application_id=application.pk, number=application.number)
    if "{agency_code}" in path:
        records["agency_code"] = world.harbin.code
    if "{staff_id}" in path:
        records["staff_id"] = world.people.officer.pk
    if "{record_id}" in path:
        records["record_id"] = make_training(officer=world.people.officer, ended_on=dt.date(2026, 4, 1)).pk
    if "{point_id}" in path or "{device_id}" in path:
        device = monitored_point(world.harbin)[1]
        records.update(point_id=device.point_id, device_id=device.pk)
    return {name: value for name, value in records.items() if "{" + name + "}" in path}


@pytest.fixture
def in_test_transaction():
    """The WSGI application closes the database connection around each request, which would end the test's
    transaction (and, on PostgreSQL, the connection the test holds); Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_operation_answers_as_documented(world, in_test_transaction, operation, mode):
    _, raw = api_token_create(actor=world.people.officer, user=world.people.officer, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    path_parameters = _records(world, operation.path) if mode is GenerationMode.POSITIVE else None
    failures = []

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        try:
            case.call_and_validate(headers=headers)
        except FailureGroup as group:
            failures.append(str(group)[:3000])

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # Nothing to negate: no parameters or body, or only path strings every value of which is valid.
        assert mode is GenerationMode.NEGATIVE
    assert not failures, "\n".join(failures[:3])
