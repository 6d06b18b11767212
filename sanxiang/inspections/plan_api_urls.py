from django.urls import path

from sanxiang.inspections import plan_api

urlpatterns = [
    path("public/agencies/<str:code>/plans", plan_api.PublicPlansApi.as_view(), name="public-plans"),
    path("public/plans/<int:plan_id>/plan.json", plan_api.PublicPlanJsonApi.as_view(), name="public-plan-json"),
    path("public/plans/<int:plan_id>/draw", plan_api.PublicDrawApi.as_view(), name="public-plan-draw"),
    path("plans/", plan_api.PlansApi.as_view(), name="plans"),
    path("plans/<int:plan_id>/", plan_api.PlanDetailApi.as_view(), name="plan-detail"),
    path("plans/<int:plan_id>/targets", plan_api.TargetsApi.as_view(), name="plan-targets"),
    path("plans/<int:plan_id>/targets/<int:target_id>/result", plan_api.ResultApi.as_view(), name="plan-target-result"),
    path("recusals/", plan_api.RecusalsApi.as_view(), name="recusals"),
    path("recusals/kinship", plan_api.KinshipApi.as_view(), name="recusal-kinship"),
    *plan_api.action_patterns(),
]
