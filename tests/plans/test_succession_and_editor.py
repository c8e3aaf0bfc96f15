"""Plans that follow plans ("kế hoạch kế tiếp"), and the plan editor entering goals over groups and regions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Region, SubIndex
from indicators.verdicts import Verdict
from plans.models import Goal, Target
from tests.factories import GoalFactory, PlanFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db


def cstp(n):
    return SubIndex.objects.get(index__code="PCI", number=n)


@pytest.fixture
def plans(org):
    earlier = PlanFactory(issuer=org["sct"], number="207/KH-UBND", period_start=2021, period_end=2023)
    later = PlanFactory(issuer=org["sct"], number="235/KH-UBND", period_start=2024, period_end=2025, follows=earlier)
    return earlier, later


def test_the_link_shows_both_ways_on_both_plan_pages(client, people, plans):
    earlier, later = plans
    client.force_login(people["dave"])
    page = client.get(f"/plans/{later.pk}/").content.decode()
    assert "Tiếp nối kế hoạch" in page and "207/KH-UBND" in page
    page = client.get(f"/plans/{earlier.pk}/").content.decode()
    assert "Kế hoạch kế tiếp" in page and "235/KH-UBND" in page


def test_a_plan_cannot_follow_itself_in_a_circle(plans):
    earlier, later = plans
    earlier.follows = later
    with pytest.raises(ValidationError):
        earlier.full_clean()


def test_the_earlier_plans_result_is_the_baseline_where_the_text_gives_none(plans):
    earlier, later = plans
    TargetFactory(plan=earlier, year=2023, baseline_year=2020)
    target = TargetFactory(plan=later, year=2025, baseline_year=None)
    GoalFactory(target=target, kind=Goal.Kind.RANK_UP_BY, value=5)
    ResultFactory(year=2023, rank=32, score=Decimal("6.1"))
    ResultFactory(province=target.province.successor, year=2025, rank=10, out_of=34)
    a = target.assess()
    assert a.baseline_text == "2023: hạng 32/63 · 6,1 điểm (kết quả năm 2023 của kế hoạch 207/KH-UBND)"
    assert a.state == Verdict.MET
    stated = TargetFactory(plan=later, year=2025, baseline_year=2022)
    assert stated.effective_baseline_year() == 2022  # a baseline the plan states wins


def test_the_focal_office_enters_three_of_seven_in_the_top_10(client, people, plan):
    client.force_login(people["carol"])
    form = client.get(f"/plans/{plan.pk}/targets/new/").context["form"]
    data = {
        "index": cstp(1).index_id,
        "members": [cstp(n).pk for n in range(1, 8)],
        "province": form.instance.province_id,
        "year": 2024,
        "baseline_year": 2023,
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-kind": "rank_lte",
        "goals-0-value": "10",
        "goals-0-min_count": "3",
    }
    response = client.post(f"/plans/{plan.pk}/targets/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    target = Target.objects.get(plan=plan)
    assert [s.number for s in target.group()] == list(range(1, 8))
    assert target.goals_label == "ít nhất 3/7 chỉ số: xếp hạng ≤ 10"
    # "8 of these 7" is refused, and so is a group with a single sub-index besides
    bad = client.post(f"/plans/{plan.pk}/targets/new/", data | {"goals-0-min_count": "8"})
    assert "Số chỉ số cần đạt phải từ 1 đến 7." in bad.content.decode()
    bad = client.post(f"/plans/{plan.pk}/targets/new/", data | {"subindex": cstp(8).pk})
    assert "không chọn cả hai" in bad.content.decode()
    assert Target.objects.filter(plan=plan).count() == 1


def test_the_focal_office_enters_a_region_goal_from_the_list(client, people, plan):
    client.force_login(people["carol"])
    form = client.get(f"/plans/{plan.pk}/targets/new/").context["form"]
    region = Region.objects.get(code="btb-dhmt")
    data = {
        "index": cstp(1).index_id,
        "province": form.instance.province_id,
        "year": 2024,
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-kind": "top_in_region",
        "goals-0-value": "3",
        "goals-0-region": region.pk,
    }
    assert client.post(f"/plans/{plan.pk}/targets/new/", data).status_code == 302
    assert Target.objects.get(plan=plan).goals_label == "top 3 vùng Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh)"
    wrong = client.post(f"/plans/{plan.pk}/targets/new/", data | {"goals-0-region": Region.objects.get(code="dnb").pk})
    assert "không thuộc vùng" in wrong.content.decode()
