from django.urls import path

from sanxiang.inspections import api

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
]
