"""Two people editing the same plan, section, task, target or rule: the later save does not silently win."""

import re

import pytest

from plans.models import Plan, Section, Target, Task
from plans.services import update_task
from reporting.models import ReportingRule

pytestmark = pytest.mark.django_db

STALE = "vừa được người khác sửa trong lúc bạn nhập"


def form_data(page):
    """The fields of the edit form as the page shows them (inputs, selected options, textareas)."""
    data = {}
    for name, value in re.findall(r'<input type="(?:text|number|hidden)" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", page):
        found = re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        if not found or (re.search(r'type="(checkbox|radio)"', tag) and "checked" not in tag):
            continue  # an unticked box is not sent by a browser
        data.setdefault(*found.groups())
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen:
            data[name] = chosen if len(chosen) > 1 else chosen[0]
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.fixture
def carol(client, people):
    client.force_login(people["carol"])
    return client


# (what, edit url, the field the form changes, what someone else stores meanwhile, the model)
CASES = [
    ("plan", "/plans/{pk}/edit/", "title", {"title": "Trích yếu do người khác sửa"}, Plan),
    ("section", "/sections/{pk}/edit/", "title", {"title": "Tên nhóm do người khác sửa"}, Section),
    ("task", "/tasks/{pk}/edit/", "title", {"title": "Tên nhiệm vụ do người khác sửa"}, Task),
    ("target", "/targets/{pk}/edit/", "text", {"text": "Mục tiêu do người khác sửa"}, Target),
    ("rule", "/reports/rules/{pk}/edit/", "title", {"title": "Tên báo cáo do người khác sửa"}, ReportingRule),
]


@pytest.mark.parametrize("what, url, field, theirs, model", CASES, ids=[c[0] for c in CASES])
def test_a_save_over_someone_elses_change_is_stopped_and_keeps_what_was_typed(
    carol, objects, what, url, field, theirs, model
):
    obj = objects[what]
    url = url.format(pk=obj.pk)
    mine = form_data(carol.get(url).content.decode())
    assert mine.get("edit_version")
    mine[field] = "Nội dung tôi vừa gõ"

    model.objects.filter(pk=obj.pk).update(**theirs)  # someone else saved in between

    response = carol.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    assert "Nội dung tôi vừa gõ" in page
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs[field]

    # Saving again on purpose (the page now carries the fresh version) goes through.
    again = form_data(page)
    assert carol.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Nội dung tôi vừa gõ"


def test_a_progress_update_meanwhile_does_not_block_editing_the_task(carol, objects, people):
    task = objects["task"]
    mine = form_data(carol.get(f"/tasks/{task.pk}/edit/").content.decode())
    update_task(task, by=people["alice"], status="in_progress", progress=40, note="Đang làm")
    mine["title"] = "Tên mới"
    assert carol.post(f"/tasks/{task.pk}/edit/", mine).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.progress) == ("Tên mới", 40)
