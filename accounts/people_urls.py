from django.urls import path

from . import people_views as views

app_name = "people"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:pk>/active/", views.unit_set_active, name="unit_set_active"),
]

urlpatterns += [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/<str:action>/", views.user_action, name="user_action"),
    path("users/import/", views.user_import, name="user_import"),
    path("users/import/template.xlsx", views.user_import_template, name="user_import_template"),
    path("users/import/<uuid:pk>/", views.user_import_detail, name="user_import_detail"),
    path("users/import/<uuid:pk>/confirm/", views.user_import_confirm, name="user_import_confirm"),
]
