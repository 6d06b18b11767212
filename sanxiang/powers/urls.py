from django.urls import path

from sanxiang.powers import views

app_name = "powers"

urlpatterns = [
    path("", views.power_list, name="list"),
    path("new/", views.power_create, name="create"),
    path("import/", views.power_import, name="import"),
    path("<int:power_id>/", views.power_detail, name="detail"),
    path("<int:power_id>/edit/", views.power_update, name="update"),
    path("<int:power_id>/withdraw", views.power_withdraw, name="withdraw"),
]
