import datetime
import zoneinfo

import pytest

from reporting.models import ReportingRule
from tests.factories import ReportingRuleFactory

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hour=8, minute=0):
    """A moment in Vietnam, for time_machine."""
    return datetime.datetime(y, m, d, hour, minute, tzinfo=VN)


@pytest.fixture
def report_rule(org, plan, people):
    """Every division of SCT reports to the focal office before 15/11 (qltm: bob is head; qlxnk: only frank)."""
    return ReportingRuleFactory(
        plan=plan,
        kind=ReportingRule.Kind.UNIT_TO_FOCAL,
        title="Báo cáo kết quả thực hiện Kế hoạch",
        day=15,
        month=11,
        from_children_of=org["sct"],
        to_unit=org["khtcth"],
    )


@pytest.fixture
def eager(settings):
    """Celery runs tasks in-process (e-mails leave from tasks), into Django's locmem outbox."""
    from pci_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
