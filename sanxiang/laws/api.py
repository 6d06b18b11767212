"""API v1 of the law library, for anyone (the law is public): the versions, one version with its articles, one
article, and the reading of the citations in a text on a day — which version and article each names, and whether
that version is in force then."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from sanxiang.api.forms import BoundedDateField
from sanxiang.api.pagination import Paged
from sanxiang.api.views import PublicApi
from sanxiang.laws import selectors
from sanxiang.laws.models import InForce, InstrumentKind


def _today(serializer) -> object:
    return serializer.context.get("on") or timezone.localdate()


class InstrumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    short_names = serializers.CharField()
    issuer = serializers.CharField()
    document_number = serializers.CharField()
    version_label = serializers.CharField()
    promulgated_on = serializers.DateField(allow_null=True)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True, help_text="最后有效的一日；现行有效的为 null")
    status = serializers.SerializerMethodField(help_text="按 on（默认今天）判断：in_force / repealed / not_yet")
    source_name = serializers.CharField()
    source_url = serializers.URLField()
    confidence = serializers.CharField(help_text="C 已核对原文；C2 经二手资料核对；U 未确认")
    note = serializers.CharField()

    def get_status(self, instrument) -> str:
        return instrument.status_on(_today(self))


class ArticleRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.CharField(help_text="如“第五十一条”")
    paraphrase = serializers.CharField(help_text="本平台撰写的要旨，不是法条原文")
    has_official_text = serializers.SerializerMethodField()

    def get_has_official_text(self, article) -> bool:
        return bool(article.official_text)


class InstrumentDetailOut(InstrumentOut):
    articles = ArticleRef(many=True, source="articles.all")


class ArticleOut(ArticleRef):
    instrument = InstrumentOut()
    official_text = serializers.CharField(help_text="导入的官方文本；未导入为空")
    text_source = serializers.CharField()
    text_sha256 = serializers.CharField()
    text_imported_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="门户网站上的本条页面")

    def get_url(self, article) -> str:
        return self.context["request"].build_absolute_uri(reverse("public-laws:article", args=[article.pk]))


class InstrumentListApi(Paged, PublicApi):
    """法律法规库: every version the library holds (each revision of a law is its own entry), filtered like the
    library page."""

    class Filter(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100, help_text="名称、简称、文号、条文内容或引文")
        kind = serializers.ChoiceField(choices=InstrumentKind.choices, required=False)
        status = serializers.ChoiceField(choices=InForce.choices, required=False)
        on = BoundedDateField(required=False, help_text="判断效力的日期，默认今天")

    @extend_schema(parameters=[Filter], responses=InstrumentOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        on = data.get("on") or timezone.localdate()
        found = selectors.library_search(
            query=data.get("q", ""), kind=data.get("kind", ""), status=data.get("status", ""), on=on
        )
        return self.page(request, found.instruments, InstrumentOut, context={"on": on})


class InstrumentDetailApi(PublicApi):
    """One version with the articles the library holds."""

    @extend_schema(responses=InstrumentDetailOut)
    def get(self, request, instrument_id: int):
        instrument = selectors.instrument_get_for_user(user=request.user, instrument_id=instrument_id)
        return Response(InstrumentDetailOut(instrument).data)


class ArticleDetailApi(PublicApi):
    """One article: the paraphrase written here, and the official text when it was imported, with its source."""

    @extend_schema(responses=ArticleOut)
    def get(self, request, article_id: int):
        article = selectors.article_get(article_id=article_id)
        return Response(ArticleOut(article, context={"request": request}).data)


class CitedArticleOut(serializers.Serializer):
    number = serializers.IntegerField()
    article = serializers.IntegerField(allow_null=True, help_text="法条 id；库中未收录为 null")


class CitationOut(serializers.Serializer):
    text = serializers.SerializerMethodField(help_text="引文原文")
    instrument = InstrumentOut(allow_null=True, help_text="按日期确定的版本；库中没有该法规为 null")
    articles = serializers.SerializerMethodField()
    in_force = serializers.BooleanField(help_text="该版本在 on 当日是否有效（库中没有的不标注，为 true）")

    def get_text(self, found) -> str:
        return self.context["text"][found.citation.start : found.citation.end]

    @extend_schema_field(CitedArticleOut(many=True))
    def get_articles(self, found) -> list[dict]:
        return [{"number": number, "article": pk} for number, pk in found.articles]


class CitationsApi(PublicApi):
    """Read the citations in a text (《行政处罚法》第五十一条、第六十三条) on a day: the version in force then (or the
    one the brackets name), each article's entry, and whether that version is in force on the day."""

    class Query(serializers.Serializer):
        text = serializers.CharField(max_length=2000)
        on = BoundedDateField(required=False, help_text="行为发生之日，默认今天")

    @extend_schema(parameters=[Query], responses=CitationOut(many=True))
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        text, on = query.validated_data["text"], query.validated_data.get("on") or timezone.localdate()
        found = selectors.resolve(text, on=on)
        return Response(CitationOut(found, many=True, context={"text": text, "on": on}).data)
