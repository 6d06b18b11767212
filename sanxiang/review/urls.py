from django.urls import path

from sanxiang.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/add", views.catalogue_add, name="catalogue-add"),
    path("catalogue/<int:rule_id>/remove", views.catalogue_remove, name="catalogue-remove"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:review_id>/", views.review_detail, name="review"),
    path("<int:review_id>/<str:action>", views.review_action, name="action"),
    path("submit/<int:case_id>", views.submit, name="submit"),
    path("submit/application/<int:application_id>", views.submit_application, name="submit-application"),
]
