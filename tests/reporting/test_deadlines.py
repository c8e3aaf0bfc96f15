"""Reporting rules generate dated deadlines every year, each with the period it covers."""

import datetime

import pytest

from reporting.models import Deadline, ReportingRule, Submission
from tests.factories import ReportingRuleFactory, SubmissionFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_rules(org, plan):
    units_to_office = ReportingRuleFactory(
        plan=plan,
        kind=ReportingRule.Kind.UNIT_TO_FOCAL,
        day=15,
        month=11,
        from_children_of=org["sct"],
        to_unit=org["khtcth"],
    )
    office_to_province = ReportingRuleFactory(
        plan=plan, kind=ReportingRule.Kind.FOCAL_TO_PROVINCE, day=1, month=12, to_unit=org["ubnd"]
    )
    office_to_province.from_units.add(org["khtcth"])
    return units_to_office, office_to_province


def test_deadlines_for_2025_fall_on_15_11_and_01_12(board_rules):
    units_to_office, office_to_province = board_rules
    assert units_to_office.deadline_for(2025).due_date == datetime.date(2025, 11, 15)
    assert office_to_province.deadline_for(2025).due_date == datetime.date(2025, 12, 1)


def test_plan_generates_each_rule_once_per_year(plan, board_rules):
    first = plan.generate_deadlines(2025)
    again = plan.generate_deadlines(2025)
    assert [d.pk for d in first] == [d.pk for d in again]
    assert Deadline.objects.filter(rule__plan=plan, year=2025).count() == 2
    assert sorted(d.due_date for d in plan.generate_deadlines(2026)) == [
        datetime.date(2026, 11, 15),
        datetime.date(2026, 12, 1),
    ]


@pytest.mark.parametrize(
    "kind,day,month,start,end",
    [
        # Nghị định 09/2019/NĐ-CP cut-offs: 6-month report 15/12 – 14/6, annual 15/12 – 14/12.
        (ReportingRule.Kind.SIX_MONTH, 5, 6, datetime.date(2021, 12, 15), datetime.date(2022, 6, 4)),
        (ReportingRule.Kind.ANNUAL, 5, 12, datetime.date(2021, 12, 15), datetime.date(2022, 12, 4)),
        (ReportingRule.Kind.YEAR_PLAN, 31, 1, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)),
        (ReportingRule.Kind.UNIT_TO_FOCAL, 15, 11, datetime.date(2021, 12, 15), datetime.date(2022, 11, 14)),
    ],
)
def test_period_covered_by_each_kind_of_report(plan, org, kind, day, month, start, end):
    rule = ReportingRuleFactory(plan=plan, kind=kind, day=day, month=month, to_unit=org["khtcth"])
    assert rule.period_for(2022) == (start, end)


def test_six_month_report_without_an_early_deadline_keeps_the_decree_cut_off(plan, org):
    rule = ReportingRuleFactory(plan=plan, kind=ReportingRule.Kind.SIX_MONTH, day=20, month=6, to_unit=org["khtcth"])
    assert rule.period_for(2022) == (datetime.date(2021, 12, 15), datetime.date(2022, 6, 14))


def test_units_still_owing_excludes_submitted_and_accepted_but_not_returned(org, board_rules):
    rule, _ = board_rules
    deadline = rule.deadline_for(2025)
    owing = set(deadline.units_still_owing().values_list("code", flat=True))
    assert owing == {"QNG-SCT-QLTM", "QNG-SCT-QLXNK"}  # the focal office does not report to itself
    SubmissionFactory(deadline=deadline, unit=org["qltm"], status=Submission.Status.SUBMITTED)
    SubmissionFactory(deadline=deadline, unit=org["qlxnk"], status=Submission.Status.RETURNED)
    assert list(deadline.units_still_owing().values_list("code", flat=True)) == ["QNG-SCT-QLXNK"]


def test_groups_and_enterprises_never_owe_a_report(org, board_rules):
    rule, _ = board_rules
    UnitFactory(code="QNG-SCT-DN", name="Doanh nghiệp", kind="enterprise", parent=org["sct"])
    assert "QNG-SCT-DN" not in rule.deadline_for(2025).units_still_owing().values_list("code", flat=True)


@pytest.mark.parametrize(
    "day,month,start,end",
    [
        # Quarterly cut-offs of Nghị định 09/2019/NĐ-CP: 15/12–14/3, 15/3–14/6, 15/6–14/9, 15/9–14/12.
        (20, 3, datetime.date(2021, 12, 15), datetime.date(2022, 3, 14)),
        (5, 4, datetime.date(2021, 12, 15), datetime.date(2022, 3, 14)),
        (20, 9, datetime.date(2022, 6, 15), datetime.date(2022, 9, 14)),
        (10, 1, datetime.date(2021, 9, 15), datetime.date(2021, 12, 14)),
        (10, 6, datetime.date(2022, 3, 15), datetime.date(2022, 6, 9)),
    ],
)
def test_quarterly_report_covers_the_quarter_ending_in_or_before_its_month(plan, org, day, month, start, end):
    rule = ReportingRuleFactory(
        plan=plan, kind=ReportingRule.Kind.QUARTERLY, day=day, month=month, to_unit=org["khtcth"]
    )
    assert rule.period_for(2022) == (start, end)


def test_annual_report_due_in_january_covers_the_previous_year(plan, org):
    rule = ReportingRuleFactory(plan=plan, kind=ReportingRule.Kind.ANNUAL, day=15, month=1, to_unit=org["khtcth"])
    assert rule.period_for(2023) == (datetime.date(2021, 12, 15), datetime.date(2022, 12, 14))


def test_period_stated_by_the_plan_overrides_the_decree(plan, org):
    # "Số liệu báo cáo tính từ ngày 01/01 đến ngày 31/10" in a report due 15/11.
    rule = ReportingRuleFactory(
        plan=plan,
        day=15,
        month=11,
        to_unit=org["khtcth"],
        period_start_day=1,
        period_start_month=1,
        period_end_day=31,
        period_end_month=10,
    )
    assert rule.period_for(2025) == (datetime.date(2025, 1, 1), datetime.date(2025, 10, 31))
    deadline = rule.deadline_for(2025)
    assert (deadline.period_start, deadline.period_end) == (datetime.date(2025, 1, 1), datetime.date(2025, 10, 31))


def test_period_override_crossing_new_year_and_ending_after_the_due_date(plan, org):
    across = ReportingRuleFactory(
        plan=plan, day=20, month=1, to_unit=org["khtcth"], period_start_day=1, period_start_month=12,
        period_end_day=31, period_end_month=12,
    )  # fmt: skip
    assert across.period_for(2025) == (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31))


def test_half_given_period_override_is_rejected(plan, org):
    from django.core.exceptions import ValidationError

    rule = ReportingRuleFactory.build(plan=plan, day=15, month=11, to_unit=org["khtcth"], period_start_day=1)
    with pytest.raises(ValidationError, match="Kỳ báo cáo riêng"):
        rule.clean()
