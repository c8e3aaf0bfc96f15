"""Reminder e-mails: who gets one, for what, at which step, once, in one Vietnamese digest."""

import datetime

import pytest
import time_machine
from django.core import mail

from notifications.models import Notification, NotificationPreference, ReminderLog, ReminderPolicy
from notifications.reminders import send_reminders
from plans.models import Task
from reporting.models import Submission
from tests.factories import ReportingRuleFactory, SubmissionFactory, UserFactory
from tests.html import parse, text

from .conftest import at

pytestmark = pytest.mark.django_db


def inbox():
    return {m.to[0]: m for m in mail.outbox}


def html(message):
    return message.alternatives[0][0]


def run(*when):
    with time_machine.travel(at(*when), tick=False):
        return send_reminders()


def test_seven_days_before_the_unit_head_and_an_official_of_a_unit_without_head_are_reminded(report_rule, people, org):
    result = run(2024, 11, 8)
    got = inbox()
    assert set(got) == {"bob@example.vn", "frank@example.vn"}
    assert result.sent == 2 and result.emails == 2 and not result.errors
    message = got["bob@example.vn"]
    assert message.subject == "[Cổng PCI] Nhắc việc: 1 báo cáo sắp đến hạn"
    assert "Kính gửi Trần Văn Bình" in message.body
    assert "Báo cáo kết quả thực hiện Kế hoạch" in message.body
    assert "15/11/2024 (còn 7 ngày)" in message.body
    deadline = report_rule.deadlines.get(year=2024)
    # The link opens the head's own unit's report form, not the focal office's tracker.
    form = f"http://127.0.0.1:8000/reports/deadlines/{deadline.pk}/units/{org['qltm'].pk}/"
    assert form in message.body
    assert f'href="{form}"' in html(message)
    assert "<strong>15/11/2024</strong>" in html(message)
    assert set(ReminderLog.objects.values_list("step", "status").distinct()) == {("before-7", "sent")}


def test_official_of_a_unit_with_a_head_and_the_focal_office_get_nothing(report_rule, people):
    run(2024, 11, 8)
    assert "alice@example.vn" not in inbox()
    assert "carol@example.vn" not in inbox()


def test_units_that_submitted_get_nothing_but_a_returned_report_is_owed_again(report_rule, org, people):
    deadline = report_rule.deadline_for(2024)
    SubmissionFactory(deadline=deadline, unit=org["qltm"], status=Submission.Status.SUBMITTED)
    returned = SubmissionFactory(deadline=deadline, unit=org["qlxnk"], status=Submission.Status.RETURNED)
    run(2024, 11, 12)
    assert set(inbox()) == {"frank@example.vn"}
    assert "before-3" in ReminderLog.objects.get(recipient=people["frank"]).step
    returned.status = Submission.Status.ACCEPTED
    returned.save()
    mail.outbox.clear()
    run(2024, 11, 14)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("when", "step", "phrase"),
    [
        ((2024, 11, 12), "before-3", "còn 3 ngày"),
        ((2024, 11, 14), "before-1", "còn 1 ngày"),
        ((2024, 11, 15), "due", "đến hạn hôm nay"),
        ((2024, 11, 18), "overdue-3", "quá hạn 3 ngày"),
        ((2024, 11, 21), "overdue-6", "quá hạn 6 ngày"),
    ],
)
def test_each_step_of_the_policy_is_sent_on_its_day(report_rule, people, when, step, phrase):
    run(*when)
    assert phrase in inbox()["bob@example.vn"].body
    assert ReminderLog.objects.get(recipient=people["bob"]).step == step


def test_nothing_is_sent_eight_days_before_or_between_steps(report_rule, people):
    run(2024, 11, 7)
    assert mail.outbox == []
    run(2024, 11, 8)
    mail.outbox.clear()
    run(2024, 11, 9)
    run(2024, 11, 10)
    assert mail.outbox == []


def test_overdue_subject_and_overdue_items_come_first(report_rule, people, task):
    task.due_date = datetime.date(2024, 11, 20)
    task.status = Task.Status.IN_PROGRESS
    task.save()
    task.assignees.add(people["bob"])
    run(2024, 11, 18)
    message = inbox()["bob@example.vn"]
    assert message.subject == "[Cổng PCI] Nhắc việc: 1 báo cáo, 1 nhiệm vụ – 1 việc đã quá hạn"
    assert message.body.index("quá hạn 3 ngày") < message.body.index("Tăng số lượng hội chợ thương mại")
    assert f"http://127.0.0.1:8000/tasks/{task.pk}/" in message.body
    assert "20/11/2024 (còn 2 ngày)" in message.body


def test_leader_of_the_agency_is_told_after_7_days_overdue(report_rule, people):
    run(2024, 11, 21)
    assert "dave@example.vn" not in inbox()
    run(2024, 11, 22)
    message = inbox()["dave@example.vn"]
    assert "Việc đã quá hạn, đề nghị lãnh đạo phụ trách chỉ đạo." in message.body
    assert "Đơn vị chưa nộp: Phòng Quản lý thương mại, Phòng Quản lý Xuất nhập khẩu" in message.body
    assert ReminderLog.objects.get(recipient=people["dave"]).step == "escalate"
    mail.outbox.clear()
    run(2024, 11, 25)
    assert "dave@example.vn" not in inbox()  # told once
    assert "bob@example.vn" in inbox()  # overdue-9 goes on to the unit


def test_task_reminders_go_to_assignees_and_escalate_to_the_responsible_leader(task, people):
    task.due_date = datetime.date(2024, 11, 15)
    task.save()
    task.assignees.add(people["alice"])
    run(2024, 11, 8)
    assert set(inbox()) == {"alice@example.vn"}
    assert inbox()["alice@example.vn"].subject == "[Cổng PCI] Nhắc việc: 1 nhiệm vụ sắp đến hạn"
    mail.outbox.clear()
    run(2024, 11, 22)
    assert set(inbox()) == {"alice@example.vn", "dave@example.vn"}
    assert "Đơn vị chủ trì: Phòng Quản lý thương mại" in inbox()["dave@example.vn"].body


def test_unassigned_task_goes_to_the_lead_units_officials_and_head(task, people):
    task.due_date = datetime.date(2024, 11, 15)
    task.save()
    run(2024, 11, 14)
    assert set(inbox()) == {"alice@example.vn", "bob@example.vn"}


def test_finished_or_cancelled_tasks_get_nothing(task, people):
    task.due_date = datetime.date(2024, 11, 15)
    task.status = Task.Status.DONE
    task.save()
    run(2024, 11, 14)
    assert mail.outbox == []


def test_deadline_on_a_sunday_is_flagged(plan, org, people):
    ReportingRuleFactory(plan=plan, day=16, month=11, from_children_of=org["sct"], to_unit=org["khtcth"])
    run(2025, 11, 13)
    message = inbox()["bob@example.vn"]
    assert "16/11/2025" in message.body and "Hạn rơi vào Chủ nhật" in message.body
    assert "Hạn rơi vào Chủ nhật" in html(message)


def test_deadline_in_tet_holiday_is_flagged(plan, org, people):
    ReportingRuleFactory(plan=plan, day=31, month=1, from_children_of=org["sct"], to_unit=org["khtcth"])
    run(2025, 1, 30)
    message = inbox()["bob@example.vn"]
    assert "Hạn rơi vào ngày nghỉ lễ Tết Nguyên đán (Mùng ba Tết Nguyên Đán)" in message.body
    assert "Tết Nguyên đán" in html(message)


def test_working_day_deadline_is_not_flagged(report_rule, people):
    run(2024, 11, 8)  # 15/11/2024 is a Friday
    assert "Hạn rơi vào" not in inbox()["bob@example.vn"].body


def test_one_digest_per_person_with_everything_they_owe(plan, org, people, task):
    for title, day in [("Báo cáo A", 15), ("Báo cáo B", 11)]:
        rule = ReportingRuleFactory(plan=plan, title=title, day=day, month=11, to_unit=org["khtcth"])
        rule.from_units.add(org["qltm"])
    task.due_date = datetime.date(2024, 11, 9)
    task.save()
    task.assignees.add(people["bob"])
    run(2024, 11, 8)
    assert [m.to for m in mail.outbox] == [["bob@example.vn"]]
    message = mail.outbox[0]
    assert message.subject == "[Cổng PCI] Nhắc việc: 2 báo cáo, 1 nhiệm vụ sắp đến hạn"
    body = message.body
    assert body.index("09/11/2024") < body.index("11/11/2024") < body.index("15/11/2024")
    assert Notification.objects.filter(user=people["bob"]).count() == 3


def test_each_reminder_is_also_an_in_portal_notification(report_rule, people):
    run(2024, 11, 8)
    notification = Notification.objects.get(user=people["bob"])
    assert notification.title == "Báo cáo còn 7 ngày: Báo cáo kết quả thực hiện Kế hoạch"
    assert notification.url.startswith("/reports/deadlines/")
    assert "Hạn: 15/11/2024" in notification.body


def test_running_twice_the_same_day_sends_nothing_more(report_rule, people):
    run(2024, 11, 8)
    second = run(2024, 11, 8, 9)
    assert len(mail.outbox) == 2
    assert second.sent == 0 and second.skipped == 2
    assert Notification.objects.count() == 2


def test_new_person_without_e_mail_or_inactive_gets_nothing(report_rule, people, org):
    people["bob"].is_active = False
    people["bob"].save()
    UserFactory(username="noemail", email="", unit=org["qlxnk"], role="unit_head")
    run(2024, 11, 8)
    # qltm has no active head: its officials are reminded instead.
    assert set(inbox()) == {"alice@example.vn", "frank@example.vn"}


def test_task_reminders_can_be_switched_off_but_report_reminders_cannot(report_rule, people, task):
    task.due_date = datetime.date(2024, 11, 15)
    task.save()
    task.assignees.add(people["bob"])
    NotificationPreference.objects.create(user=people["bob"], task_reminders=False, returned_report_notices=False)
    run(2024, 11, 8)
    message = inbox()["bob@example.vn"]
    assert message.subject == "[Cổng PCI] Nhắc việc: 1 báo cáo sắp đến hạn"
    assert "Tăng số lượng hội chợ thương mại" not in message.body
    log = ReminderLog.objects.get(recipient=people["bob"], kind="task")
    assert log.status == ReminderLog.Status.SKIPPED
    assert Notification.objects.filter(user=people["bob"], url=f"/tasks/{task.pk}/").exists()


def test_digest_waits_for_the_hour_the_person_chose(report_rule, people):
    NotificationPreference.objects.create(user=people["bob"], digest_hour=10)
    run(2024, 11, 8, 7, 30)
    assert set(inbox()) == {"frank@example.vn"}
    run(2024, 11, 8, 10, 30)
    assert [m.to for m in mail.outbox] == [["frank@example.vn"], ["bob@example.vn"]]


def test_a_plan_policy_overrides_the_default(report_rule, plan, people):
    ReminderPolicy.objects.create(plan=plan, days_before=[10], on_due_day=False)
    run(2024, 11, 4)
    assert mail.outbox == []
    run(2024, 11, 5)
    assert "còn 10 ngày" in inbox()["bob@example.vn"].body
    mail.outbox.clear()
    run(2024, 11, 8)
    run(2024, 11, 15)
    assert mail.outbox == []


def test_english_speaker_gets_the_digest_in_english_with_the_same_dates(report_rule, people):
    people["bob"].language = "en"
    people["bob"].save()
    run(2024, 11, 8)
    message = inbox()["bob@example.vn"]
    assert message.subject == "[PCI Portal] Reminder: 1 report due soon"
    assert message.body.startswith("Dear Trần Văn Bình,")
    assert "Deadline: 15/11/2024 (7 day(s) left)" in message.body
    # The line naming the unit is English too (it was made before the digest's language was chosen).
    assert "Unit: Phòng Quản lý thương mại" in message.body
    assert "Kính gửi" not in message.body and "Hạn:" not in message.body and "Đơn vị" not in message.body
    page = parse(html(message))
    assert page.get("lang") == "en"
    assert "Dear Trần Văn Bình," in text(page) and "Deadline: 15/11/2024 (7 day(s) left)" in text(page)
    assert "Unit: Phòng Quản lý thương mại" in text(page) and "Đơn vị" not in text(page)
    # The others stay Vietnamese, their unit line included.
    assert inbox()["frank@example.vn"].body.startswith("Kính gửi Phạm Văn Phúc,")
    assert "Đơn vị: Phòng Quản lý Xuất nhập khẩu" in inbox()["frank@example.vn"].body


def test_english_speaker_reads_the_lead_unit_and_the_bell_notification_in_english(task, people):
    task.due_date = datetime.date(2024, 11, 15)
    task.save()
    task.assignees.add(people["alice"], people["frank"])
    people["alice"].language = "en"
    people["alice"].save()
    run(2024, 11, 8)
    body = inbox()["alice@example.vn"].body
    assert "Lead unit: Phòng Quản lý thương mại" in body and "Đơn vị chủ trì" not in body
    assert f"http://127.0.0.1:8000/tasks/{task.pk}/" in body
    english = Notification.objects.get(user=people["alice"])
    assert english.title == "Task (7 day(s) left): Tăng số lượng hội chợ thương mại"
    assert "Deadline: 15/11/2024" in english.body and "Lead unit: Phòng Quản lý thương mại" in english.body
    vietnamese = Notification.objects.get(user=people["frank"])
    assert vietnamese.title == "Nhiệm vụ còn 7 ngày: Tăng số lượng hội chợ thương mại"
    assert "Đơn vị chủ trì: Phòng Quản lý thương mại" in vietnamese.body


def test_focal_office_is_reminded_of_its_report_to_the_province(plan, org, people):
    rule = ReportingRuleFactory(plan=plan, kind="focal_to_province", day=1, month=12, to_unit=org["ubnd"])
    rule.from_units.add(org["khtcth"])
    run(2024, 11, 24)
    assert set(inbox()) == {"carol@example.vn"}
    assert "01/12/2024 (còn 7 ngày)" in inbox()["carol@example.vn"].body


def test_a_task_whose_due_date_moves_is_reminded_again_for_the_new_date(task, people):
    task.due_date = datetime.date(2025, 3, 10)
    task.save()
    task.assignees.add(people["alice"])
    run(2025, 3, 3)
    assert set(inbox()) == {"alice@example.vn"}
    mail.outbox.clear()
    task.due_date = datetime.date(2025, 4, 10)  # extended by a month: saved, so its round moves too
    task.save()
    run(2025, 4, 3)
    assert set(inbox()) == {"alice@example.vn"}
    assert "10/04/2025" in inbox()["alice@example.vn"].body
    mail.outbox.clear()
    run(2025, 4, 3)
    assert mail.outbox == []  # and still only once for the new date
