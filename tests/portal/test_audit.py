"""The audit trail: every change says who, when, before and after; administrators search and export it;
tasks are archived, never deleted; history cannot be edited in the admin; an accepted report stays accepted."""

import csv
import io

import pytest
from django.urls import reverse

from plans.models import Plan, Task, TaskUpdate
from plans.services import update_task
from reporting import services as reporting
from reporting.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, people):
    def login(name):
        client.force_login(people[name])
        return client

    return login


def edit_plan(client, plan, **changes):
    data = {
        "kind": "plan",
        "issuer": plan.issuer_id,
        "title": plan.title,
        "period_start": 2021,
        "period_end": 2025,
        "place": "Quảng Ngãi",
        "tracked": "on",
    }
    return client.post(f"/plans/{plan.pk}/edit/", {**data, **changes})


def test_a_plan_edit_is_recorded_with_who_before_and_after(as_user, plan, people):
    old_title = plan.title
    assert edit_plan(as_user("carol"), plan, title="Kế hoạch nâng cao PCI năm 2025").status_code == 302
    record = plan.history.first()
    assert record.history_user == people["carol"] and record.history_type == "~"
    change = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert change["title"] == (old_title, "Kế hoạch nâng cao PCI năm 2025")


def test_administrator_searches_the_trail_and_sees_before_and_after(as_user, plan):
    old_title = plan.title
    edit_plan(as_user("carol"), plan, title="Trích yếu mới")
    page = as_user("admin").get("/audit/", {"model": "plans.plan", "user": "carol"}).content.decode()
    assert "Lê Thị Cúc" in page and "Trích yếu mới" in page and old_title in page
    assert (
        as_user("admin")
        .get("/audit/", {"model": "plans.plan", "user": "alice"})
        .content.decode()
        .count("Trích yếu mới")
        == 0
    )


def test_the_trail_exports_as_csv(as_user, plan):
    edit_plan(as_user("carol"), plan, title="Trích yếu mới")
    response = as_user("admin").get("/audit/", {"model": "plans.plan", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Thời điểm", "Người thực hiện", "Tài khoản"]
    edited = [r for r in rows if r[2] == "carol" and r[6] == "Sửa" and r[9] == "Trích yếu mới"]
    assert edited, rows


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example","Bấm")', "+1+1", "-2+3", "@SUM(A1)"])
def test_a_title_typed_like_a_formula_is_exported_as_text(as_user, plan, typed):
    assert edit_plan(as_user("carol"), plan, title=typed).status_code == 302
    response = as_user("admin").get("/audit/", {"model": "plans.plan", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    after = [r[9] for r in rows if r[2] == "carol" and r[6] == "Sửa" and r[9].endswith(typed)]
    assert after == ["'" + typed]  # a spreadsheet shows the text as typed; it computes nothing
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "eve"])
def test_only_administrators_read_the_trail(as_user, name):
    assert as_user(name).get("/audit/").status_code == 403


def test_switching_the_public_page_is_recorded(as_user, plan, people):
    as_user("carol").post(f"/dashboard/plans/{plan.pk}/public/")
    plan.refresh_from_db()
    assert plan.is_public
    record = plan.history.first()
    assert record.history_user == people["carol"] and record.is_public and not record.prev_record.is_public


def test_a_role_change_is_recorded_but_a_login_is_not(client, people):
    alice = people["alice"]
    before = alice.history.count()
    client.post("/login/", {"username": "alice", "password": "mat-khau-123"})
    assert alice.history.count() == before
    alice.role = alice.Role.UNIT_HEAD
    alice.save()
    record = alice.history.first()
    assert record.role == "unit_head" and record.prev_record.role == "official"


def test_an_archived_task_keeps_its_history_in_the_trail(as_user, task, people):
    update_task(task, by=people["alice"], status="in_progress", progress=20, note="Đã khảo sát")
    as_user("carol").post(f"/tasks/{task.pk}/delete/")
    assert Task.objects.filter(pk=task.pk, status=Task.Status.CANCELLED).exists()
    assert TaskUpdate.objects.filter(task=task, note="Đã khảo sát").exists()
    assert task.history.first().history_user == people["carol"]
    assert task.history.first().status == Task.Status.CANCELLED


@pytest.mark.parametrize(
    "url",
    [
        "/admin/plans/task/{task}/delete/",
        "/admin/plans/plan/{plan}/delete/",
        "/admin/plans/taskupdate/{update}/delete/",
        "/admin/plans/taskupdate/add/",
    ],
)
def test_the_admin_cannot_delete_tasks_or_touch_their_history(as_user, task, people, url):
    update = update_task(task, by=people["alice"], status="in_progress", progress=20, note="Đã khảo sát")
    client = as_user("admin")
    target = url.format(task=task.pk, plan=task.plan_id, update=update.pk)
    assert client.get(target).status_code == 403
    assert client.post(target, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=task.pk).exists() and Plan.objects.filter(pk=task.plan_id).exists()
    assert TaskUpdate.objects.filter(pk=update.pk, note="Đã khảo sát").exists()


def test_a_history_row_cannot_be_changed_in_the_admin(as_user, task, people):
    update = update_task(task, by=people["alice"], status="in_progress", progress=20, note="Đã khảo sát")
    client = as_user("admin")
    response = client.post(
        f"/admin/plans/taskupdate/{update.pk}/change/", {"note": "Sửa lại lịch sử", "kind": "update"}
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.note == "Đã khảo sát"


def test_an_accepted_report_cannot_be_returned_and_overwritten(as_user, plan, org, people):
    from tests.factories import ReportingRuleFactory

    rule = ReportingRuleFactory(plan=plan, from_children_of=org["sct"], to_unit=org["khtcth"])
    deadline = rule.deadline_for(2025)
    sub = reporting.start_submission(deadline, org["qltm"])
    reporting.save_draft(sub, people["bob"], {"summary": "Đã hoàn thành"})
    reporting.submit_report(sub, people["bob"])
    reporting.accept_report(sub, people["carol"])
    client = as_user("carol")
    response = client.post(reverse("reporting:submission_return", args=[sub.pk]), {"reason": "Sửa lại"}, follow=True)
    assert "Chỉ trả lại được báo cáo đã gửi." in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Submission.Status.ACCEPTED and sub.summary == "Đã hoàn thành"
    assert [h.status for h in sub.history.all()][:1] == ["accepted"]


def test_a_progress_update_is_in_the_tasks_trail_with_who_before_and_after(as_user, task, people):
    before = task.progress
    client = as_user("alice")
    data = {"status": "in_progress", "progress": 40, "note": "Đã tổ chức hội chợ", "version": task.version}
    assert client.post(f"/tasks/{task.pk}/update/", data).status_code == 302
    record = task.history.first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        people["alice"],
        "Cập nhật tiến độ",
    )
    assert (record.prev_record.progress, record.progress, record.status) == (before, 40, "in_progress")


def test_a_deadline_moved_with_its_rule_is_in_the_trail(plan, org):
    import datetime

    from tests.factories import ReportingRuleFactory

    rule = ReportingRuleFactory(plan=plan, day=15, month=11, from_children_of=org["sct"], to_unit=org["khtcth"])
    deadline = rule.deadline_for(2025)
    assert deadline.due_date == datetime.date(2025, 11, 15)
    rule.day = 20
    rule.save()
    rule.sync_deadlines(on=datetime.date(2025, 1, 1))
    record = deadline.history.first()
    assert record.history_type == "~" and record.history_change_reason == "Dời hạn theo quy định báo cáo"
    assert (record.prev_record.due_date, record.due_date) == (datetime.date(2025, 11, 15), datetime.date(2025, 11, 20))


def test_locking_a_login_is_in_the_trail_with_who_locked_it(people):
    from accounts.services import set_user_active

    set_user_active(people["alice"], False, by=people["admin"])
    record = people["alice"].history.first()
    assert (record.is_active, record.history_user, record.history_change_reason) == (
        False,
        people["admin"],
        "Khóa tài khoản",
    )
    assert record.prev_record.is_active


def test_targets_keep_their_trail_and_admin_pages_after_moving_to_plans(as_user, plan):
    """A filter or an admin page bookmarked when targets lived in indicators opens the same thing (issue 14)."""
    from tests.factories import TargetFactory

    target = TargetFactory(plan=plan)
    target.text = "Mục tiêu có lịch sử"
    target.save()
    admin = as_user("admin")
    page = admin.get("/audit/", {"model": "indicators.target"}).content.decode()
    assert "Mục tiêu có lịch sử" in page and '<option value="plans.target" selected' in page
    assert f"Kế hoạch #{plan.pk}" not in page  # the trail of targets only
    response = admin.get(f"/admin/indicators/target/{target.pk}/change/?_changelist_filters=year%3D2024")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/plans/target/{target.pk}/change/?_changelist_filters=year%3D2024"
    assert admin.get(response["Location"]).status_code == 200
