from django.urls import path

from sanxiang.publicity.views import portal

app_name = "public"

urlpatterns = [
    path("decisions/", portal.search, name="search"),
]
