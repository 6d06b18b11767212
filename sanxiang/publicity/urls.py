from django.urls import path

from sanxiang.publicity.views import desk, opendata

app_name = "publicity"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("<int:publication_id>/", desk.publication_detail, name="publication"),
    path("<int:publication_id>/<str:action>", desk.publication_action, name="action"),
]

# The open-data pages of the workbench (import, manual licence entry), mounted at workbench/opendata/ under their
# own namespace, "opendata-staff".
opendata_patterns = [
    path("import", opendata.import_records, name="import"),
    path("licences/new", opendata.licence_enter, name="licence-enter"),
]
