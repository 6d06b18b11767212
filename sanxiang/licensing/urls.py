"""The workbench pages of licensing, mounted at workbench/licensing/."""

app_name = "licensing"

urlpatterns: list = []
