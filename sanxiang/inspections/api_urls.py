from django.urls import path

from sanxiang.inspections import api, feedback_api

urlpatterns = [
    path("inspection-items/", api.ItemListApi.as_view(), name="inspection-item-list"),
    path("inspection-items/import", api.ItemImportApi.as_view(), name="inspection-item-import"),
    path("inspection-items/<int:item_id>/", api.ItemDetailApi.as_view(), name="inspection-item-detail"),
    path("inspection-items/<int:item_id>/update", api.ItemUpdateApi.as_view(), name="inspection-item-update"),
    path("inspection-items/<int:item_id>/withdraw", api.ItemWithdrawApi.as_view(), name="inspection-item-withdraw"),
    path("inspection-items/<int:item_id>/frequencies", api.FrequencySetApi.as_view(), name="inspection-item-frequency"),
    path("agencies/<int:agency_id>/inspection-rules/", api.RulesApi.as_view(), name="inspection-rules"),
    path("agencies/<int:agency_id>/inspectors/", api.InspectorListApi.as_view(), name="inspectors"),
    path("public/agencies/<str:code>/inspection-items/", api.PublicItemsApi.as_view(), name="public-inspection-items"),
    path("public/agencies/<str:code>/inspectors/", api.PublicInspectorListApi.as_view(), name="public-inspectors"),
    # 扫码入企
    path("public/checks/<str:code>/", feedback_api.PublicCheckApi.as_view(), name="public-check"),
    path("public/checks/<str:code>/rating", feedback_api.RatingSubmitApi.as_view(), name="public-check-rating"),
    path(
        "public/checks/<str:code>/complaints", feedback_api.ComplaintSubmitApi.as_view(), name="public-check-complaint"
    ),
    path("inspections/supervision/ratings/", feedback_api.SupervisionRatingsApi.as_view(), name="supervision-ratings"),
    path(
        "inspections/supervision/complaints/",
        feedback_api.SupervisionComplaintsApi.as_view(),
        name="supervision-complaints",
    ),
]
