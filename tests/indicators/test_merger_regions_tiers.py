"""Regions as reference data, tiers per index, indices in percent, groups judged per member, the 2025 merger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Index, Province, Region, SubIndex
from indicators.verdicts import Verdict
from plans.models import Goal, TargetMember
from tests.factories import GoalFactory, ResultFactory, TargetFactory, province

pytestmark = pytest.mark.django_db
K = Goal.Kind


def cstp(n):
    return SubIndex.objects.get(index__code="PCI", number=n)


def test_twin_names_tell_the_merged_unit_from_the_former_province(reference):
    assert Province.objects.get(code="DT25").label == "Đồng Tháp (từ 01/7/2025)"
    assert Province.objects.get(code="DT").label == "Đồng Tháp (đến 30/6/2025)"
    assert Province.objects.get(code="QNI").label == "Quảng Ninh"  # unchanged: no date


def test_hue_reads_hue_from_2025_and_thua_thien_hue_before(reference):
    hue = Province.objects.get(code="HUE")
    assert hue.label == "Huế"
    assert hue.name_in(2024) == "Thừa Thiên Huế" and hue.name_in(2025) == "Huế"


def test_every_province_has_its_region_in_each_period(reference):
    before = Region.objects.for_year(2024)
    after = Region.objects.for_year(2025)
    assert before.count() == after.count() == 6
    assert sorted(p.pk for r in before for p in r.provinces.all()) == sorted(
        Province.objects.in_edition_year(2024).values_list("pk", flat=True)
    )
    assert sorted(p.pk for r in after for p in r.provinces.all()) == sorted(
        Province.objects.in_edition_year(2025).values_list("pk", flat=True)
    )
    assert Region.objects.get(code="btb-dhmt").label == "Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh, đến năm 2024)"


def test_a_pre_merger_target_for_2025_is_judged_on_its_successors_result_and_says_so(reference):
    tien_giang = Province.objects.get(code="TG")
    target = TargetFactory(province=tien_giang, year=2025, baseline_year=2024, baseline_rank=30)
    GoalFactory(target=target, kind=K.RANK_LTE, value=10)
    ResultFactory(province=tien_giang, year=2025, rank=30, out_of=34)  # a mis-stored row is not used
    ResultFactory(province=Province.objects.get(code="DT25"), year=2025, rank=7, out_of=34)
    a = target.assess()
    assert a.state == Verdict.MET
    assert "xếp hạng 7/34" in a.reasons_text
    assert (
        "Đánh giá theo kết quả của Đồng Tháp (từ 01/7/2025), đơn vị mà Tiền Giang (đến 30/6/2025) hợp nhất vào"
        in a.reasons_text
    )
    assert a.province == "Tiền Giang (đến 30/6/2025) → Đồng Tháp (từ 01/7/2025)"


def test_the_baseline_of_a_pre_merger_year_stays_the_former_provinces(reference):
    tien_giang = Province.objects.get(code="TG")
    target = TargetFactory(province=tien_giang, year=2025, baseline_year=2024)
    GoalFactory(target=target, kind=K.RANK_IMPROVE)
    ResultFactory(province=tien_giang, year=2024, rank=30, out_of=63)
    ResultFactory(province=Province.objects.get(code="DT25"), year=2025, rank=12, out_of=34)
    assert target.baseline() == (30, None, 63)
    assert target.assess().state == Verdict.MET


def test_rank_in_region_is_counted_over_its_full_membership(reference):
    region = Region.objects.get(code="btb-dhmt")
    qng = province("Quảng Ngãi")
    target = TargetFactory(province=qng, subindex=None)
    GoalFactory(target=target, kind=K.TOP_IN_REGION, value=3, region=region)
    others = [p for p in region.provinces.order_by("name") if p != qng]
    for i, p in enumerate(others):
        ResultFactory(province=p, subindex=None, rank=(5 if i < 2 else 40 + i), score=Decimal("60"))
    ResultFactory(province=qng, subindex=None, rank=12, score=Decimal("65"))
    a = target.assess()
    assert a.state == Verdict.MET
    assert "hạng 3/14 trong vùng Bắc Trung Bộ và duyên hải miền Trung" in a.reasons_text
    assert "top 3 vùng Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh)" in a.goal_text


def test_a_region_goal_takes_the_region_of_the_target_years_period(reference):
    target = TargetFactory(province=Province.objects.get(code="QNG25"), year=2025)
    with pytest.raises(ValidationError) as e:
        Goal(target=target, kind=K.TOP_IN_REGION, value=3, region=Region.objects.get(code="btb-dhmt")).full_clean()
    assert "không dùng cho năm 2025" in str(e.value)
    Goal(target=target, kind=K.TOP_IN_REGION, value=3, region=Region.objects.get(code="btb-dhmt-2025")).full_clean()
    with pytest.raises(ValidationError) as e:
        Goal(target=target, kind=K.TOP_IN_REGION, value=3, region=Region.objects.get(code="dnb-2025")).full_clean()
    assert "không thuộc vùng" in str(e.value)


@pytest.mark.parametrize(
    "band,state", [("cao_nhat", Verdict.MET), ("trung_binh_cao", Verdict.MET), ("trung_binh_thap", Verdict.NOT_MET)]
)
def test_papi_band_trung_binh_cao_or_better(reference, band, state):
    papi = Index.objects.get(code="PAPI")
    target = TargetFactory(index=papi, subindex=None, year=2024, baseline_year=None)
    GoalFactory(target=target, kind=K.TIER, value=None, tier="trung_binh_cao")
    ResultFactory(index=papi, subindex=None, year=2024, score=Decimal("44.1"), tier=band)
    a = target.assess()
    assert a.state == state
    assert "nhóm “Trung bình cao” trở lên" in a.goal_text


def test_a_pci_tier_is_not_a_papi_band(reference):
    target = TargetFactory(index=Index.objects.get(code="PAPI"), subindex=None)
    with pytest.raises(ValidationError):
        Goal(target=target, kind=K.TIER, tier="kha").full_clean()


@pytest.mark.parametrize("code", ["SIPAS", "PAR_INDEX"])
def test_percent_indices_show_their_unit(reference, code):
    index = Index.objects.get(code=code)
    target = TargetFactory(index=index, subindex=None, year=2024, baseline_year=None)
    GoalFactory(target=target, kind=K.SCORE_GTE, value=Decimal("85"))
    ResultFactory(index=index, subindex=None, year=2024, score=Decimal("86.2"), rank=None, out_of=None)
    a = target.assess()
    assert a.goal_text == "tỷ lệ ≥ 85 %"
    assert a.result_text == "86,2 %"
    assert a.state == Verdict.MET and "tỷ lệ 86,2 %" in a.reasons_text


def test_pgi_top_20(reference):
    pgi = Index.objects.get(code="PGI")
    target = TargetFactory(index=pgi, subindex=None, year=2024, baseline_year=None)
    GoalFactory(target=target, kind=K.RANK_LTE, value=20)
    ResultFactory(index=pgi, subindex=None, year=2024, score=Decimal("21.3"), rank=18)
    assert target.assess().state == Verdict.MET


def test_each_member_up_10_places_from_its_own_published_baseline(reference):
    """ "Mỗi chỉ số tăng ít nhất 10 bậc": baselines from PCI 2023, one stated by the plan."""
    target = TargetFactory(subindex=None, year=2024, baseline_year=2023)
    target.subindex_group.set([cstp(1), cstp(2), cstp(3)])
    TargetMember.objects.filter(target=target, subindex=cstp(3)).update(baseline_rank=50)
    GoalFactory(target=target, kind=K.RANK_UP_BY, value=10)
    for n, before, after in [(1, 40, 25), (2, 30, 25), (3, 45, 38)]:
        ResultFactory(subindex=cstp(n), year=2023, rank=before)
        ResultFactory(subindex=cstp(n), year=2024, rank=after)
    a = target.assess()
    assert a.state == Verdict.NOT_MET
    members = {label: state for label, state, _detail in a.verdict.members}
    assert members == {"CSTP 1": Verdict.MET, "CSTP 2": Verdict.NOT_MET, "CSTP 3": Verdict.MET}  # 50 → 38 stated
    assert "không đạt: CSTP 2 (từ hạng 30 lên hạng 25/63)" in a.reasons_text
    assert "CSTP 3: hạng 50" in a.baseline_text


def test_all_keep_their_rank_and_every_sub_index_improves(reference):
    keep = TargetFactory(subindex=None, year=2024, baseline_year=2023)
    keep.subindex_group.set([cstp(n) for n in range(1, 11)])
    GoalFactory(target=keep, kind=K.KEEP_RANK, value=None)
    improve = TargetFactory(subindex=None, year=2024, baseline_year=2023)
    improve.subindex_group.set([cstp(n) for n in range(1, 11)])
    GoalFactory(target=improve, kind=K.SCORE_IMPROVE, value=None)
    for n in range(1, 11):
        ResultFactory(subindex=cstp(n), year=2023, rank=20, score=Decimal("6"))
        ResultFactory(subindex=cstp(n), year=2024, rank=20 if n != 4 else 21, score=Decimal("6.1"))
    assert keep.assess().state == Verdict.NOT_MET
    assert "không đạt: CSTP 4" in keep.assess().reasons_text
    assert improve.assess().state == Verdict.MET
    assert "đạt 10/10" in improve.assess().reasons_text


def test_three_of_seven_in_the_top_10_is_pending_until_it_can_be_decided(reference):
    target = TargetFactory(subindex=None, year=2024, baseline_year=None)
    target.subindex_group.set([cstp(n) for n in range(1, 8)])
    GoalFactory(target=target, kind=K.RANK_LTE, value=10, min_count=3)
    ResultFactory(subindex=cstp(1), year=2024, rank=3)
    ResultFactory(subindex=cstp(2), year=2024, rank=30)
    assert target.assess().state == Verdict.PENDING  # 1 met, 1 missed, 5 unknown
    ResultFactory(subindex=cstp(3), year=2024, rank=9)
    ResultFactory(subindex=cstp(4), year=2024, rank=10)
    a = target.assess()
    assert a.state == Verdict.MET
    assert a.goal_text == "ít nhất 3/7 chỉ số: xếp hạng ≤ 10"
