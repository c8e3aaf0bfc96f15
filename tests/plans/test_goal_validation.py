"""Each goal kind requires exactly its values: in the model's clean and in the plan editor's form."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import SubIndex
from indicators.verdicts import REQUIRED
from plans.models import Goal, Target
from tests.factories import GOAL_VALUES, ResultFactory, TargetFactory, goal_values

pytestmark = pytest.mark.django_db
K = Goal.Kind


def test_every_kind_is_covered():
    assert set(GOAL_VALUES) == set(K.values) == set(REQUIRED)


@pytest.mark.parametrize("kind", list(GOAL_VALUES))
def test_a_goal_with_exactly_its_values_is_valid(reference, kind):
    Goal(target=TargetFactory(), kind=kind, **goal_values(kind)).full_clean()


@pytest.mark.parametrize("kind", [k for k in GOAL_VALUES if GOAL_VALUES[k]])
def test_a_goal_missing_a_value_is_refused_with_a_vietnamese_message(reference, kind):
    target = TargetFactory()
    for field in REQUIRED[kind]:
        with pytest.raises(ValidationError) as e:
            Goal(target=target, kind=kind, **goal_values(kind, without=field)).full_clean()
        assert field in e.value.message_dict
        assert "cần" in " ".join(e.value.message_dict[field])


@pytest.mark.parametrize("kind", list(GOAL_VALUES))
def test_a_goal_with_a_value_its_kind_does_not_use_is_refused(reference, kind):
    stray = "tier" if kind != K.TIER else "value"
    given = {**goal_values(kind), stray: "kha" if stray == "tier" else Decimal(3)}
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


def test_targets_and_results_refuse_a_year_outside_2000_2100_in_the_words_plans_use(reference):
    """The year bounds have one home (pci_portal.inputs.year_errors), shared with the plan's period."""
    with pytest.raises(ValidationError) as target:
        TargetFactory.build(year=2101, baseline_year=1999).full_clean(exclude=["plan"])
    with pytest.raises(ValidationError) as result:
        ResultFactory.build(year=1999).full_clean()
    words = ["Năm phải trong khoảng 2000–2100."]
    assert target.value.message_dict["year"] == target.value.message_dict["baseline_year"] == words
    assert result.value.message_dict["year"] == words


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
