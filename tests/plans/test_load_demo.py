"""`manage.py load_demo` holds the two source plans faithfully, and twice leaves the same rows."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Person, Unit, User
from demo.activity import KEY as ILLUSTRATIVE_KEY
from indicators.verdicts import Verdict
from plans.models import Document, Goal, Plan, Section, Target, Task
from reporting.models import Deadline, ReportingRule

pytestmark = pytest.mark.django_db

HUE_TASKS = 24
QNG_TASKS = 21

MODELS = [Unit, Person, User, Plan, Section, Task, Target, Goal, ReportingRule, Deadline, Document]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module inside a transaction rolled back at its end; each test nests in it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", force=True, stdout=out, stderr=StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


# The illustrative plan ("[Minh họa]", demo/activity.py) is made anew around the day of each load, by design.
ILLUSTRATIVE = {
    "Plan": {"key": ILLUSTRATIVE_KEY},
    "Section": {"plan__key": ILLUSTRATIVE_KEY},
    "Task": {"plan__key": ILLUSTRATIVE_KEY},
    "ReportingRule": {"plan__key": ILLUSTRATIVE_KEY},
    "Deadline": {"rule__plan__key": ILLUSTRATIVE_KEY},
}


def _source_rows(m):
    return m.objects.exclude(**ILLUSTRATIVE.get(m.__name__, {"pk__in": []}))


def counts():
    return {m.__name__: _source_rows(m).count() for m in MODELS}


def test_loading_twice_leaves_the_same_rows(demo):
    before = counts()
    ids = {m.__name__: sorted(_source_rows(m).values_list("pk", flat=True)) for m in MODELS}
    call_command("load_demo", force=True, stdout=StringIO(), stderr=StringIO())
    assert counts() == before
    assert {m.__name__: sorted(_source_rows(m).values_list("pk", flat=True)) for m in MODELS} == ids
    assert Plan.objects.filter(key=ILLUSTRATIVE_KEY).count() == 1


def test_two_source_plans_are_tracked_with_the_plans_they_implement_and_rely_on(demo):
    hue = Plan.objects.get(key="tth-bql-2024")
    qng = Plan.objects.get(key="qng-sct-2021")
    assert set(Plan.objects.tracked().exclude(key=ILLUSTRATIVE_KEY)) == {hue, qng}
    assert hue.parent.number == "253/KH-UBND" and hue.parent.date == datetime.date(2024, 6, 17)
    assert qng.parent.number == "649/QĐ-UBND" and qng.parent.date == datetime.date(2021, 7, 26)
    assert qng.display_number == "/KH-SCT" and qng.date == datetime.date(2021, 9, 21)
    assert (qng.period_start, qng.period_end) == (2021, 2025)
    relied = set(qng.relies_on.values_list("number", flat=True))
    assert "1640/SKHĐT-ĐKKD" in relied and len(relied) == 5
    assert qng.signer.full_name == "Võ Văn Rân" and qng.signer_title == "GIÁM ĐỐC"
    assert hue.signer.full_name == "Lê Văn Tuệ"
    assert "UBND tỉnh (b/c)" in hue.recipient_lines()


def test_every_task_of_the_source_plans_is_loaded(demo):
    hue = Plan.objects.get(key="tth-bql-2024")
    qng = Plan.objects.get(key="qng-sct-2021")
    assert hue.tasks.count() == HUE_TASKS
    assert qng.tasks.count() == QNG_TASKS
    assert Task.objects.filter(plan__tracked=False).count() == 0


def test_quang_ngai_tasks_keep_lead_coordinating_units_leader_and_timeframe(demo):
    task = Task.objects.get(
        plan__key="qng-sct-2021", description__startswith="Xây dựng kế hoạch thanh tra chuyên ngành"
    )
    assert task.lead_unit.name == "Thanh tra Sở"
    assert task.leader.full_name == "Hà Đức Thắng"
    assert task.timeframe == Task.Timeframe.ANNUAL
    fairs = Task.objects.get(plan__key="qng-sct-2021", description__startswith="Tăng số lượng hội chợ")
    assert fairs.lead_unit.name == "Phòng Quản lý thương mại"
    assert fairs.leader.full_name == "Đỗ Tiến Đạt"
    assert "Trung tâm Khuyến công và Xúc tiến thương mại" in set(
        fairs.coordinating_units.values_list("name", flat=True)
    )
    assert "18 hội chợ" in fairs.description
    one_door = Task.objects.get(
        plan__key="qng-sct-2021", description__startswith="Tập trung cải cách thủ tục hành chính"
    )
    assert one_door.timeframe == Task.Timeframe.REGULAR and one_door.leader.full_name == "Nguyễn Đức Huy"


def test_targets_of_both_plans(demo):
    hue = Target.objects.get(plan__key="tth-bql-2024")
    assert (hue.subindex.number, hue.year, hue.baseline_year, hue.baseline_rank) == (8, 2024, 2023, 32)
    assert [(g.kind, int(g.value)) for g in hue.goals.all()] == [(Goal.Kind.RANK_LTE, 25)]
    assert hue.province.name == "Thừa Thiên Huế"
    assert hue.verdict().state == Verdict.MET  # on the illustrative 2024 result the demo loads (22/63)

    qng = Target.objects.filter(plan__key="qng-sct-2021")
    overall = qng.get(subindex__isnull=True, indicator__isnull=True, year=2021)
    kinds = {g.kind: g for g in overall.goals.all()}
    assert kinds[Goal.Kind.SCORE_GT].value == 64
    assert (kinds[Goal.Kind.RANK_BAND].low, kinds[Goal.Kind.RANK_BAND].high) == (20, 30)
    cstp8 = qng.filter(subindex__number=8, year=2021)
    assert any(g.kind == Goal.Kind.SCORE_GTE and g.value == Decimal("5.8") for t in cstp8 for g in t.goals.all())
    top20 = qng.get(subindex__number=8, goals__kind=Goal.Kind.RANK_LTE)
    assert top20.goals.get().value == 20
    assert overall.subject_label == "PCI"
    # The plan (9/2021) still used the sub-index's pre-2021 name; PCI 2021 itself used the new one.
    assert "dịch vụ hỗ trợ doanh nghiệp" in cstp8.first().text.lower()
    assert cstp8.first().subindex.name_for(2020) == "Dịch vụ hỗ trợ doanh nghiệp"
    assert cstp8.first().subject_label == "CSTP 8: Chính sách hỗ trợ doanh nghiệp"


def test_all_reporting_deadlines(demo):
    due = sorted((d.rule.plan.key, d.due_date) for d in Deadline.objects.select_related("rule__plan"))
    hue = [d for k, d in due if k == "tth-bql-2024"]
    assert hue == [datetime.date(2024, 11, 15), datetime.date(2024, 12, 1)]
    qng = [d for k, d in due if k == "qng-sct-2021"]
    assert len(qng) == 15  # three deadlines a year, 2021–2025
    assert {(d.day, d.month) for d in qng} == {(31, 1), (5, 6), (5, 12)}


def test_demo_users_of_every_role_with_email_in_source_plan_units(demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in User.Role}
    for user in User.objects.exclude(role=User.Role.ADMIN):
        assert user.email and user.unit is not None
        assert user.check_password("demo12345")
    assert "admin" in demo and "demo12345" in demo


def test_units_form_one_tree_per_province(demo):
    division = Unit.objects.get(code="QNG-SCT-QLTM")
    assert division.agency.code == "QNG-SCT"
    assert division.top_unit().code == "QNG-UBND"
    assert division.get_place() == "Quảng Ngãi"
