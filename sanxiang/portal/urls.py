from django.urls import path

from sanxiang.documents.views import verify as verify_document
from sanxiang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("officers/", views.officers, name="officers"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("verify/officer/", views.verify_form, name="verify-form"),
    path("verify/officer/<str:number>/", views.verify_officer, name="verify-officer"),
    path("verify/officer/<str:number>/qr.svg", views.verify_officer_qr, {"kind": "svg"}, name="verify-officer-qr"),
    path("verify/document/<uuid:public_id>/", verify_document, name="verify-document"),
    path("verify/officer/<str:number>/qr.png", views.verify_officer_qr, {"kind": "png"}, name="verify-officer-qr-png"),
]
