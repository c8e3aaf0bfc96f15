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


def form_data(page, action="save", **overrides):
    """What the browser posts for the report form as rendered on `page`, with some fields changed."""
    form = parse(page).xpath('//form[@id="report-form"]')[0]
    data = dict(form.form_values())
    data[action] = "1"
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
    assert not Submission.objects.exists()  # a GET writes nothing
    data = form_data(response)
    assert (data["rows-0-task"], data["rows-0-status"], data["rows-0-progress"]) == (
        str(unit_tasks[0].pk),
        Task.Status.DONE,
        "100",
    )


def test_the_first_save_creates_the_draft_with_the_prefilled_rows(bob_client, deadline, unit_tasks, org):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        page = bob_client.get(url(deadline, org["qltm"]))
        assert bob_client.post(url(deadline, org["qltm"]), form_data(page)).status_code == 302
    sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
    first = sub.rows.get(task=unit_tasks[0])
    assert (first.status, first.progress) == (Task.Status.DONE, 100)
    assert "02/10/2025: Đã tổ chức 03 hội chợ, thu hút 250 gian hàng." in first.results
    assert sub.status == Submission.Status.DRAFT and sub.version == 1


def test_two_editors_of_one_draft_are_told_instead_of_overwritten(client, deadline, unit_tasks, org, heads, people):
    client.force_login(heads["bob"])
    bobs_page = client.get(url(deadline, org["qltm"]))
    client.force_login(people["carol"])
    carols_page = client.get(url(deadline, org["qltm"]))
    assert client.post(url(deadline, org["qltm"]), form_data(carols_page, summary="Bản của đầu mối")).status_code == 302
    client.force_login(heads["bob"])
    response = client.post(url(deadline, org["qltm"]), form_data(bobs_page, summary="Bản của trưởng phòng"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác lưu" in html and "Bản của trưởng phòng" in html  # nothing typed is lost
    assert Submission.objects.get().summary == "Bản của đầu mối"
    # A deliberate second save, from the page as it came back, goes through.
    assert client.post(url(deadline, org["qltm"]), form_data(response)).status_code == 302
    assert Submission.objects.get().summary == "Bản của trưởng phòng"


def test_draft_is_saved_then_submitted_and_becomes_read_only(bob_client, deadline, unit_tasks, org, heads):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        page = bob_client.get(url(deadline, org["qltm"]))
        response = bob_client.post(
            url(deadline, org["qltm"]),
            form_data(page, summary="Hoàn thành 2/2 nhiệm vụ được giao.", **{"rows-1-results": "Hỗ trợ 15 nhãn hiệu."}),
        )
        assert response.status_code == 302
        sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])
        assert sub.status == Submission.Status.DRAFT
        assert sub.summary == "Hoàn thành 2/2 nhiệm vụ được giao."
        assert sub.rows.get(task=unit_tasks[1]).results == "Hỗ trợ 15 nhãn hiệu."

        page = bob_client.get(url(deadline, org["qltm"]))
        bob_client.post(url(deadline, org["qltm"]), form_data(page, action="submit"))
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED
    assert sub.submitted_by == heads["bob"] and sub.is_on_time
    html = bob_client.get(url(deadline, org["qltm"])).content.decode()
    assert "Gửi báo cáo" not in html and "Hỗ trợ 15 nhãn hiệu." in html
    response = bob_client.post(url(deadline, org["qltm"]), form_data(page, summary="Sửa sau khi gửi"), follow=True)
    assert "không thể sửa" in response.content.decode()
    sub.refresh_from_db()
    assert sub.summary == "Hoàn thành 2/2 nhiệm vụ được giao."
    assert Notification.objects.filter(user__username="carol", title__contains="đã gửi báo cáo").exists()


def test_invalid_progress_keeps_what_was_typed_with_a_vietnamese_message(bob_client, deadline, unit_tasks, org):
    page = bob_client.get(url(deadline, org["qltm"]))
    response = bob_client.post(
        url(deadline, org["qltm"]), form_data(page, summary="Nội dung chưa lưu", **{"rows-0-progress": "150"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tiến độ phải từ 0 đến 100%." in page
    assert "Nội dung chưa lưu" in page
    assert not Submission.objects.exists()


def test_return_with_reason_emails_the_unit_head_then_resubmit_and_accept(
    client, deadline, unit_tasks, org, heads, people, smtp_server, eager, django_capture_on_commit_callbacks
):
    unit_name = 'Phòng "Quản lý" thương mại & <xúc tiến>'  # what the e-mail must show as typed
    Unit.objects.filter(pk=org["qltm"].pk).update(name=unit_name)
    ReportingRule.objects.filter(pk=deadline.rule_id).update(title="Báo cáo 6 tháng & năm")
    client.force_login(heads["bob"])
    with time_machine.travel(at(2025, 11, 10), tick=False):
        page = client.get(url(deadline, org["qltm"]))
        client.post(url(deadline, org["qltm"]), form_data(page, action="submit"))
        sub = Submission.objects.get(deadline=deadline, unit=org["qltm"])

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
    page = client.get(url(deadline, org["qltm"]))
    assert (
        "Đề nghị bổ sung số liệu hội chợ năm 2025." in page.content.decode() and "Gửi báo cáo" in page.content.decode()
    )
    with time_machine.travel(at(2025, 11, 17), tick=False):
        client.post(url(deadline, org["qltm"]), form_data(page, action="submit", summary="Đã bổ sung số liệu."))
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
    bob_client.post(page, form_data(bob_client.get(page)))  # the first save creates the draft
    reset_queries()  # each request resets the log; counting must start from an empty one
    with CaptureQueriesContext(connection) as small:
        bob_client.get(page)
    n_small = len(small.captured_queries)  # read now: the next request empties the log
    for _ in range(25):
        TaskFactory(plan=deadline.rule.plan, lead_unit=org["qltm"])
    bob_client.post(page, form_data(bob_client.get(page)))  # saves the rows of the new tasks
    reset_queries()
    with django_assert_num_queries(n_small):
        response = bob_client.get(page)
    assert response.content.decode().count("<fieldset") == 26


def test_returning_answers_even_when_the_mail_server_is_down(
    client, deadline, unit_tasks, org, heads, people, eager, settings, django_capture_on_commit_callbacks
):
    """The e-mail goes out from a Celery task (here run in-process): SMTP refusing costs the e-mail a retry,
    never the page or the return itself."""
    import socket

    from reporting import services

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    sub = services.submit_report(services.start_submission(deadline, org["qltm"]), heads["bob"])
    client.force_login(people["carol"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:submission_return", args=[sub.pk]), {"reason": "Thiếu số liệu."})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Submission.Status.RETURNED
    assert Notification.objects.filter(user=heads["bob"], title__startswith="Báo cáo bị trả lại").exists()
