from django.urls import path

from sanxiang.agencies import api, training_api

urlpatterns = [
    path("agencies/", api.AgencyListApi.as_view(), name="agency-list"),
    path("agencies/<int:agency_id>/", api.AgencyDetailApi.as_view(), name="agency-detail"),
    path(
        "agencies/<int:agency_id>/decision-details/",
        api.AgencyDecisionDetailsApi.as_view(),
        name="agency-decision-details",
    ),
    path("officers/", api.OfficerListApi.as_view(), name="officer-list"),
    path("officers/<int:staff_id>/training/", training_api.OfficerTrainingApi.as_view(), name="officer-training"),
    path("training/<int:record_id>/withdraw", training_api.TrainingWithdrawApi.as_view(), name="training-withdraw"),
    path("training/<int:record_id>/correct", training_api.TrainingCorrectApi.as_view(), name="training-correct"),
    path(
        "agencies/<int:agency_id>/training-summary/",
        training_api.TrainingSummaryApi.as_view(),
        name="agency-training-summary",
    ),
    path("certificates/", api.CertificateListApi.as_view(), name="certificate-list"),
    path("certificates/<int:certificate_id>/", api.CertificateDetailApi.as_view(), name="certificate-detail"),
    *api.certificate_action_patterns(),
    path("public/certificates/<str:number>/", api.PublicCertificateApi.as_view(), name="public-certificate"),
]
