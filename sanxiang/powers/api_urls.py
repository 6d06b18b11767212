from django.urls import path

from sanxiang.powers import api

urlpatterns = [
    path("powers/", api.PowerListApi.as_view(), name="power-list"),
    path("powers/import", api.PowerImportApi.as_view(), name="power-import"),
    path("powers/<int:power_id>/", api.PowerDetailApi.as_view(), name="power-detail"),
    path("powers/<int:power_id>/update", api.PowerUpdateApi.as_view(), name="power-update"),
    path("powers/<int:power_id>/withdraw", api.PowerWithdrawApi.as_view(), name="power-withdraw"),
    path("public/agencies/<str:code>/powers/", api.PublicPowerListApi.as_view(), name="public-powers"),
]
