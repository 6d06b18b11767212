"""The citations other pages show lead to the library: refusals, the review, the portal's pre-disclosure and
decisions, the calendar — on the side of the page they are on, in the version of the act's day."""

from decimal import Decimal

from django.urls import reverse

from sanxiang.laws.models import Article, Instrument
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.publicity import published
from sanxiang.testing.reviews import submit


def _article(number: int) -> Article:
    return Article.objects.get(
        instrument__title="中华人民共和国行政处罚法", instrument__version_label="2021年修订", number=number
    )


def test_the_portal_pages_that_cite_the_law_link_to_the_public_library(client, world):
    page = client.get(reverse("public-disclosures:agency", args=[world.harbin.code])).content.decode()
    article = Article.objects.get(instrument__title="中华人民共和国行政复议法", number=20)
    assert f'href="/laws/articles/{article.pk}/"' in page
    unknown = client.get(reverse("portal:verify-officer", args=["000000000000"])).content.decode()
    assert f'href="/laws/articles/{_article(55).pk}/"' in unknown


def test_the_calendar_links_the_holiday_measures_version_of_its_year(client, world):
    client.force_login(world.people.officer)
    page = client.get(reverse("web:calendar"), {"year": 2031}).content.decode()
    version = Instrument.objects.get(document_number="国务院令第795号")
    article = version.articles.get(number=2)
    assert f'href="/workbench/laws/articles/{article.pk}/"' in page


def test_the_review_workspace_links_its_reasons_materials_and_prechecks_to_the_workbench_library(client, world):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        review = submit(world, case)
    client.force_login(world.people.counsel)
    with at(DECIDED):
        page = client.get(reverse("review:review", args=[review.pk])).content.decode()
    permit = Article.objects.get(instrument__title="排污许可管理条例", number=33)
    air = Article.objects.get(instrument__title="中华人民共和国大气污染防治法", number=99)
    assert f'<a class="law" href="/workbench/laws/articles/{permit.pk}/">《排污许可管理条例》第三十三条</a>' in page
    assert f'<a class="law" href="/workbench/laws/articles/{air.pk}/">第九十九条第二项</a>' in page  # 法律依据
    assert f'href="/workbench/laws/articles/{_article(58).pk}/"' in page  # why the case is reviewed


def test_a_published_decision_links_its_basis_in_the_version_of_the_decision_day(client, world):
    publication = published(world)
    page = client.get(reverse("public:decision", args=[publication.pk])).content.decode()
    air = Article.objects.get(instrument__title="中华人民共和国大气污染防治法", number=99)
    assert publication.decided_on.isoformat() == "2026-10-12"
    assert f'<a class="law" href="/laws/articles/{air.pk}/">第九十九条第二项</a>' in page
