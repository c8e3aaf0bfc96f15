"""A plan whose divisions report to the focal office by 15/11/2025, with tasks and their updates."""

import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import User
from plans.models import Goal, Task
from reporting.models import ReportingRule
from tests.factories import (
    GoalFactory,
    PersonFactory,
    ReportingRuleFactory,
    ResultFactory,
    TargetFactory,
    TaskFactory,
    TaskUpdateFactory,
    UserFactory,
    province,
)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def report_plan(plan, org):
    signer = PersonFactory(key="vo-van-ran", full_name="Võ Văn Rân", title="Giám đốc", unit=org["sct"])
    plan.number = "125/KH-SCT"
    plan.date = datetime.date(2021, 9, 21)
    plan.place = "Quảng Ngãi"
    plan.signer = signer
    plan.signer_title = "Giám đốc"
    plan.title = "Thực hiện nhiệm vụ cải thiện, nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"
    plan.save()
    target = TargetFactory(plan=plan, year=2025, baseline_year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    # PCI 2025 ranks the 34 units of 1 July 2025: Quảng Ngãi's result is its merged successor's.
    ResultFactory(year=2025, province=province("Quảng Ngãi").successor, score="6.85", rank=21, out_of=34)
    return plan


@pytest.fixture
def deadline(report_plan, org):
    rule = ReportingRuleFactory(
        plan=report_plan,
        kind=ReportingRule.Kind.UNIT_TO_FOCAL,
        title="Báo cáo kết quả thực hiện Kế hoạch",
        day=15,
        month=11,
        from_children_of=org["sct"],
        to_unit=org["khtcth"],
    )
    d = rule.deadline_for(2025)
    d.report_number = "87/BC-SCT"
    d.report_date = datetime.date(2025, 11, 21)
    d.save()
    return d


@pytest.fixture
def unit_tasks(report_plan, org, people, task):
    """Two tasks led by the trade division (one with updates in the period), one by the import-export division."""
    task.plan = report_plan
    task.save()
    TaskUpdateFactory(
        task=task,
        author=people["alice"],
        status=Task.Status.IN_PROGRESS,
        progress=30,
        note="Tổ chức Hội chợ Công Thương miền Trung.",
        created_at=at(2025, 3, 10),
    )
    TaskUpdateFactory(
        task=task,
        author=people["alice"],
        status=Task.Status.DONE,
        progress=100,
        note="Đã tổ chức 03 hội chợ, thu hút 250 gian hàng.",
        created_at=at(2025, 10, 2),
    )
    TaskUpdateFactory(  # before the period: not in the report
        task=task, author=people["alice"], progress=10, note="Việc của năm trước.", created_at=at(2024, 11, 1)
    )
    second = TaskFactory(
        plan=report_plan, section=task.section, lead_unit=org["qltm"], title="Hỗ trợ doanh nghiệp đăng ký nhãn hiệu"
    )
    other = TaskFactory(
        plan=report_plan,
        section=task.section,
        lead_unit=org["qlxnk"],
        title="Cung cấp thông tin thị trường xuất khẩu",
        due_date=datetime.date(2025, 12, 31),
    )
    TaskUpdateFactory(
        task=other,
        author=people["frank"],
        status=Task.Status.IN_PROGRESS,
        progress=60,
        note="Phát hành 12 bản tin thị trường.",
        created_at=at(2025, 6, 1),
    )
    return [task, second, other]


@pytest.fixture
def heads(people, org):
    """Unit head of the import-export division (bob heads the trade division)."""
    return {
        "bob": people["bob"],
        "hung": UserFactory(
            username="hung", full_name="Ngô Văn Hùng", role=User.Role.UNIT_HEAD, unit=org["qlxnk"], title="Trưởng phòng"
        ),
    }


@pytest.fixture
def eager(settings, tmp_path):
    """Celery runs tasks in-process; rendered files go to a temporary media folder."""
    from pci_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def accepted(deadline, unit_tasks, org, heads, people):
    """The trade division's report for the deadline, sent and accepted: the consolidated report has content."""
    from reporting import services

    with time_machine.travel(at(2025, 11, 12), tick=False):
        sub = services.start_submission(deadline, org["qltm"])
        services.save_draft(sub, heads["bob"], {"summary": "Hoàn thành các nhiệm vụ về xúc tiến thương mại."})
        services.accept_report(services.submit_report(sub, heads["bob"]), people["carol"])
    return sub
