from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("results/", views.result_list, name="result_list"),
    path("results/import/", views.import_results, name="import_results"),
    path("results/<int:pk>/edit/", views.result_edit, name="result_edit"),
]
