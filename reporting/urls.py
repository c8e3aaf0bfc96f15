from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("deadlines/<int:pk>/", views.tracker, name="tracker"),
    path("deadlines/<int:pk>/settings/", views.deadline_settings, name="deadline_settings"),
    path("deadlines/<int:pk>/render/", views.render_consolidated, name="render_consolidated"),
    path("deadlines/<int:pk>/units/<int:unit_pk>/", views.submission, name="submission"),
    path("deadlines/<int:pk>/units/<int:unit_pk>/render/", views.render_unit, name="render_unit"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="submission_accept"),
    path("files/<int:pk>/progress/", views.rendered_progress, name="rendered_progress"),
    path("files/<int:pk>/download/", views.rendered_download, name="rendered_download"),
    path("files/<int:pk>/retry/", views.rendered_retry, name="rendered_retry"),
    path("plans/<int:plan_pk>/rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
