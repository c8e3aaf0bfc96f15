from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("badge/", views.unread_badge, name="badge"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("deadlines/<int:pk>/remind/", views.remind_units, name="remind_units"),
    path("preferences/calendar/regenerate/", views.regenerate_calendar, name="regenerate_calendar"),
]
