"""A person's calendar (.ics): report deadlines their unit owes or receives, and their open dated tasks."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from plans.models import Task, TaskOccurrence
from reporting.access import deadline_path_for
from reporting.models import Deadline

from .reminders import day_off_note


def deadlines_for(user, since):
    """Deadlines of tracked plans that the user's unit reports on (or receives), due on or after `since`."""
    if user.unit_id is None:
        return Deadline.objects.none()
    unit = user.unit
    reports = Q(pk__in=Deadline.objects.owed_by(unit).values("pk")) | Q(rule__to_unit=unit)
    return (
        Deadline.objects.filter(reports, rule__plan__tracked=True, due_date__gte=since)
        .select_related("rule__plan")
        .distinct()
        .order_by("due_date", "pk")
    )


def tasks_for(user):
    """Tasks assigned to the user or led by their unit (not cancelled)."""
    mine = Q(assignees=user)
    if user.unit_id:
        mine |= Q(lead_unit_id=user.unit_id)
    return Task.objects.exclude(status=Task.Status.CANCELLED).filter(mine, plan__tracked=True)


def rounds_for(user, since):
    """The open rounds (plans.schedule) of the user's tasks due on or after `since`: one event each."""
    return (
        TaskOccurrence.objects.open()
        .filter(task__in=tasks_for(user).values("pk"), due_date__gte=since)
        .select_related("task__plan")
        .order_by("due_date", "task_id")
    )


def _event(uid, day, summary, url, description, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date: an all-day event (DTSTART;VALUE=DATE)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", datetime.timedelta(days=-1))
    event.add_component(alarm)
    return event


def build_calendar(user, today=None):
    """The VCALENDAR bytes (CRLF line endings, as icalendar writes them)."""
    today = today or timezone.localdate()
    host = urlsplit(settings.SITE_URL).hostname or "pci.local"
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Cổng PCI//Nhắc việc//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Cổng PCI – {user.get_full_name()}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for deadline in deadlines_for(user, since=today - datetime.timedelta(days=365)):
        plan = deadline.rule.plan
        notes = [f"Kế hoạch {plan.display_number}".strip(), f"Hạn nộp: {deadline.due_date:%d/%m/%Y}"]
        if note := day_off_note(deadline.due_date):
            notes.append(note)
        cal.add_component(
            _event(
                f"deadline-{deadline.pk}@{host}",
                deadline.due_date,
                f"Hạn nộp báo cáo: {deadline.rule.title}",
                settings.SITE_URL + deadline_path_for(user, deadline),
                "\n".join(notes),
                stamp,
            )
        )
    for occurrence in rounds_for(user, since=today - datetime.timedelta(days=365)):
        task = occurrence.task
        notes = [f"Kế hoạch {task.plan.display_number}".strip(), f"Hạn hoàn thành: {occurrence.due_date:%d/%m/%Y}"]
        if task.timeframe != Task.Timeframe.ONCE:
            notes.insert(1, f"Kỳ: {occurrence.label}")
        if note := day_off_note(occurrence.due_date):
            notes.append(note)
        # One-off tasks keep their old UID so subscribed calendars update the event instead of doubling it.
        uid = f"task-{task.pk}"
        if task.timeframe != Task.Timeframe.ONCE:
            uid += f"-{occurrence.due_date:%Y%m%d}"
        cal.add_component(
            _event(
                f"{uid}@{host}",
                occurrence.due_date,
                f"Hạn nhiệm vụ: {task.title}",
                settings.SITE_URL + reverse("plans:task_detail", args=[task.pk]),
                "\n".join(notes),
                stamp,
            )
        )
    return cal.to_ical()
