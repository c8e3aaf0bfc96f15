"""Illustrative activity for the demo, relative to the day it is loaded ("minh họa").

The two source plans stay exactly as the documents have them. Beside them, one plan titled
"[Minh họa] …" holds made-up work dated around today: tasks due soon and overdue, progress updates
with evidence, and report deadlines with submitted, returned and accepted reports. So on the day the
demo is loaded there are reminders to send, overdue work, and a tracker to read. Loading again
replaces it with activity relative to the new day.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from plans.models import Evidence, Plan, Section, Task, TaskUpdate
from reporting.models import ReportingRule, Submission
from reporting.services import accept_report, return_report, start_submission, submit_report

KEY = "demo-minh-hoa"
MARK = "[Minh họa]"

# (title, lead unit code, days from today to the due date, status, progress)
TASKS = [
    ("Tổ chức hội nghị đối thoại doanh nghiệp quý này", "QNG-SCT-QLTM", 3, Task.Status.IN_PROGRESS, 60),
    ("Cập nhật danh mục thủ tục hành chính lĩnh vực công thương", "QNG-SCT-QLTM", 10, Task.Status.IN_PROGRESS, 30),
    ("Khảo sát nhu cầu hỗ trợ xúc tiến thương mại của doanh nghiệp", "QNG-SCT-QLTM", -6, Task.Status.IN_PROGRESS, 40),
    ("Tập huấn quy tắc xuất xứ hàng hóa cho doanh nghiệp", "QNG-SCT-QLXNK", 1, Task.Status.NOT_STARTED, 0),
    ("Báo cáo tình hình xuất khẩu 6 tháng", "QNG-SCT-QLXNK", -12, Task.Status.IN_PROGRESS, 80),
    ("Phát hành bản tin thị trường xuất khẩu", "QNG-SCT-QLXNK", -30, Task.Status.DONE, 100),
]


def _user(username):
    return User.objects.filter(username=username).first()


@transaction.atomic
def add_illustrative_activity(today=None):
    """(Re)create the illustrative plan around `today`; returns it (None when the demo units are missing)."""
    today = today or timezone.localdate()
    units = {u.code: u for u in Unit.objects.filter(code__startswith="QNG-SCT")}
    if "QNG-SCT" not in units or "QNG-SCT-KHTCTH" not in units:
        return None
    Plan.objects.filter(key=KEY).delete()  # its tasks, rules, deadlines and reports with it
    year = today.year
    plan = Plan.objects.create(
        key=KEY,
        kind="plan",
        issuer=units["QNG-SCT"],
        number_suffix="KH-SCT",
        title=f"{MARK} Việc và báo cáo mẫu quanh ngày {today:%d/%m/%Y} (dữ liệu minh họa, không phải văn bản thật)",
        period_start=year - 1,
        period_end=year,
        tracked=True,
        focal_unit=units["QNG-SCT-KHTCTH"],
        objectives="Kế hoạch này chỉ để minh họa: nhiệm vụ, cập nhật và báo cáo đều là dữ liệu mẫu.",
    )
    section = Section.objects.create(plan=plan, number="1", title=f"{MARK} Nhiệm vụ mẫu", order=1)
    authors = {"QNG-SCT-QLTM": _user("qng.chuyenvien"), "QNG-SCT-QLXNK": _user("qng.xnk.chuyenvien")}
    now = timezone.now()
    for order, (title, unit, days, status, progress) in enumerate(TASKS, start=1):
        task = Task.objects.create(
            plan=plan,
            section=section,
            order=order,
            title=f"{MARK} {title}",
            lead_unit=units[unit],
            due_date=today + datetime.timedelta(days=days),
            status=status,
            progress=progress,
        )
        if progress:
            update = TaskUpdate.objects.create(
                task=task,
                author=authors.get(unit),
                kind=TaskUpdate.Kind.UPDATE,
                status=status,
                progress=progress,
                note=f"{MARK} Đã thực hiện {progress}% khối lượng công việc.",
                created_at=now - datetime.timedelta(days=2),
            )
            body = f"Minh chứng minh họa cho nhiệm vụ: {title}\n".encode()
            Evidence.objects.create(
                update=update,
                file=ContentFile(body, name="minh-chung.txt"),
                original_name="minh-chung-minh-hoa.txt",
                content_type="text/plain",
                size=len(body),
            )
            Task.objects.filter(pk=task.pk).update(updated_at=update.created_at)
    # Two reports: one due in a week, one a week past with a report of every kind.
    soon, past = today + datetime.timedelta(days=7), today - datetime.timedelta(days=7)
    rules = []
    for due, title in ((soon, "Báo cáo nhanh kết quả thực hiện"), (past, "Báo cáo định kỳ kết quả thực hiện")):
        rules.append(
            ReportingRule.objects.create(
                plan=plan,
                kind=ReportingRule.Kind.UNIT_TO_FOCAL,
                title=f"{MARK} {title}",
                day=due.day,
                month=due.month,
                from_children_of=units["QNG-SCT"],
                to_unit=units["QNG-SCT-KHTCTH"],
            )
        )
    rules[0].deadline_for(soon.year)
    deadline = rules[1].deadline_for(past.year)
    focal, heads = (
        _user("qng.tonghop"),
        {"QNG-SCT-QLTM": _user("qng.truongphong"), "QNG-SCT-QLXNK": _user("qng.xnk.truongphong")},
    )
    if focal and all(heads.values()):
        accepted = submit_report(start_submission(deadline, units["QNG-SCT-QLTM"]), heads["QNG-SCT-QLTM"])
        accept_report(accepted, focal)
        returned = submit_report(start_submission(deadline, units["QNG-SCT-QLXNK"]), heads["QNG-SCT-QLXNK"])
        return_report(returned, focal, f"{MARK} Đề nghị bổ sung số liệu xuất khẩu của kỳ báo cáo.")
        # Sent a day before the due date: on time.
        stamp = timezone.make_aware(datetime.datetime.combine(past - datetime.timedelta(days=1), datetime.time(9)))
        Submission.objects.filter(deadline=deadline).update(submitted_at=stamp)
    return plan
