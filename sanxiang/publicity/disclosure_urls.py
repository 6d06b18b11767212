"""Pre-disclosure (事前公开) pages: the workbench side (collect → review → publish) and the portal sections."""

from django.urls import path

from sanxiang.publicity.views import disclosures as views

workbench_patterns = [
    path("", views.index, name="index"),
    path("items/<int:disclosure_id>/", views.item, name="item"),
    path("items/<int:disclosure_id>/<str:action>", views.item_action, name="action"),
    path("<str:code>/", views.agency, name="agency"),
    path("<str:code>/create", views.create, name="create"),
]

portal_patterns = [
    path("", views.public_index, name="index"),
    path("<str:code>/", views.public_agency, name="agency"),
    path("<str:code>/<int:disclosure_id>/", views.public_history, name="history"),
]
