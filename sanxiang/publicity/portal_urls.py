from django.urls import path

from sanxiang.publicity.views import portal

app_name = "public"

urlpatterns = [
    path("decisions/", portal.search, name="search"),
    path("decisions/<int:publication_id>/", portal.decision, name="decision"),
    path("decisions/<int:publication_id>/v<int:number>/", portal.decision, name="decision-version"),
    path("decisions/<int:publication_id>/v<int:number>.txt", portal.version_text, name="version-text"),
    path("decisions/<int:publication_id>/v<int:number>.pdf", portal.version_pdf, name="version-pdf"),
    path("decisions/<int:publication_id>/v<int:number>/entry.json", portal.version_entry, name="version-entry"),
    path("decisions/<int:publication_id>/v<int:number>/verify", portal.verify, name="verify"),
    path("withdrawals/", portal.withdrawals, name="withdrawals"),
    path("statistics/", portal.statistics, name="statistics"),
    path("feed.atom", portal.feed, name="feed"),
]
