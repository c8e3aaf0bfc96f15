"""The dashboard in Chromium: charts are drawn, a bar leads to the tasks behind it, what-if answers in place."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import SubIndex
from plans.models import Task
from tests.conftest import login
from tests.factories import GoalFactory, ResultFactory, TargetFactory, TaskFactory, province

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_focal_office_clicks_an_overdue_bar_and_tries_a_what_if(page, org, people, plan, task):
    for i in range(3):
        TaskFactory(plan=plan, lead_unit=org["qlxnk"], due_date=datetime.date(2020, 1, i + 1), title=f"Việc trễ {i}")
    TaskFactory(plan=plan, lead_unit=org["qltm"], status=Task.Status.DONE, title="Việc đã xong")
    target = TargetFactory(plan=plan, year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, value=25)
    qng = province("Quảng Ngãi")
    for n in range(1, 11):
        sub = SubIndex.objects.get(index__code="PCI", number=n)
        ResultFactory(province=qng, year=2024, subindex=sub, score=Decimal("6.50"), rank=20 + n)

    login(page, "carol")
    page.goto("/dashboard/")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-overdue')")
    expect(page.locator("#rank-" + f"{qng.pk}-{target.subindex_id}")).to_be_visible()
    # Click the first (only) overdue bar: the list behind it has the three late tasks.
    page.locator("#chart-overdue").scroll_into_view_if_needed()
    box = page.locator("#chart-overdue").bounding_box()
    x, y = page.evaluate(
        "() => { const b = Chart.getChart('chart-overdue').getDatasetMeta(0).data[0];"
        " return [(b.x + b.base) / 2, b.y]; }"
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/dashboard/tasks/**")
    rows = page.locator("#task-list tbody tr")
    assert rows.count() == 3
    assert "Việc trễ 0" in page.locator("#task-list").inner_text()

    page.go_back()
    page.get_by_label("Chỉ số thành phần", exact=True).select_option("8")
    page.get_by_label("Điểm mục tiêu (0–10)").fill("7,5")
    page.get_by_role("button", name="Tính PCI").click()
    page.wait_for_selector("#what-if-total")
    assert page.locator("#what-if-total").inner_text() == "67,00"  # 65,00 + 20 % × 1,0 × 10
    assert page.url.endswith("/dashboard/")  # answered in place by htmx
