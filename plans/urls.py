from django.urls import path

from . import import_views, views

app_name = "plans"
urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/update/", views.task_update, name="task_update"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/import/", import_views.import_start, name="import_start"),
    path("imports/<int:pk>/", import_views.import_review, name="import_review"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/update/", import_views.import_update, name="import_update"),
    path("imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("plans/<int:pk>/source/", import_views.plan_source, name="plan_source"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_pk>/sections/new/", views.section_edit, name="section_create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/paste/", views.tasks_paste, name="section_paste"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("plans/<int:plan_pk>/tasks/new/", views.task_edit, name="task_create"),
    path("plans/<int:plan_pk>/targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
]
