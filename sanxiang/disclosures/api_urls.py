from django.urls import path

from sanxiang.disclosures import api

urlpatterns = [
    path("public/agencies/<str:code>/disclosures", api.DisclosuresApi.as_view(), name="public-disclosures"),
    path("disclosures/", api.DisclosureCreateApi.as_view(), name="disclosure-create"),
    path("disclosures/<int:disclosure_id>/", api.DisclosureDetailApi.as_view(), name="disclosure-detail"),
    *api.action_patterns(),
]
