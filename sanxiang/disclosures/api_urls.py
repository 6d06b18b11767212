from django.urls import path

from sanxiang.disclosures import api

urlpatterns = [
    path("public/agencies/<str:code>/disclosures", api.DisclosuresApi.as_view(), name="public-disclosures"),
]
