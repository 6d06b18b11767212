from django.urls import path

from sanxiang.monitoring import api

urlpatterns = [
    path("monitoring/points/", api.PointListApi.as_view(), name="monitoring-point-list"),
    path("monitoring/points/<int:point_id>/", api.PointDetailApi.as_view(), name="monitoring-point"),
    path("monitoring/points/<int:point_id>/series", api.SeriesApi.as_view(), name="monitoring-series"),
    path("monitoring/points/<int:point_id>/marks/", api.MarkListApi.as_view(), name="monitoring-marks"),
    path("monitoring/points/<int:point_id>/limits/", api.LimitListApi.as_view(), name="monitoring-limits"),
    path("monitoring/points/<int:point_id>/devices/", api.DeviceListApi.as_view(), name="monitoring-devices"),
    path("monitoring/points/<int:point_id>/publish", api.PublishLocationApi.as_view(), name="monitoring-publish"),
    path("monitoring/devices/<int:device_id>/review", api.DeviceReviewApi.as_view(), name="monitoring-device-review"),
    path("monitoring/devices/<int:device_id>/retire", api.DeviceRetireApi.as_view(), name="monitoring-device-retire"),
    path("monitoring/quarantine/", api.QuarantineSummaryApi.as_view(), name="monitoring-quarantine"),
    path("public/monitoring/locations/", api.PublicLocationsApi.as_view(), name="public-monitoring-locations"),
]
