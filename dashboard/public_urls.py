from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("plans/<slug:key>/", views.public_plan, name="plan"),
]
