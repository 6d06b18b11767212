"""API v1 of the law library: public lists and details, the reading of citations, and errors as structured JSON."""

import pytest
from django.urls import reverse

from sanxiang.laws.models import Article, Instrument

pytestmark = pytest.mark.django_db


def test_anyone_lists_the_versions_filtered_like_the_library_page(client):
    response = client.get(reverse("api:law-instrument-list"), {"q": "行政处罚法", "on": "2020-06-01"})
    assert response.status_code == 200
    rows = {row["version_label"]: row["status"] for row in response.json()["results"]}
    assert rows == {"1996年": "repealed", "2009年修正": "repealed", "2017年修正": "in_force", "2021年修订": "not_yet"}
    repealed = client.get(reverse("api:law-instrument-list"), {"status": "repealed"}).json()
    assert repealed["count"] == Instrument.objects.filter(effective_to__isnull=False).count()


def test_a_version_comes_with_its_articles_and_an_article_with_its_texts_and_page(client):
    law = Instrument.objects.get(title="中华人民共和国行政强制法")
    detail = client.get(reverse("api:law-instrument-detail", args=[law.pk])).json()
    assert detail["effective_from"] == "2012-01-01" and detail["source_url"] == "https://flk.npc.gov.cn/"
    assert [row["label"] for row in detail["articles"]][:2] == ["第十八条", "第十九条"]
    article = law.articles.get(number=25)
    body = client.get(reverse("api:law-article-detail", args=[article.pk])).json()
    assert body["paraphrase"] == article.paraphrase and body["official_text"] == ""
    assert body["has_official_text"] is False and body["instrument"]["id"] == law.pk
    assert body["url"] == f"http://testserver/laws/articles/{article.pk}/"


def test_the_citations_of_a_text_are_read_on_the_day_of_the_act(client):
    response = client.get(
        reverse("api:law-citations"),
        {"text": "依《行政处罚法》第四十二条、第五十一条；《环境行政处罚办法》第五条", "on": "2022-03-01"},
    )
    first, second = response.json()
    current = Article.objects.get(
        instrument__version_label="2021年修订", instrument__title="中华人民共和国行政处罚法", number=42
    )
    assert first["text"] == "《行政处罚法》第四十二条、第五十一条" and first["in_force"] is True
    assert first["articles"][0] == {"number": 42, "article": current.pk}
    assert second["instrument"]["version_label"] == "2010年" and second["in_force"] is True
    later = client.get(reverse("api:law-citations"), {"text": "《环境行政处罚办法》第五条", "on": "2024-01-01"}).json()
    assert later[0]["in_force"] is False and later[0]["instrument"]["status"] == "repealed"


def test_errors_are_structured_json(client):
    missing = client.get(reverse("api:law-article-detail", args=[999999]))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = client.get(reverse("api:law-citations"), {"text": "《行政处罚法》第一条", "on": "2022-02-30"})
    assert bad.status_code == 400 and "on" in bad.json()["error"]["fields"]
    empty = client.get(reverse("api:law-instrument-list"), {"status": "forever"})
    assert empty.status_code == 400 and "status" in empty.json()["error"]["fields"]


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert {
        "/api/v1/public/laws/instruments/",
        "/api/v1/public/laws/instruments/{instrument_id}/",
        "/api/v1/public/laws/articles/{article_id}/",
        "/api/v1/public/laws/citations",
    } <= set(schema["paths"])
