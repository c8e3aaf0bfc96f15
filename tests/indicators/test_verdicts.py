"""A target judges itself against a published result, the way the plans word their goals."""

from decimal import Decimal

import pytest

from indicators.models import Region, Result, Tier
from indicators.verdicts import Verdict
from plans.models import Goal
from tests.factories import GoalFactory, ResultFactory, TargetFactory, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def rank_le_25(reference):
    """CSTP 8: rank 32 in 2023 → rank ≤ 25 in 2024 (the Huế Board's plan)."""
    target = TargetFactory(
        year=2024, baseline_year=2023, baseline_rank=32, baseline_out_of=63, province=province("Thừa Thiên Huế")
    )
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    return target


def result(rank=None, score=None, out_of=63, tier=""):
    return Result(rank=rank, score=score, out_of=out_of, tier=tier)


def test_rank_le_25_is_met_by_rank_24(rank_le_25):
    verdict = rank_le_25.verdict(result(rank=24))
    assert verdict.state == Verdict.MET
    assert "xếp hạng 24/63" in str(verdict)


def test_rank_le_25_is_met_by_rank_25_exactly(rank_le_25):
    assert rank_le_25.verdict(result(rank=25)).state == Verdict.MET


def test_rank_le_25_is_not_met_by_rank_26_and_says_why(rank_le_25):
    verdict = rank_le_25.verdict(result(rank=26))
    assert verdict.state == Verdict.NOT_MET
    assert verdict.reasons == ["xếp hạng ≤ 25: không đạt (xếp hạng 26/63)."]


def test_rank_le_25_is_pending_without_a_published_result(rank_le_25):
    verdict = rank_le_25.verdict()
    assert verdict.state == Verdict.PENDING
    assert "chưa có kết quả công bố" in str(verdict)


def test_target_finds_the_published_result_of_its_province_and_year(rank_le_25):
    ResultFactory(province=province("Thừa Thiên Huế"), year=2024, rank=21, score=Decimal("6.9"))
    ResultFactory(province=province("Quảng Ngãi"), year=2024, rank=40)  # another province: ignored
    ResultFactory(province=province("Thừa Thiên Huế"), year=2023, rank=32)  # baseline year: ignored
    assert rank_le_25.verdict().state == Verdict.MET


def test_unpublished_rank_leaves_a_rank_goal_pending(rank_le_25):
    verdict = rank_le_25.verdict(result(rank=None, score=Decimal("6.1")))
    assert verdict.state == Verdict.PENDING
    assert "thứ hạng chưa được công bố" in str(verdict)


@pytest.mark.parametrize("rank,state", [(27, Verdict.MET), (20, Verdict.MET), (28, Verdict.NOT_MET)])
def test_up_5_places_from_32(reference, rank, state):
    target = TargetFactory(baseline_rank=32)
    GoalFactory(target=target, kind=Goal.Kind.RANK_UP_BY, value=5)
    assert target.verdict(result(rank=rank)).state == state


def test_up_5_places_uses_the_published_baseline_when_the_plan_gives_none(reference):
    target = TargetFactory(baseline_year=2023, baseline_rank=None)
    GoalFactory(target=target, kind=Goal.Kind.RANK_UP_BY, value=5)
    ResultFactory(year=2023, rank=32)
    assert target.verdict(result(rank=27)).state == Verdict.MET


@pytest.mark.parametrize(
    "kind,value,score,state",
    [
        (Goal.Kind.SCORE_GT, "64", "64.01", Verdict.MET),
        (Goal.Kind.SCORE_GT, "64", "64", Verdict.NOT_MET),
        (Goal.Kind.SCORE_GTE, "5.8", "5.8", Verdict.MET),
        (Goal.Kind.SCORE_GTE, "5.8", "5.79", Verdict.NOT_MET),
    ],
)
def test_score_goals(reference, kind, value, score, state):
    target = TargetFactory()
    GoalFactory(target=target, kind=kind, value=Decimal(value))
    assert target.verdict(result(score=Decimal(score), rank=30)).state == state


def test_score_is_written_with_a_decimal_comma(reference):
    target = TargetFactory()
    GoalFactory(target=target, kind=Goal.Kind.SCORE_GTE, value=Decimal("5.8"))
    assert target.verdict(result(score=Decimal("5.75"))).reasons == ["điểm ≥ 5,8: không đạt (điểm 5,75)."]


def test_score_up_by_points_against_the_baseline(reference):
    target = TargetFactory(baseline_score=Decimal("60.5"))
    GoalFactory(target=target, kind=Goal.Kind.SCORE_UP_BY, value=Decimal("2"))
    assert target.verdict(result(score=Decimal("62.5"))).state == Verdict.MET
    assert target.verdict(result(score=Decimal("62.4"))).state == Verdict.NOT_MET


@pytest.mark.parametrize(
    "rank,state", [(19, Verdict.NOT_MET), (20, Verdict.MET), (30, Verdict.MET), (31, Verdict.NOT_MET)]
)
def test_rank_band_20_to_30_of_63(reference, rank, state):
    target = TargetFactory()
    GoalFactory(target=target, kind=Goal.Kind.RANK_BAND, low=20, high=30, out_of=63)
    assert target.verdict(result(rank=rank)).state == state


def test_keep_rank_and_improve_rank(reference):
    keep = TargetFactory(baseline_rank=12)
    GoalFactory(target=keep, kind=Goal.Kind.KEEP_RANK)
    improve = TargetFactory(baseline_rank=12)
    GoalFactory(target=improve, kind=Goal.Kind.RANK_IMPROVE)
    assert keep.verdict(result(rank=12)).state == Verdict.MET
    assert keep.verdict(result(rank=13)).state == Verdict.NOT_MET
    assert improve.verdict(result(rank=12)).state == Verdict.NOT_MET
    assert improve.verdict(result(rank=11)).state == Verdict.MET


def test_tier_kha_is_met_by_tot_and_not_by_trung_binh(reference):
    target = TargetFactory()
    GoalFactory(target=target, kind=Goal.Kind.TIER, tier=Tier.KHA)
    assert target.verdict(result(tier=Tier.TOT)).state == Verdict.MET
    assert target.verdict(result(tier=Tier.KHA)).state == Verdict.MET
    assert target.verdict(result(tier=Tier.TRUNG_BINH)).state == Verdict.NOT_MET


def test_several_goals_at_once_all_must_hold(reference):
    """PCI > 64 points and top 20–30/63 (Quảng Ngãi 2021)."""
    target = TargetFactory(subindex=None)
    GoalFactory(target=target, kind=Goal.Kind.SCORE_GT, value=64)
    GoalFactory(target=target, kind=Goal.Kind.RANK_BAND, low=20, high=30, out_of=63)
    assert target.verdict(result(score=Decimal("65.1"), rank=25)).state == Verdict.MET
    missed = target.verdict(result(score=Decimal("65.1"), rank=35))
    assert missed.state == Verdict.NOT_MET
    assert len(missed.reasons) == 2
    assert target.verdict(result(score=Decimal("65.1"), rank=None)).state == Verdict.PENDING


def test_top_3_of_a_region_is_judged_among_the_regions_provinces(reference):
    region = Region.objects.get(code="btb-dhmt")
    target = TargetFactory(province=province("Quảng Ngãi"), subindex=None)
    GoalFactory(target=target, kind=Goal.Kind.TOP_IN_REGION, value=3, region=region)
    for name, score in [("Đà Nẵng", "70.1"), ("Quảng Ninh", "75.0"), ("Thừa Thiên Huế", "66.0"), ("Quảng Nam", "65.5")]:
        ResultFactory(province=province(name), subindex=None, score=Decimal(score), rank=1)
    ours = ResultFactory(province=province("Quảng Ngãi"), subindex=None, score=Decimal("65.0"), rank=30)
    verdict = target.verdict(ours)
    assert verdict.state == Verdict.NOT_MET  # 4th after Đà Nẵng, Huế, Quảng Nam (Quảng Ninh is in the north)
    assert "ít nhất hạng 4/14 trong vùng" in str(verdict)  # the region's other 10 provinces have no result
