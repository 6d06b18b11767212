"""The OpenAPI document describes every body, every page and every error answer as they are served."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sanxiang.cases.forms import CaseOpenForm

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (path, method, operation) for path, methods in SCHEMA["paths"].items() for method, operation in methods.items()
]
PAGED = [
    "/api/v1/agencies/",
    "/api/v1/officers/",
    "/api/v1/certificates/",
    "/api/v1/cases/",
    "/api/v1/parties/",
    "/api/v1/violations/",
    "/api/v1/onsite-penalties/",
    "/api/v1/reviews/",
    "/api/v1/public/laws/instruments/",
]


def _component(reference: str) -> dict:
    return SCHEMA["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_opening_a_case_documents_the_fields_of_its_form():
    body = SCHEMA["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    component = _component(body["$ref"])
    assert set(component["properties"]) == set(CaseOpenForm.base_fields)
    assert component["properties"]["discovered_on"]["format"] == "date"
    assert {"party", "title", "discovered_on"} <= set(component["required"])


@pytest.mark.parametrize("path", PAGED)
def test_a_paged_list_is_documented_as_the_page_it_answers(path, world):
    documented = _component(
        SCHEMA["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert documented["properties"]["results"]["type"] == "array"
    api = APIClient()
    api.force_authenticate(world.people.officer)
    answered = api.get(path).json()
    assert set(answered) == set(documented["properties"]), (set(answered), set(documented["properties"]))


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_documents_its_error_answers_in_the_one_shape(path, method, operation):
    responses = operation["responses"]
    assert "404" in responses
    if operation.get("requestBody"):
        assert {"400", "413", "415"} <= set(responses)
    if any(operation.get("security", [])):
        assert {"401", "403"} <= set(responses)
    if method == "post" and any(operation.get("security", [])):
        assert "409" in responses
    for code, response in responses.items():
        if code >= "400":
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert SCHEMA["components"]["schemas"]["Error"]["required"] == ["error"]
