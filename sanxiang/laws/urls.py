"""Workbench pages of the law library. The portal mounts its own reading pages under the same names in the instance
namespace "public-laws", so a link to "laws:article" stays on the side of the page it is on."""

from django.urls import path

from sanxiang.laws import views

app_name = "laws"

urlpatterns = [
    path("", views.index, name="index"),
    path("instruments/<int:instrument_id>/", views.instrument, name="instrument"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("rules/", views.rules, name="rules"),
    path("import/", views.import_text, name="import"),
]
