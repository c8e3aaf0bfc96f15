"""Every goal kind, with missing, partial and full data, walks through every page that shows targets.

No page answers 500, and the plan page, the task page, the dashboard, its PDF, the public page and the
consolidated report all show the same verdict for each target (they all ask Target.assess()).
"""

import datetime
import re
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
import time_machine

from indicators.models import Region, Result, SubIndex
from indicators.verdicts import Verdict
from plans.models import Goal
from reporting.report import build_consolidated_context, render_pdf
from tests.factories import (
    GOAL_VALUES,
    ReportingRuleFactory,
    ResultFactory,
    TargetFactory,
    TaskFactory,
    goal_values,
    province,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
K = Goal.Kind
# missing: the goal's values left blank (stored before validation existed), nothing published, no baseline;
# partial: values given, a score published without its rank or tier, no baseline;
# full: values, baseline and every published figure the goal needs.
STATES = {"missing": 2021, "partial": 2022, "full": 2023}


def cstp(n):
    return SubIndex.objects.get(index__code="PCI", number=n)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def walk(plan, org, people):
    """One target per goal kind and data state, plus a "3 of these 7 in the top 10" group per state."""
    qng = province("Quảng Ngãi")
    plan.is_public = True
    plan.save()
    order = 0
    for state, year in STATES.items():
        for kind in GOAL_VALUES:
            full = state == "full"
            target = TargetFactory(
                plan=plan,
                year=year,
                baseline_year=year - 1 if full else None,
                baseline_rank=30 if full else None,
                baseline_score=Decimal("6.2") if full else None,
                province=qng,
                order=order,
            )
            order += 1
            given = {} if state == "missing" else goal_values(kind)
            # bulk_create skips clean(): what an older portal could store
            Goal.objects.bulk_create([Goal(target=target, kind=kind, **given)])
        group = TargetFactory(plan=plan, year=year, subindex=None, baseline_year=None, province=qng, order=order)
        order += 1
        group.subindex_group.set([cstp(n) for n in range(1, 8)])
        Goal.objects.bulk_create(
            [Goal(target=group, kind=K.RANK_LTE, **({} if state == "missing" else {"value": 10, "min_count": 3}))]
        )
    # partial: a score without rank or tier, for CSTP 8 and the group's members
    for n in range(1, 9):
        ResultFactory(province=qng, year=2022, subindex=cstp(n), score=Decimal("6.6"), rank=None)
    # full: everything, for Quảng Ngãi and every province of its region
    members = Region.objects.get(code="btb-dhmt").provinces.order_by("name")
    others = [p for p in members if p != qng]
    ranks = [*range(10, 20), 21, 22, 23]  # ten ahead of Quảng Ngãi's 20, three behind
    for p, rank in zip(others, ranks, strict=True):
        ResultFactory(province=p, year=2023, subindex=cstp(8), score=Decimal(rank) / 3, rank=rank)
    ResultFactory(province=qng, year=2023, subindex=cstp(8), score=Decimal("6.9"), rank=20, tier="kha")
    for n, rank in zip(range(1, 8), [5, 8, 40, 9, 50, 12, 3], strict=True):
        ResultFactory(province=qng, year=2023, subindex=cstp(n), score=Decimal("6"), rank=rank)
    task = TaskFactory(plan=plan, lead_unit=org["qltm"], title="Nhiệm vụ của mọi mục tiêu")
    return plan, task


def expected_states(plan):
    return [t.assess().state for t in plan.targets.order_by("year", "order", "id")]


def badge_counts(html):
    return Counter(re.findall(r'verdict-(met|not_met|pending|insufficient)"', html))


def test_every_goal_kind_reads_the_same_verdict_on_every_page(client, people, walk):
    plan, task = walk
    states = expected_states(plan)
    counts = Counter(states)
    assert len(states) == 3 * (len(GOAL_VALUES) + 1)
    client.force_login(people["dave"])
    pages = {
        "plan": f"/plans/{plan.pk}/",
        "task": f"/tasks/{task.pk}/",
        "dashboard": f"/dashboard/?plan={plan.pk}&year=2025",
        "public": f"/public/plans/{plan.key}/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert badge_counts(response.content.decode()) == counts, name

    response = client.get(f"/dashboard/pdf/?plan={plan.pk}&year=2025")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    rows = response.context["targets"]
    assert [row["a"].state for row in rows] == states
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "Chưa đủ dữ liệu" in text

    rule = ReportingRuleFactory(plan=plan, to_unit=task.lead_unit.parent, from_children_of=task.lead_unit.parent)
    context = build_consolidated_context(rule.deadline_for(2025))
    report_states = [t["verdict_state"] for t in context["targets"]]
    assert sorted(report_states) == sorted(states)
    assert render_pdf(context)  # the consolidated report renders


def test_a_goal_without_its_values_reads_insufficient_data(walk):
    plan, _task = walk
    for target in plan.targets.filter(year=STATES["missing"]):
        kind = target.goals.get().kind
        a = target.assess()
        if kind in (K.SCORE_GTE, K.SCORE_GT, K.SCORE_UP_BY, K.RANK_LTE, K.RANK_BAND, K.RANK_UP_BY, K.TOP_IN_REGION):
            assert a.state == Verdict.INSUFFICIENT, kind
            assert a.label == "Chưa đủ dữ liệu"
        elif kind == K.TIER:
            assert a.state == Verdict.INSUFFICIENT
        else:
            assert a.state in (Verdict.PENDING, Verdict.INSUFFICIENT), kind


def test_full_data_judges_every_kind(walk):
    plan, _task = walk
    got = {t.goals.get().kind: t.assess() for t in plan.targets.filter(year=STATES["full"], subindex__isnull=False)}
    # Quảng Ngãi, CSTP 8 in 2023: score 6,9, rank 20/63, tier Khá; baseline rank 30, score 6,2.
    assert got[K.SCORE_GTE].state == Verdict.MET
    assert got[K.SCORE_UP_BY].state == Verdict.MET  # +0,7
    assert got[K.RANK_LTE].state == Verdict.MET
    assert got[K.RANK_BAND].state == Verdict.MET
    assert got[K.RANK_UP_BY].state == Verdict.MET  # 30 → 20
    assert got[K.KEEP_LEAD].state == Verdict.NOT_MET
    assert got[K.TIER].state == Verdict.MET
    region = got[K.TOP_IN_REGION]
    assert region.state == Verdict.NOT_MET
    assert "hạng 11/14 trong vùng" in region.reasons_text  # ten of the 13 others rank 10–19, ahead of 20
    group = plan.targets.get(year=STATES["full"], subindex__isnull=True).assess()
    assert group.state == Verdict.MET
    assert "đạt 4/7" in group.reasons_text
    assert "không đạt: CSTP 3 (xếp hạng 40/63), CSTP 5 (xếp hạng 50/63), CSTP 6 (xếp hạng 12/63)" in group.reasons_text


def test_partial_data_leaves_rank_goals_pending(walk):
    plan, _task = walk
    got = {t.goals.get().kind: t.assess() for t in plan.targets.filter(year=STATES["partial"], subindex__isnull=False)}
    assert got[K.SCORE_GTE].state == Verdict.MET  # 6,6 ≥ 6,5
    assert got[K.RANK_LTE].state == Verdict.PENDING
    assert got[K.RANK_UP_BY].state == Verdict.PENDING  # no rank yet: whether a baseline exists matters later
    assert got[K.SCORE_UP_BY].state == Verdict.INSUFFICIENT  # a score, but no baseline to compare it with
    assert "chưa có điểm năm gốc" in got[K.SCORE_UP_BY].reasons_text
    assert got[K.TIER].state == Verdict.INSUFFICIENT
    assert plan.targets.get(year=STATES["partial"], subindex__isnull=True).assess().state == Verdict.PENDING


def test_results_are_shown_with_their_rank_out_of_and_score(client, people, walk):
    plan, _task = walk
    client.force_login(people["dave"])
    body = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "hạng 20/63 · 6,9 điểm" in body


def test_stored_data_that_no_rule_can_read_still_answers_200(client, people, plan):
    """A goal of an unknown kind (an older portal's) reads "Chưa đủ dữ liệu" instead of a 500."""
    target = TargetFactory(plan=plan, year=2024)
    Goal.objects.bulk_create([Goal(target=target, kind="bogus_kind", value=Decimal("1"))])
    Result.objects.create(province=target.province, year=2024, index=target.index, subindex=target.subindex, rank=3)
    client.force_login(people["dave"])
    response = client.get(f"/plans/{plan.pk}/")
    assert response.status_code == 200
    assert 'verdict-insufficient"' in response.content.decode()
