from django.urls import path

from sanxiang.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_search, name="search"),
    path("cases/<int:case_id>/", views.case_evidence, name="case"),
    path("inspections/<int:inspection_id>/", views.inspection_evidence, name="inspection"),
    path("scrub/", views.scrub_report, name="scrub"),
    path("<int:item_id>/", views.item_detail, name="item"),
    path("<int:item_id>/view", views.item_file, {"how": "view"}, name="view"),
    path("<int:item_id>/download", views.item_file, {"how": "download"}, name="download"),
]
