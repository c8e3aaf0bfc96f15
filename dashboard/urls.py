from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("pdf/", views.dashboard_pdf, name="pdf"),
    path("what-if/", views.what_if_view, name="what_if"),
    path("tasks/", views.task_list, name="tasks"),
    path("plans/<int:pk>/public/", views.toggle_public, name="toggle_public"),
]
