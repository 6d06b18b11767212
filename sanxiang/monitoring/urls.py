from django.urls import path

from sanxiang.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.point_list, name="points"),
    path("points/new/", views.point_create, name="point-create"),
    path("points/<int:point_id>/", views.point_detail, name="point"),
    path("points/<int:point_id>/marks", views.mark_record, name="mark-record"),
    path("points/<int:point_id>/limits", views.limit_set, name="limit-set"),
    path("points/<int:point_id>/devices", views.device_register, name="device-register"),
    path("points/<int:point_id>/review", views.device_review, name="device-review"),
    path("points/<int:point_id>/retire", views.device_retire, name="device-retire"),
    path("points/<int:point_id>/publish", views.publish_location, name="publish-location"),
    path("quarantine/", views.quarantine, name="quarantine"),
]
