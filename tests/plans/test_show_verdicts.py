"""`manage.py show_verdicts`: one Vietnamese line per target, the same verdict as the pages."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from plans.models import Goal
from tests.factories import GoalFactory, PlanFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("show_verdicts", *args, stdout=out)
    return out.getvalue()


def test_one_line_per_target_with_goal_result_and_reason(reference):
    plan = PlanFactory(number="253/KH-UBND")
    target = TargetFactory(plan=plan, year=2024, baseline_year=2023, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    ResultFactory(year=2024, rank=21, score=Decimal("6.9"))
    other = TargetFactory(plan=PlanFactory(number="9/KH-SCT"), year=2021)
    GoalFactory(target=other, kind=Goal.Kind.SCORE_GTE, value=Decimal("5.8"))
    out = run("--plan", "253/KH-UBND")
    lines = out.strip().splitlines()
    assert lines == [
        "253/KH-UBND | CSTP 8: Chính sách hỗ trợ doanh nghiệp | 2024 | xếp hạng ≤ 25 | hạng 21/63 · 6,9 điểm"
        " | Đạt: xếp hạng ≤ 25: đạt (xếp hạng 21/63)."
    ]
    assert "Chưa có kết quả" in run("--year", "2021")
    assert run("--plan", str(plan.pk)) == out


def test_an_unknown_plan_is_an_error(reference):
    with pytest.raises(CommandError, match="Không tìm thấy kế hoạch"):
        run("--plan", "1/KH-XYZ")
