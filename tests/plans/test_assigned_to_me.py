"""'Được giao cho tôi': an official finds what was given to her, and the task page shows it at once."""

import pytest

from tests.factories import TaskFactory
from tests.html import by_id, text

pytestmark = pytest.mark.django_db


def test_assigned_to_me_lists_only_the_tasks_given_to_me(client, task, org, people):
    other = TaskFactory(plan=task.plan, lead_unit=org["qltm"], title="Việc của phòng, chưa giao ai")
    client.force_login(people["bob"])
    client.post(f"/tasks/{task.pk}/assign/", {"users": [people["alice"].pk], "note": ""})
    client.force_login(people["alice"])
    mine = client.get("/tasks/?scope=assigned").content.decode()
    assert "Được giao cho tôi" in mine
    assert task.title in mine and other.title not in mine
    unit = client.get("/tasks/?scope=mine").content.decode()
    assert task.title in unit and other.title in unit


def test_nothing_assigned_says_so_without_talking_about_filters(client, task, people):
    client.force_login(people["frank"])
    page = client.get("/tasks/?scope=assigned").content.decode()
    assert "Chưa có nhiệm vụ nào được giao cho bạn." in page
    assert "điều kiện lọc" not in page


def test_the_assignee_shows_at_once_after_assigning(client, task, people):
    client.force_login(people["bob"])
    response = client.post(
        f"/tasks/{task.pk}/assign/", {"users": [people["alice"].pk], "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assignees = by_id(response, "task-assignees")
    assert assignees.get("hx-swap-oob") == "true"
    assert text(assignees) == "Nguyễn Thị Alice"
