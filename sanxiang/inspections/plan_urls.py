"""Workbench pages of 双随机 plans and draws."""

from django.urls import path

from sanxiang.inspections import plan_views

app_name = "plans"

urlpatterns = [
    path("", plan_views.plan_list, name="list"),
    path("new/", plan_views.plan_create, name="create"),
    path("recusals/", plan_views.recusals, name="recusals"),
    path("<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("<int:plan_id>/plan.json", plan_views.plan_json, name="plan-json"),
    path("<int:plan_id>/targets/<int:target_id>/", plan_views.target_detail, name="target"),
    path("<int:plan_id>/<str:action>", plan_views.plan_action, name="action"),
]
