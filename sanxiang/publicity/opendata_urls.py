"""Open data (双公示 exports and imports): portal downloads and API v1 endpoints."""

from django.urls import path

from sanxiang.publicity.views import opendata

portal_patterns = [
    path("", opendata.index, name="index"),
    path("download", opendata.download, name="download"),
]
api_patterns = [
    path("export", opendata.ExportApi.as_view(), name="publicity-export"),
    path("import", opendata.ImportApi.as_view(), name="publicity-import"),
]
workbench_patterns = [
    path("import", opendata.import_records, name="import"),
    path("licences/new", opendata.licence_enter, name="licence-enter"),
]
