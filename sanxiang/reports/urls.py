"""The workbench pages of the annual report, mounted at workbench/reports/."""

from django.urls import path

from sanxiang.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:agency_id>/<int:year>/", views.agency_year, name="agency-year"),
    path("<int:agency_id>/<int:year>/<str:key>/", views.drill, name="drill"),
    path("<int:agency_id>/generate", views.generate, name="generate"),
    path("r/<int:pk>/", views.report_detail, name="report"),
    path("r/<int:pk>/data.<str:fmt>", views.download, name="download"),
    path("r/<int:pk>/<str:action>", views.report_action, name="report-action"),
]
