from django.urls import path

from sanxiang.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_page, name="audit"),
    path("security/", views.security_log, name="security"),
    path("security/export.csv", views.security_log_export, {"file_format": "csv"}, name="security-csv"),
    path("security/export.jsonl", views.security_log_export, {"file_format": "jsonl"}, name="security-jsonl"),
    path("history/<str:subject_type>/<str:subject_id>/", views.history, name="history"),
]
