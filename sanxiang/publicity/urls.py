from django.urls import path

from sanxiang.publicity.views import desk

app_name = "publicity"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("<int:publication_id>/", desk.publication_detail, name="publication"),
    path("<int:publication_id>/<str:action>", desk.publication_action, name="action"),
]
