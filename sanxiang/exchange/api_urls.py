from django.urls import path

from sanxiang.exchange import api

urlpatterns = [
    path("exchange/feed", api.FeedApi.as_view(), name="exchange-feed"),
    path("exchange/schema/<str:name>.json", api.SchemaApi.as_view(), name="exchange-schema"),
    path("exchange/mirror/records", api.MirrorRecordListApi.as_view(), name="exchange-mirror-records"),
]
