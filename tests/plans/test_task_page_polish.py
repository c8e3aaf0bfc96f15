"""The task page: unique element ids whoever reads it, and "Cập nhật lần cuối" only after a real update."""

import collections
import datetime

import pytest
import time_machine
from django.urls import reverse

from plans import services
from plans.models import Task
from tests.html import by_id, select, text

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "admin"])
def test_every_element_id_on_the_task_page_is_unique(client, people, task, who):
    client.force_login(people[who])
    page = client.get(reverse("plans:task_detail", args=[task.pk]))
    assert page.status_code == 200
    ids = collections.Counter(e.get("id") for e in select(page, "//*[@id]"))
    assert {i: n for i, n in ids.items() if n > 1} == {}
    # The three forms each keep their own "note" box, reachable from its label.
    notes = [f"{f.get('action')}:{f.xpath('.//textarea')[0].get('id')}" for f in select(page, "//form[.//textarea]")]
    for label in select(page, "//form//label[@for]"):
        assert select(page, f'//*[@id="{label.get("for")}"]'), label.get("for")
    if who == "admin":
        assert len(notes) == 3


def test_last_updated_shows_only_after_a_progress_update(client, people, task):
    client.force_login(people["bob"])
    url = reverse("plans:task_detail", args=[task.pk])
    assert text(by_id(client.get(url), "task-last-update")) == "Chưa có cập nhật tiến độ"
    with time_machine.travel(datetime.datetime(2025, 3, 4, 10, 5, tzinfo=TZ), tick=False):
        services.comment_task(task, by=people["dave"], note="Đề nghị đẩy nhanh tiến độ.")
    assert "Cập nhật lần cuối" not in text(by_id(client.get(url), "task-last-update"))  # a comment is not one
    with time_machine.travel(datetime.datetime(2025, 3, 5, 14, 30, tzinfo=TZ), tick=False):
        services.update_task(task, by=people["alice"], status=Task.Status.IN_PROGRESS, progress=40)
    assert text(by_id(client.get(url), "task-last-update")) == "Cập nhật lần cuối 05/03/2025 14:30"
