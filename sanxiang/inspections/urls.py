from django.urls import path

from sanxiang.inspections import feedback_views, views

app_name = "inspections"

urlpatterns = [
    path("items/", views.item_list, name="item-list"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/import/", views.items_import, name="item-import"),
    path("items/<int:item_id>/", views.item_detail, name="item-detail"),
    path("items/<int:item_id>/edit/", views.item_update, name="item-update"),
    path("items/<int:item_id>/withdraw", views.item_withdraw, name="item-withdraw"),
    path("items/<int:item_id>/frequencies", views.frequency_set, name="frequency-set"),
    path("items/<int:item_id>/frequencies/<str:tier>/remove", views.frequency_remove, name="frequency-remove"),
    path("rules/", views.rules, name="rules"),
    path("inspectors/", views.inspector_directory, name="inspectors"),
    # 扫码入企: the code's QR for the officer's phone; the supervisors' page of ratings, complaints and caps
    path("approvals/<int:approval_id>/qr.png", feedback_views.approval_qr, name="approval-qr"),
    path("supervision/", feedback_views.supervision, name="supervision"),
]
