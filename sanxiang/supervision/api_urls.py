from django.urls import path

from sanxiang.supervision import api

urlpatterns = [
    path("supervision/desk", api.DeskApi.as_view(), name="supervision-desk"),
    path("supervision/notices/", api.NoticeListApi.as_view(), name="supervision-notices"),
    path("supervision/notices/<int:notice_id>/", api.NoticeDetailApi.as_view(), name="supervision-notice"),
    *api.action_patterns(),
]
