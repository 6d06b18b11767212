from django.urls import path

from sanxiang.ledger import api

app_name = "ledger"

urlpatterns = [
    path("checkpoint", api.CheckpointApi.as_view(), name="checkpoint"),
    path("tile/<path:path>", api.tile, name="tile"),
    path("key", api.VerifierKeyApi.as_view(), name="key"),
    path("witnesses", api.WitnessPolicyApi.as_view(), name="witnesses"),
    path("timestamp/<int:size>", api.timestamp, name="timestamp"),
    path("timestamp/<int:size>.txt", api.timestamp_text, name="timestamp-text"),
    path("tsa-roots.pem", api.tsa_roots, name="tsa-roots"),
    path("proof/inclusion", api.InclusionProofApi.as_view(), name="inclusion-proof"),
    path("proof/consistency", api.ConsistencyProofApi.as_view(), name="consistency-proof"),
]
