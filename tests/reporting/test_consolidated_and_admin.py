"""The consolidated report says "Quá hạn" where the tracker does; the admin moves deadlines as the portal does."""

import datetime
import io
import subprocess

import lxml.html
import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportingRule
from reporting.report import build_consolidated_context, render_pdf, render_xlsx
from tests.factories import ReportingRuleFactory

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_accepted(deadline, unit_tasks, org, heads, people):
    """The trade division reports and is accepted; the import-export division never reports."""
    with time_machine.travel(at(2025, 11, 12), tick=False):
        sub = services.start_submission(deadline, org["qltm"])
        services.accept_report(services.submit_report(sub, heads["bob"]), people["carol"])
    return sub


def _states(context):
    return {u["name"]: u["state_label"] for u in context["units"]}


def test_a_unit_without_a_report_reads_chua_gui_before_the_due_date_and_qua_han_after(deadline, one_accepted, org):
    before = build_consolidated_context(deadline, on=datetime.date(2025, 11, 15))
    assert _states(before)[org["qlxnk"].name] == "Chưa gửi"
    after = build_consolidated_context(deadline, on=datetime.date(2025, 11, 16))
    assert _states(after) == {org["qltm"].name: "Đã tiếp nhận", org["qlxnk"].name: "Quá hạn"}
    pdf = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(after), capture_output=True, check=True)
    assert "Chưa báo cáo (quá hạn)." in " ".join(pdf.stdout.decode().split())
    sheet = load_workbook(io.BytesIO(render_xlsx(after))).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Quá hạn – chưa báo cáo" in cells


def test_the_tracker_and_the_consolidated_report_agree(client, deadline, one_accepted, org, people):
    client.force_login(people["carol"])
    with time_machine.travel(at(2025, 11, 20), tick=False):
        page = client.get(reverse("reporting:tracker", args=[deadline.pk]))
        context = build_consolidated_context(deadline)
    tracker = {u.name: state.label for u, _s, state in page.context["rows"]}
    assert tracker == _states(context) == {org["qltm"].name: "Đã tiếp nhận", org["qlxnk"].name: "Quá hạn"}


def _admin_post_data(page):
    form = lxml.html.fromstring(page.content.decode()).xpath('//form[@id="reportingrule_form"]')[0]
    return dict(form.form_values())


def test_editing_a_rules_units_in_the_admin_moves_the_deadlines_still_to_come(client, people, plan, org):
    with time_machine.travel(at(2024, 3, 1), tick=False):
        rule = ReportingRuleFactory(
            plan=plan,
            kind=ReportingRule.Kind.UNIT_TO_FOCAL,
            day=15,
            month=11,
            from_children_of=org["sct"],
            to_unit=org["khtcth"],
        )
        services.save_reporting_rule(rule)
        before = {d.year: set(d.units.all()) for d in rule.deadlines.all()}
        assert org["qlxnk"] in before[2025]
        client.force_login(people["admin"])
        url = reverse("admin:reporting_reportingrule_change", args=[rule.pk])
        data = _admin_post_data(client.get(url))
        data["from_children_of"] = ""
        data["from_units"] = [str(org["qltm"].pk)]
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    after = {d.year: set(d.units.all()) for d in rule.deadlines.all()}
    assert after[2025] == after[2024] == {org["qltm"]}  # still to come: they follow the rule
    assert after[2021] == before[2021]  # past: the units that owed it stay


def test_a_rule_added_on_the_plans_admin_page_gets_the_deadlines_of_the_plans_years(client, people, plan, org):
    with time_machine.travel(at(2024, 3, 1), tick=False):
        client.force_login(people["admin"])
        url = reverse("admin:plans_plan_change", args=[plan.pk])
        form = lxml.html.fromstring(client.get(url).content.decode()).xpath('//form[@id="plan_form"]')[0]
        data = {}
        for name, value in form.form_values():
            data.setdefault(name, []).append(value)
        prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and "reporting" in k)
        data[f"{prefix}-TOTAL_FORMS"] = ["1"]
        data |= {
            f"{prefix}-0-kind": [ReportingRule.Kind.UNIT_TO_FOCAL],
            f"{prefix}-0-title": ["Báo cáo năm gửi Phòng Tổng hợp"],
            f"{prefix}-0-day": ["10"],
            f"{prefix}-0-month": ["12"],
            f"{prefix}-0-from_children_of": [str(org["sct"].pk)],
            f"{prefix}-0-to_unit": [str(org["khtcth"].pk)],
            f"{prefix}-0-plan": [str(plan.pk)],
        }
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    rule = ReportingRule.objects.get(plan=plan)
    deadlines = {d.year: d for d in rule.deadlines.all()}
    assert sorted(deadlines) == [2021, 2022, 2023, 2024, 2025]
    assert deadlines[2025].due_date == datetime.date(2025, 12, 10)
    assert org["qlxnk"] in deadlines[2025].units.all()
