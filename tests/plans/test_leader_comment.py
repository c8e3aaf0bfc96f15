"""A leader's comment reaches the people who do the work."""

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_leaders_comment_notifies_the_lead_units_head_and_the_assignees(client, task, people):
    task.assignees.add(people["alice"])
    client.force_login(people["dave"])
    response = client.post(f"/tasks/{task.pk}/comment/", {"note": "Đề nghị hoàn thành trước 30/11."})
    assert response.status_code in (200, 302)
    notified = {n.user.username: n for n in Notification.objects.select_related("user")}
    assert set(notified) == {"bob", "alice"}
    assert notified["bob"].body == "Đề nghị hoàn thành trước 30/11."
    assert notified["bob"].url == f"/tasks/{task.pk}/"
    assert "Đỗ Tiến Đạt" in notified["bob"].title


def test_an_officials_comment_notifies_nobody(client, task, people):
    client.force_login(people["frank"])  # coordinates the task
    client.post(f"/tasks/{task.pk}/comment/", {"note": "Phòng XNK sẽ phối hợp."})
    assert not Notification.objects.exists()
