"""Each goal kind requires exactly its values: in the model's clean and in the plan editor's form."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Region, SubIndex
from indicators.verdicts import REQUIRED
from plans.models import Goal, Target
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db
K = Goal.Kind
GOOD = {
    K.SCORE_GTE: {"value": Decimal("5.8")},
    K.SCORE_GT: {"value": Decimal("64")},
    K.SCORE_UP_BY: {"value": Decimal("2")},
    K.SCORE_IMPROVE: {},
    K.RANK_LTE: {"value": 25},
    K.RANK_BAND: {"low": 20, "high": 30, "out_of": 63},
    K.RANK_UP_BY: {"value": 5},
    K.RANK_IMPROVE: {},
    K.KEEP_RANK: {},
    K.KEEP_LEAD: {},
    K.TOP_IN_REGION: {"value": 3, "region_id": "btb-dhmt"},
    K.TIER: {"tier": "kha"},
    K.INCREASE: {},
}


def values(kind, without=None):
    out = {k: v for k, v in GOOD[kind].items() if k != without and not (without == "region" and k == "region_id")}
    if "region_id" in out:
        out["region_id"] = Region.objects.get(code=out["region_id"]).pk
    return out


def test_every_kind_is_covered():
    assert set(GOOD) == set(K.values) == set(REQUIRED)


@pytest.mark.parametrize("kind", list(GOOD))
def test_a_goal_with_exactly_its_values_is_valid(reference, kind):
    Goal(target=TargetFactory(), kind=kind, **values(kind)).full_clean()


@pytest.mark.parametrize("kind", [k for k in GOOD if GOOD[k]])
def test_a_goal_missing_a_value_is_refused_with_a_vietnamese_message(reference, kind):
    target = TargetFactory()
    for field in REQUIRED[kind]:
        with pytest.raises(ValidationError) as e:
            Goal(target=target, kind=kind, **values(kind, without=field)).full_clean()
        assert field in e.value.message_dict
        assert "cần" in " ".join(e.value.message_dict[field])


@pytest.mark.parametrize("kind", list(GOOD))
def test_a_goal_with_a_value_its_kind_does_not_use_is_refused(reference, kind):
    stray = "tier" if kind != K.TIER else "value"
    given = {**values(kind), stray: "kha" if stray == "tier" else Decimal(3)}
    with pytest.raises(ValidationError) as e:
        Goal(target=TargetFactory(), kind=kind, **given).full_clean()
    assert "hãy để trống" in " ".join(e.value.message_dict[stray])


@pytest.mark.parametrize(
    "kind,given,field",
    [
        (K.RANK_LTE, {"value": Decimal("2.5")}, "value"),
        (K.RANK_UP_BY, {"value": 0}, "value"),
        (K.RANK_BAND, {"low": 30, "high": 20}, "high"),
        (K.RANK_BAND, {"low": 20, "high": 70, "out_of": 63}, "out_of"),
        (K.SCORE_GTE, {"value": Decimal("-1")}, "value"),
    ],
)
def test_values_that_cannot_be_judged_are_refused(reference, kind, given, field):
    with pytest.raises(ValidationError) as e:
        Goal(target=TargetFactory(), kind=kind, **given).full_clean()
    assert field in e.value.message_dict


def test_n_of_these_m_needs_a_group_and_at_most_m(reference):
    single = TargetFactory()
    with pytest.raises(ValidationError) as e:
        Goal(target=single, kind=K.RANK_LTE, value=10, min_count=3).full_clean()
    assert "min_count" in e.value.message_dict
    group = TargetFactory(subindex=None)
    group.subindex_group.set(SubIndex.objects.filter(index__code="PCI", number__lte=7))
    Goal(target=group, kind=K.RANK_LTE, value=10, min_count=3).full_clean()
    with pytest.raises(ValidationError):
        Goal(target=group, kind=K.RANK_LTE, value=10, min_count=8).full_clean()


def test_target_refuses_a_sub_index_of_another_index_and_a_baseline_after_the_year(reference):
    papi = SubIndex.objects.filter(index__code="PAPI").first()
    with pytest.raises(ValidationError) as e:
        TargetFactory.build(subindex=papi, baseline_year=2024, year=2024).full_clean(exclude=["plan"])
    assert {"subindex", "baseline_year"} <= set(e.value.message_dict)


def _post(client, plan, goal):
    subindex = SubIndex.objects.get(index__code="PCI", number=8)
    data = {
        "index": subindex.index_id,
        "subindex": subindex.pk,
        "province": client.get(f"/plans/{plan.pk}/targets/new/").context["form"].instance.province_id,
        "year": 2024,
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        **{f"goals-0-{k}": v for k, v in goal.items()},
    }
    return client.post(f"/plans/{plan.pk}/targets/new/", data)


def test_the_plan_editor_refuses_a_goal_without_its_value_and_keeps_what_was_typed(client, people, plan):
    client.force_login(people["carol"])
    response = _post(client, plan, {"kind": "score_gte", "value": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "cần giá trị" in body
    assert not Target.objects.filter(plan=plan).exists()
    response = _post(client, plan, {"kind": "rank_band", "low": "20", "high": "", "tier": "kha"})
    body = response.content.decode()
    assert "cần hạng đến" in body and "hãy để trống" in body
    assert _post(client, plan, {"kind": "rank_band", "low": "20", "high": "30"}).status_code == 302


def test_the_plan_editor_offers_regions_and_tiers_as_lists(client, people, plan):
    client.force_login(people["carol"])
    body = client.get(f"/plans/{plan.pk}/targets/new/").content.decode()
    assert "Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh, đến năm 2024)" in body
    assert "Bắc Trung Bộ và duyên hải miền Trung (8 tỉnh, từ năm 2025)" in body
    assert "PAPI: Trung bình cao" in body and "PCI: Khá" in body
