from django.urls import path

from sanxiang.publicity import api, public_api
from sanxiang.publicity.views import opendata

urlpatterns = [
    path("publications/", api.DeskApi.as_view(), name="publication-desk"),
    path("publications/<int:publication_id>/", api.PublicationDetailApi.as_view(), name="publication-detail"),
    *api.action_patterns(),
    path("public/decisions", api.DecisionSearchApi.as_view(), name="public-decisions"),
    path("public/decisions/<int:publication_id>", api.DecisionDetailApi.as_view(), name="public-decision"),
    path("public/compliance", api.ComplianceApi.as_view(), name="public-compliance"),
    path("public/subscriptions", public_api.SubscriptionsApi.as_view(), name="public-subscriptions"),
    path(
        "public/subscriptions/confirm/<str:token>",
        public_api.SubscriptionConfirmApi.as_view(),
        name="public-subscription-confirm",
    ),
    path(
        "public/subscriptions/unsubscribe/<str:token>",
        public_api.SubscriptionCancelApi.as_view(),
        name="public-subscription-cancel",
    ),
    path("publicity/export", opendata.ExportApi.as_view(), name="publicity-export"),
    path("publicity/import", opendata.ImportApi.as_view(), name="publicity-import"),
]
