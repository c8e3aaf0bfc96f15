"""Unit heads fill in, save and submit their unit's report; the focal office returns or accepts it."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Unit
from notifications.models import Notification
from plans.models import Task
from reporting.models import ReportingRule, Submission
from tests.html import parse
from tests.html import text as html_text

from .conftest import at

pytestmark = pytest.mark.django_db


def url(deadline, unit):
    return reverse("reporting:submission", args=[deadline.pk, unit.pk])


def form_data(submission, action="save", **overrides):
    """What the browser posts for the form as rendered, with some fields changed."""
    rows = list(submission.rows.order_by("order", "id"))
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "summary": submission.summary,
        "difficulties": submission.difficulties,
        "proposals": submission.proposals,
        action: "1",
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"rows-{i}-id": str(row.pk),
                f"rows-{i}-status": row.status,
                f"rows-{i}-progress": "" if row.progress is None else str(row.progress),
                f"rows-{i}-results": row.results,
                f"rows-{i}-difficulties": row.difficulties,
                f"rows-{i}-proposals": row.proposals,
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def bob_client(client, heads):
    client.force_login(heads["bob"])
    return client


def test_form_is_prefilled_with_the_task_updates_of_the_period(bob_client, deadline, unit_tasks, org):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        response = bob_client.get(url(deadline, org["qltm"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tăng số lượng hội chợ thương mại" in page
    assert "Hỗ trợ doanh nghiệp đăng ký nhãn hiệu" in page
    assert "Cung cấp thông tin thị trường xuất khẩu" not in page  # led by another division
    assert "02/10/2025: Đã tổ chức 03 hội chợ, thu hút 250 gian hàng." in page
    assert "10/03/2025: Tổ chức Hội chợ Công Thương miền Trung." in page
    assert "Việc của năm trước" not in page  # an update before the period
    sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
    first = sub.rows.get(task=unit_tasks[0])
    assert (first.status, first.progress) == (Task.Status.DONE, 100)


def test_draft_is_saved_then_submitted_and_becomes_read_only(bob_client, deadline, unit_tasks, org, heads):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        bob_client.get(url(deadline, org["qltm"]))
        sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
        response = bob_client.post(
            url(deadline, org["qltm"]),
            form_data(sub, summary="Hoàn thành 2/2 nhiệm vụ được giao.", **{"rows-1-results": "Hỗ trợ 15 nhãn hiệu."}),
        )
        assert response.status_code == 302
        sub.refresh_from_db()
        assert sub.status == Submission.Status.DRAFT
        assert sub.summary == "Hoàn thành 2/2 nhiệm vụ được giao."
        assert sub.rows.get(task=unit_tasks[1]).results == "Hỗ trợ 15 nhãn hiệu."

        bob_client.post(url(deadline, org["qltm"]), form_data(sub, action="submit"))
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED
    assert sub.submitted_by == heads["bob"] and sub.is_on_time
    page = bob_client.get(url(deadline, org["qltm"])).content.decode()
    assert "Gửi báo cáo" not in page and "Hỗ trợ 15 nhãn hiệu." in page
    response = bob_client.post(url(deadline, org["qltm"]), form_data(sub, summary="Sửa sau khi gửi"), follow=True)
    assert "không thể sửa" in response.content.decode()
    sub.refresh_from_db()
    assert sub.summary == "Hoàn thành 2/2 nhiệm vụ được giao."
    assert Notification.objects.filter(user__username="carol", title__contains="đã gửi báo cáo").exists()


def test_invalid_progress_keeps_what_was_typed_with_a_vietnamese_message(bob_client, deadline, unit_tasks, org):
    bob_client.get(url(deadline, org["qltm"]))
    sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
    response = bob_client.post(
        url(deadline, org["qltm"]), form_data(sub, summary="Nội dung chưa lưu", **{"rows-0-progress": "150"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tiến độ phải từ 0 đến 100%." in page
    assert "Nội dung chưa lưu" in page
    sub.refresh_from_db()
    assert sub.summary == ""


def test_return_with_reason_emails_the_unit_head_then_resubmit_and_accept(
    client, deadline, unit_tasks, org, heads, people, smtp_server, django_capture_on_commit_callbacks
):
    unit_name = 'Phòng "Quản lý" thương mại & <xúc tiến>'  # what the e-mail must show as typed
    Unit.objects.filter(pk=org["qltm"].pk).update(name=unit_name)
    ReportingRule.objects.filter(pk=deadline.rule_id).update(title="Báo cáo 6 tháng & năm")
    client.force_login(heads["bob"])
    with time_machine.travel(at(2025, 11, 10), tick=False):
        client.get(url(deadline, org["qltm"]))
        sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
        client.post(url(deadline, org["qltm"]), form_data(sub, action="submit"))

    client.force_login(people["carol"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:submission_return", args=[sub.pk]),
            {"reason": "Đề nghị bổ sung số liệu hội chợ năm 2025."},
        )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED

    [mail] = [m for m in smtp_server.messages if m["to"] == ["bob@example.vn"]]
    message = mail["message"]
    assert message["subject"].strip() == "Báo cáo bị trả lại: Báo cáo 6 tháng & năm"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert unit_name in text
    assert unit_name in html_text(parse(html))
    for part in (text, html):
        assert "Đề nghị bổ sung số liệu hội chợ năm 2025." in part
        assert f"/reports/deadlines/{deadline.pk}/units/{org['qltm'].pk}/" in part
    assert Notification.objects.get(user=heads["bob"], title__startswith="Báo cáo bị trả lại").body == (
        "Đề nghị bổ sung số liệu hội chợ năm 2025."
    )

    client.force_login(heads["bob"])
    page = client.get(url(deadline, org["qltm"])).content.decode()
    assert "Đề nghị bổ sung số liệu hội chợ năm 2025." in page and "Gửi báo cáo" in page
    with time_machine.travel(at(2025, 11, 17), tick=False):
        client.post(url(deadline, org["qltm"]), form_data(sub, action="submit", summary="Đã bổ sung số liệu."))
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED and not sub.is_on_time

    client.force_login(people["carol"])
    client.post(reverse("reporting:submission_accept", args=[sub.pk]))
    sub.refresh_from_db()
    assert sub.status == Submission.Status.ACCEPTED and sub.reviewed_by == people["carol"]


def test_return_without_reason_is_refused(client, deadline, unit_tasks, org, heads, people):
    from reporting import services

    sub = services.submit_report(services.start_submission(deadline, org["qltm"]), heads["bob"])
    client.force_login(people["carol"])
    response = client.post(reverse("reporting:submission_return", args=[sub.pk]), {"reason": "  "}, follow=True)
    assert "Vui lòng nêu lý do trả lại báo cáo." in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED


def test_unit_heads_see_the_deadlines_they_owe(bob_client, deadline, unit_tasks, org):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        page = bob_client.get(reverse("reporting:my_reports")).content.decode()
    assert "Báo cáo của đơn vị" in page
    assert "15/11/2025" in page
    assert url(deadline, org["qltm"]) in page
    assert url(deadline, org["qlxnk"]) not in page


def test_focal_office_sees_the_deadlines_it_tracks(client, deadline, people):
    client.force_login(people["carol"])
    with time_machine.travel(at(2025, 11, 3), tick=False):
        page = client.get(reverse("reporting:my_reports")).content.decode()
    assert reverse("reporting:tracker", args=[deadline.pk]) in page


def test_officials_see_their_units_deadlines_to_read_not_to_fill(client, deadline, unit_tasks, org, people):
    client.force_login(people["alice"])
    with time_machine.travel(at(2025, 11, 3), tick=False):
        page = client.get(reverse("reporting:my_reports")).content.decode()
    assert url(deadline, org["qltm"]) in page
    assert "Soạn báo cáo" not in page


def test_form_query_count_does_not_grow_with_the_rows(bob_client, deadline, org, django_assert_num_queries):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TaskFactory

    page = url(deadline, org["qltm"])
    TaskFactory(plan=deadline.rule.plan, lead_unit=org["qltm"])
    bob_client.get(page)  # creates the draft
    reset_queries()  # each request resets the log; counting must start from an empty one
    with CaptureQueriesContext(connection) as small:
        bob_client.get(page)
    n_small = len(small.captured_queries)  # read now: the next request empties the log
    for _ in range(25):
        TaskFactory(plan=deadline.rule.plan, lead_unit=org["qltm"])
    bob_client.get(page)  # adds the rows of the new tasks
    reset_queries()
    with django_assert_num_queries(n_small):
        response = bob_client.get(page)
    assert response.content.decode().count("<fieldset") == 26
