"""Input an attacker or a broken client sends answers a structured 4xx in the API's error shape, never 500: bodies
that are not JSON objects, too deep or too large, strings a database cannot store, dates of the wrong type or out of
range, impossible query parameters, URLs and methods nothing serves."""

import json

import pytest
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework.test import APIClient

from sanxiang.ledger.models import Entry
from sanxiang.publicity.models import PublicationVersion
from sanxiang.testing.cases import open_case
from sanxiang.testing.publicity import published

POSTS = sorted(path for path, _, method, _ in EndpointEnumerator().get_api_endpoints() if method == "POST")
SCHEMA = SchemaGenerator().get_schema(request=None, public=True)


def _date_fields(path: str) -> list[str]:
    """The date fields of the body `path` documents."""
    body = SCHEMA["paths"][path]["post"].get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = body.get("schema", {}).get("$ref", "")
    component = SCHEMA["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {})
    return sorted(name for name, field in component.get("properties", {}).items() if field.get("format") == "date")


DATED = [(path, field) for path in POSTS for field in _date_fields(path)]


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.people.officer)
    return client


def _url(world, path: str) -> str:
    ids = {
        "case_id": open_case(world).pk,
        "agency_id": world.harbin.pk,
        "certificate_id": world.certificates.officer.pk,
    }
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path.replace("{publication_id}", "1").replace("{review_id}", "1").replace("{penalty_id}", "1")


def _post(api, url: str, raw: str, content_type: str = "application/json"):
    return api.generic("POST", url, raw.encode("utf-8", "surrogatepass"), content_type=content_type)


def _error(response, status: int | set[int]) -> dict:
    statuses = {status} if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


def test_the_post_endpoints_are_read_from_the_url_resolver():
    assert len(POSTS) > 40 and "/api/v1/cases/" in POSTS and "/api/v1/auth/token" in POSTS
    assert len(DATED) >= 10


@pytest.mark.parametrize("path", POSTS)
def test_a_json_body_that_is_not_an_object_is_refused_by_every_post_endpoint(api, world, path):
    for body in ("[]", '[{"version": 1}]', '"text"', "3", "null", "true"):
        error = _error(_post(api, _url(world, path), body), {400, 403, 404, 415})
        # Revoking reads no body: what it refuses is a request not made with a token.
        assert error["code"] in (
            "body_not_object",
            "permission_denied",
            "not_found",
            "unsupported_media_type",
            "not_token_authenticated",
        )


def test_a_body_that_is_not_an_object_is_named_as_such(api, world):
    error = _error(_post(api, "/api/v1/parties/", "[1, 2, 3]"), 400)
    assert error["code"] == "body_not_object" and "JSON 对象" in error["message"]


def test_a_thousand_nested_brackets_to_the_anonymous_token_endpoint_answer_400(db):
    response = _post(APIClient(), "/api/v1/auth/token", "[" * 1000 + "]" * 1000)
    assert _error(response, 400)["code"] == "body_too_deep"
    response = _post(APIClient(), "/api/v1/auth/token", '{"username": ' + "[" * 5000 + "]" * 5000 + "}")
    assert _error(response, 400)["code"] == "body_too_deep"


def test_a_body_nested_past_the_depth_limit_is_refused(api, settings):
    settings.API_MAX_JSON_DEPTH = 4
    assert _error(_post(api, "/api/v1/parties/", '{"a": {"b": {"c": {"d": 1}}}}'), 400)["code"] != "body_too_deep"
    error = _error(_post(api, "/api/v1/parties/", '{"a": {"b": {"c": {"d": {"e": 1}}}}}'), 400)
    assert error["code"] == "body_too_deep"


def test_a_body_over_the_size_limit_answers_413(api, settings):
    settings.API_MAX_BODY_BYTES = 1024
    error = _error(_post(api, "/api/v1/parties/", json.dumps({"name": "厂" * 2000})), 413)
    assert error["code"] == "request_too_large"


def test_malformed_json_and_bare_nan_answer_400(api):
    assert _error(_post(api, "/api/v1/parties/", '{"name": '), 400)["code"] == "malformed_request"
    assert _error(_post(api, "/api/v1/parties/", '{"name": NaN}'), 400)["code"] == "malformed_request"


@pytest.mark.parametrize("text", ["\ud800", "合法\udfff文字", "a\x00b", "响应\x1b[31m", "\x7f"])
def test_a_string_with_a_lone_surrogate_or_a_control_character_is_refused(api, world, text):
    body = json.dumps({"kind": "legal_person", "name": text, "uscc": "", "address": "哈尔滨市"})
    assert _error(_post(api, "/api/v1/parties/", body), 400)["code"] == "invalid_characters"
    body = json.dumps({"name": "某公司", text: "x"})
    assert _error(_post(api, "/api/v1/parties/", body), 400)["code"] == "invalid_characters"


def test_tabs_and_line_breaks_are_ordinary_text(api, world):
    body = json.dumps({"kind": "legal_person", "name": "某公司\t一号\r\n二号"})
    assert _error(_post(api, "/api/v1/parties/", body), 400)["code"] != "invalid_characters"


@pytest.mark.parametrize(("path", "field"), DATED)
def test_a_number_in_a_date_field_is_refused_naming_the_field(api, world, path, field):
    for value in (20260901, 1.5, ["2026-09-01"], {"year": 2026}, True):
        error = _error(_post(api, _url(world, path), json.dumps({field: value})), {400, 403, 404})
        if error["code"] not in ("permission_denied", "not_found"):
            assert field in error.get("fields", {}), error


@pytest.mark.parametrize(("path", "field"), DATED)
def test_a_date_out_of_range_or_not_iso_is_refused_naming_the_field(api, world, path, field):
    for value in ("9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "2026/09/01", "昨天"):
        error = _error(_post(api, _url(world, path), json.dumps({field: value})), {400, 403, 404})
        if error["code"] not in ("permission_denied", "not_found"):
            assert field in error.get("fields", {}), error


def test_a_case_opened_with_a_date_of_9999_is_refused_and_nothing_is_written(api, world):
    from sanxiang.cases.models import Case
    from sanxiang.testing.cases import make_party

    party = make_party(world.harbin)
    body = {
        "party": party.pk,
        "title": "超标排放案",
        "source": "inspection",
        "act_date": "9999-12-31",
        "act_place": "哈尔滨市松北区",
        "act_division": "230109",
        "discovered_on": "9999-12-31",
    }
    error = _error(api.post("/api/v1/cases/", body, format="json"), 400)
    assert {"act_date", "discovered_on"} <= set(error["fields"])
    assert not Case.objects.exists()


def test_redact_without_a_version_waiting_to_be_masked_answers_400(world):
    publication = published(world)
    entries = Entry.objects.count()
    clerk = APIClient()
    clerk.force_authenticate(world.people.clerk)
    for body in ({"version": publication.version}, {"version": publication.version, "keep": ["0"], "phrases": "某"}):
        response = clerk.post(f"/api/v1/publications/{publication.pk}/redact", body, format="json")
        assert "没有待遮盖处理的版本" in _error(response, 400)["message"]
    assert Entry.objects.count() == entries
    assert not PublicationVersion.objects.filter(publication=publication, published_at__isnull=True).exists()


@pytest.mark.parametrize("year", ["0", "-1", "1", "2018", "2101", "99999", "二〇二六", "2026.5"])
def test_an_impossible_year_on_review_statistics_answers_400(api, world, client, year):
    error = _error(api.get(f"/api/v1/agencies/{world.harbin.pk}/review-statistics", {"year": year}), 400)
    assert "year" in error["fields"]
    client.force_login(world.people.officer)
    assert client.get("/workbench/reviews/statistics/", {"year": year}).status_code == 400


@pytest.mark.parametrize("query", [{"page_size": "false"}, {"page_size": "1.5"}, {"cursor": "nonsense"}])
def test_a_bad_page_answers_a_structured_error(api, world, query):
    _error(api.get("/api/v1/cases/", query), {400, 404})


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/reviews/", "cursor=a&cursor=b"),
        ("/api/v1/cases/", "page=1&page=2"),
        ("/api/v1/cases/", "page_size=5&page_size=6"),
    ],
)
def test_a_page_parameter_sent_twice_is_refused(api, world, path, query):
    error = _error(api.get(f"{path}?{query}"), 400)
    assert error["fields"][query.split("=")[0]] == ["只能提供一次。"]


@pytest.mark.parametrize("query", ["page=", "page_size=", "page=abc", "page=-1", "page_size=&status=valid"])
def test_a_page_parameter_sent_empty_or_not_a_number_is_refused_as_documented(api, world, query):
    error = _error(api.get(f"/api/v1/certificates/?{query}"), 400)
    assert set(error["fields"]) & {"page", "page_size"}
    parameters = {
        parameter["name"]: parameter
        for parameter in api.get("/api/v1/schema/?format=json").json()["paths"]["/api/v1/certificates/"]["get"][
            "parameters"
        ]
    }
    assert "allowEmptyValue" not in parameters["page"] and "allowEmptyValue" not in parameters["page_size"]
    assert parameters["status"]["allowEmptyValue"]  # a filter sent empty still counts as not sent


@pytest.mark.parametrize(
    "url", ["/api/v1/nothing-here", "/api/v1/cases/abc/", "/api/v2/cases/", "/api/", "/ledger/nothing"]
)
def test_a_url_nothing_serves_answers_json_404(db, url):
    assert _error(APIClient().get(url), 404)["code"] == "not_found"
    assert _error(APIClient().post(url, {}, format="json"), 404)["code"] == "not_found"


def test_a_page_url_nothing_serves_still_answers_a_page(db, client):
    response = client.get("/nothing-here")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_method_or_media_type_an_endpoint_does_not_take_answers_json(api):
    assert _error(api.delete("/api/v1/cases/"), 405)["code"] == "method_not_allowed"
    response = api.generic("POST", "/api/v1/parties/", b"name=x", content_type="application/x-www-form-urlencoded")
    assert _error(response, 415)["code"] == "unsupported_media_type"
    assert _error(APIClient().get("/api/v1/cases/"), 401)["code"] == "not_authenticated"
