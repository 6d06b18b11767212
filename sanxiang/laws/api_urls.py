from django.urls import path

from sanxiang.laws import api

urlpatterns = [
    path("public/laws/instruments/", api.InstrumentListApi.as_view(), name="law-instrument-list"),
    path(
        "public/laws/instruments/<int:instrument_id>/", api.InstrumentDetailApi.as_view(), name="law-instrument-detail"
    ),
    path("public/laws/articles/<int:article_id>/", api.ArticleDetailApi.as_view(), name="law-article-detail"),
    path("public/laws/citations", api.CitationsApi.as_view(), name="law-citations"),
]
