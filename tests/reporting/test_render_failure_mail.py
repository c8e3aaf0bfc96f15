"""With ADMINS set, a failed render e-mails the administrators once per kind of failure per hour, not once per
render: a report that fails every time, retried all afternoon, is one e-mail; every failure is still logged."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reporting import tasks
from reporting.models import RenderedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Quản trị Cổng PCI", "ops@example.vn")]
    settings.ADMIN_ERROR_MAIL_PERIOD = 3600
    # The limit lives in the cache (Redis in production, shared by every process); a fresh one for this test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mail"}}


def render(client, deadline, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:render_consolidated", args=[deadline.pk]), {"format": fmt})


def broken_table(context, fmt, progress):
    raise ValueError("ô trống")


def broken_font(context, fmt, progress):
    raise OSError("thiếu phông chữ")


def test_failed_renders_mail_the_administrators_once_per_kind_of_failure_per_period(
    client, admins, eager, deadline, accepted, people, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people["carol"])
    start = datetime.datetime(2025, 11, 20, 14, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        monkeypatch.setattr(tasks, "render", broken_table)
        for fmt in ("pdf", "docx", "xlsx", "pdf"):
            render(client, deadline, fmt, django_capture_on_commit_callbacks)
        assert RenderedReport.objects.filter(status=RenderedReport.Status.FAILED).count() == 4
        [first] = mailoutbox
        assert first.to == ["ops@example.vn"]
        assert "ValueError" in first.subject and "reporting.render_report" in first.subject
        assert "ô trống" in first.body and "Các lỗi cùng loại trong 60 phút tới" in first.body

        monkeypatch.setattr(tasks, "render", broken_font)  # another kind of failure is news
        render(client, deadline, "docx", django_capture_on_commit_callbacks)
        render(client, deadline, "xlsx", django_capture_on_commit_callbacks)
        assert len(mailoutbox) == 2 and "OSError" in mailoutbox[1].subject

        clock.shift(datetime.timedelta(minutes=61))  # an hour later the same failure is worth saying again
        monkeypatch.setattr(tasks, "render", broken_table)
        render(client, deadline, "pdf", django_capture_on_commit_callbacks)
        assert len(mailoutbox) == 3 and "ValueError" in mailoutbox[2].subject


def test_without_admins_a_failed_render_mails_nobody(
    client, eager, deadline, accepted, people, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ADMINS = []
    monkeypatch.setattr(tasks, "render", broken_table)
    client.force_login(people["carol"])
    render(client, deadline, "pdf", django_capture_on_commit_callbacks)
    assert RenderedReport.objects.get().status == RenderedReport.Status.FAILED
    assert mailoutbox == []
