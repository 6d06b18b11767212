from django.urls import path

from sanxiang.review import api

urlpatterns = [
    path("reviews/", api.ReviewListApi.as_view(), name="review-list"),
    path("reviews/queue", api.QueueApi.as_view(), name="review-queue"),
    path("reviews/<int:review_id>/", api.ReviewDetailApi.as_view(), name="review-detail"),
    *api.action_patterns(),
    path("cases/<int:case_id>/legal-review", api.SubmitApi.as_view(), name="review-submit"),
    path(
        "licensing/applications/<int:application_id>/legal-review",
        api.SubmitApplicationApi.as_view(),
        name="review-submit-application",
    ),
    path("agencies/<int:agency_id>/review-catalogue/", api.ReviewCatalogueApi.as_view(), name="review-catalogue"),
    path(
        "agencies/<int:agency_id>/review-catalogue/<int:rule_id>/remove",
        api.ReviewRuleRemoveApi.as_view(),
        name="review-rule-remove",
    ),
    path("agencies/<int:agency_id>/review-statistics", api.StatisticsApi.as_view(), name="review-statistics"),
]
