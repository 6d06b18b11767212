from django.urls import path

from sanxiang.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_page, name="audit"),
    path("history/<str:subject_type>/<str:subject_id>/", views.history, name="history"),
]
