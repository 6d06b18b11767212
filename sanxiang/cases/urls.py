from django.urls import path

from sanxiang.cases import catalogue_views, directory_views, onsite_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_open, name="case-open"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/<str:action>/", views.case_action, name="case-action"),
    path("onsite/", onsite_views.onsite_penalty, name="onsite-penalty"),
    path("onsite/records/", onsite_views.onsite_list, name="onsite-list"),
    path("onsite/<int:penalty_id>/<str:step>/", onsite_views.onsite_step, name="onsite-step"),
    path("parties/", directory_views.party_list, name="party-list"),
    path("parties/new/", directory_views.party_create, name="party-create"),
    path("parties/import/", directory_views.party_import, name="party-import"),
    path("parties/<int:party_id>/", directory_views.party_detail, name="party-detail"),
    path("parties/<int:party_id>/correct/", directory_views.party_correct, name="party-correct"),
    path("powers/<int:power_id>/violations/", directory_views.power_violations, name="power-violations"),
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("catalogue/violations/new/", catalogue_views.violation_create, name="violation-create"),
    path("catalogue/violations/<int:violation_id>/", catalogue_views.violation_update, name="violation-update"),
    path("catalogue/factors/new/", catalogue_views.factor_add, name="factor-add"),
    path("catalogue/factors/<int:factor_id>/", catalogue_views.factor_update, name="factor-update"),
    path("catalogue/factors/<int:factor_id>/remove", catalogue_views.factor_remove, name="factor-remove"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_start, name="inspection-start"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection-detail"),
]
