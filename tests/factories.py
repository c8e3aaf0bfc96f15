"""factory_boy factories shared by every test module."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Person, Unit, User
from indicators.models import Index, Province, Region, Result, SubIndex
from plans.models import Goal, Plan, Section, Target, Task, TaskUpdate
from reporting.models import ReportingRule, Submission


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Phòng thử nghiệm {n}")
    kind = Unit.Kind.DIVISION


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    key = factory.Sequence(lambda n: f"person-{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    title = "Phó Giám đốc Sở"
    unit = factory.SubFactory(UnitFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Trần Thị {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    role = User.Role.OFFICIAL
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("mat-khau-123")


def pci():
    return Index.objects.get(code="PCI")


def province(name="Quảng Ngãi"):
    return Province.objects.get(name=name, valid_from__isnull=True)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    key = factory.Sequence(lambda n: f"plan-{n}")
    issuer = factory.SubFactory(UnitFactory, kind=Unit.Kind.DEPARTMENT)
    number = factory.Sequence(lambda n: f"{n}/KH-SCT")
    number_suffix = "KH-SCT"
    date = datetime.date(2024, 6, 17)
    title = "Kế hoạch nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"
    period_start = 2024
    period_end = 2024


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"{n}")
    title = "Nhóm giải pháp thử nghiệm"


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    section = factory.SubFactory(SectionFactory, plan=factory.SelfAttribute("..plan"))
    title = factory.Sequence(lambda n: f"Tổ chức hội chợ thương mại số {n}")
    description = "Tăng số lượng hội chợ thương mại do tỉnh tổ chức."
    lead_unit = factory.SubFactory(UnitFactory)
    # One-off unless a test says otherwise: its due date (if any) is its only round (plans.schedule).
    timeframe = Task.Timeframe.ONCE


class TaskUpdateFactory(DjangoModelFactory):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(TaskFactory)
    author = factory.SubFactory(UserFactory)
    status = Task.Status.IN_PROGRESS
    progress = 50
    note = "Đã tổ chức 02 hội chợ cấp tỉnh."


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    index = factory.LazyFunction(pci)
    subindex = factory.LazyFunction(lambda: SubIndex.objects.get(index__code="PCI", number=8))
    province = factory.LazyFunction(province)
    year = 2024
    baseline_year = 2023


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    target = factory.SubFactory(TargetFactory)
    kind = Goal.Kind.RANK_LTE
    value = 25


# A goal of every kind with exactly the values its kind needs (indicators.verdicts.REQUIRED); region by code.
GOAL_VALUES = {
    Goal.Kind.SCORE_GTE: {"value": Decimal("6.5")},
    Goal.Kind.SCORE_GT: {"value": Decimal("6.5")},
    Goal.Kind.SCORE_UP_BY: {"value": Decimal("0.5")},
    Goal.Kind.SCORE_IMPROVE: {},
    Goal.Kind.RANK_LTE: {"value": 25},
    Goal.Kind.RANK_BAND: {"low": 20, "high": 30, "out_of": 63},
    Goal.Kind.RANK_UP_BY: {"value": 5},
    Goal.Kind.RANK_IMPROVE: {},
    Goal.Kind.KEEP_RANK: {},
    Goal.Kind.KEEP_LEAD: {},
    Goal.Kind.TOP_IN_REGION: {"value": 3, "region": "btb-dhmt"},
    Goal.Kind.TIER: {"tier": "kha"},
    Goal.Kind.INCREASE: {},
}


def goal_values(kind, without=None):
    """The GOAL_VALUES of `kind` as Goal(...) takes them (the region as region_id), less the field `without`."""
    values = {k: v for k, v in GOAL_VALUES[kind].items() if k != without}
    if "region" in values:
        values["region_id"] = Region.objects.get(code=values.pop("region")).pk
    return values


class ResultFactory(DjangoModelFactory):
    class Meta:
        model = Result

    province = factory.LazyFunction(province)
    year = 2024
    index = factory.LazyFunction(pci)
    subindex = factory.LazyFunction(lambda: SubIndex.objects.get(index__code="PCI", number=8))
    out_of = 63


class ReportingRuleFactory(DjangoModelFactory):
    class Meta:
        model = ReportingRule

    plan = factory.SubFactory(PlanFactory)
    kind = ReportingRule.Kind.UNIT_TO_FOCAL
    title = "Báo cáo kết quả thực hiện Kế hoạch"
    day = 15
    month = 11
    to_unit = factory.SubFactory(UnitFactory, kind=Unit.Kind.OFFICE)


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    unit = factory.SubFactory(UnitFactory)
