"""On a phone (390 px wide, headless Chromium) no page scrolls sideways: wide tables scroll inside their own
box (.table-responsive) or show each row as a block (.stack-sm).

Set SCREENSHOT_DIR to keep the pictures.
"""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Unit
from reporting import services
from reporting.models import ReportingRule
from tests.conftest import login
from tests.factories import ReportingRuleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TZ = datetime.timezone(datetime.timedelta(hours=7))

# Tables a phone cannot read squeezed: outside a scrolling box, or as a table wider than the screen.
SQUEEZED = """() => [...document.querySelectorAll('main table, #main table, table')].filter(t => {
  if (t.closest('.table-responsive')) return false;
  return t.getBoundingClientRect().right > window.innerWidth + 1;
}).map(t => t.id || t.className)"""


@pytest.fixture
def report(plan, task, org, people):
    with time_machine.travel(datetime.datetime(2025, 11, 10, 9, tzinfo=TZ), tick=False):
        rule = ReportingRuleFactory(
            plan=plan,
            kind=ReportingRule.Kind.UNIT_TO_FOCAL,
            title="Báo cáo kết quả thực hiện năm",
            day=15,
            month=11,
            from_children_of=org["sct"],
            to_unit=org["khtcth"],
        )
        deadline = rule.deadline_for(2025)
        sub = services.start_submission(deadline, org["qltm"])
        services.save_draft(sub, people["bob"], {"summary": "Đã tổ chức 3 hội chợ thương mại."})
        services.submit_report(sub, people["bob"])
    return deadline


def test_no_page_scrolls_sideways_at_390_px(page, people, plan, task, report, org):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "carol")
    qltm = Unit.objects.get(code="QNG-SCT-QLTM")
    urls = [
        reverse("plans:my_tasks"),
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", args=[plan.pk]),
        reverse("plans:task_detail", args=[task.pk]),
        reverse("reporting:my_reports"),
        reverse("reporting:tracker", args=[report.pk]),
        reverse("reporting:submission", args=[report.pk, qltm.pk]),
        reverse("notifications:list"),
    ]
    for url in urls:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        assert page.evaluate(SQUEEZED) == [], url
        folder = os.environ.get("SCREENSHOT_DIR")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"phone{url.replace('/', '-')}.png"), full_page=True)
    # A report's rows read as blocks, each value under its column's name.
    page.goto(reverse("reporting:submission", args=[report.pk, qltm.pk]))
    assert page.evaluate("getComputedStyle(document.querySelector('#report-rows tr')).display") == "block"


def test_the_audit_trail_stacks_its_rows_on_a_phone(page, people, task):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "admin")
    page.goto(reverse("audit_log"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("getComputedStyle(document.querySelector('#audit-rows tbody tr')).display") == "block"
    label = page.evaluate(
        "getComputedStyle(document.querySelector('#audit-rows tbody td[data-label]'), '::before').content"
    )
    assert label == '"Thời điểm"'
