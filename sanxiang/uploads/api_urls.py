from django.urls import path

from sanxiang.uploads.api import UploadApi, UploadsApi

urlpatterns = [
    path("uploads", UploadsApi.as_view(), name="uploads"),
    path("uploads/<uuid:upload_id>", UploadApi.as_view(), name="upload"),
]
