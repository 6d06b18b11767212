from django.urls import path

from sanxiang.publicity.views import desk

app_name = "publicity"

urlpatterns = [
    path("", desk.desk, name="desk"),
]
