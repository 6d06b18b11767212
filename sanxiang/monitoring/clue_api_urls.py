from django.urls import path

from sanxiang.monitoring import clue_api

urlpatterns = [
    path("monitoring/clues/", clue_api.CluesApi.as_view(), name="monitoring-clues"),
    path("monitoring/clues/<int:exceedance_id>/", clue_api.ClueDetailApi.as_view(), name="monitoring-clue"),
    path("monitoring/runs/", clue_api.RunsApi.as_view(), name="monitoring-runs"),
    path("monitoring/checks/<int:check_id>/", clue_api.CheckApi.as_view(), name="monitoring-check"),
    path("cases/<int:case_id>/monitoring-check", clue_api.CaseCheckApi.as_view(), name="case-monitoring-check"),
    *clue_api.action_patterns(),
]
