"""The reports' part of API v1."""

from django.urls import path

from sanxiang.reports import api

urlpatterns = [
    path("reports/", api.ReportsApi.as_view(), name="reports"),
    path("reports/<int:report_id>/", api.ReportDetailApi.as_view(), name="report-detail"),
    *api.action_patterns(),
    path("agencies/<int:agency_id>/figures", api.FiguresApi.as_view(), name="agency-figures"),
    path("agencies/<int:agency_id>/figures/<str:key>", api.DrillApi.as_view(), name="agency-figure-records"),
]
