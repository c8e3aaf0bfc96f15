from decimal import Decimal

import pytest

from indicators.models import Result, SubIndex, weighted_total
from tests.factories import ResultFactory, province

QUANG_NINH_2021 = [7.98, 7.39, 6.31, 8.52, 7.85, 6.96, 7.74, 7.39, 7.27, 7.91]


def test_quang_ninh_2021_weighted_total_agrees_with_the_published_total(reference):
    total = weighted_total(dict(enumerate(QUANG_NINH_2021, start=1)))
    assert total == Decimal("73.04")
    assert abs(total - Decimal("73.02")) <= Decimal("0.05")


def test_weights_are_those_of_the_2021_methodology(reference):
    assert SubIndex.objects.pci_weights() == {
        n: Decimal(w) for n, w in zip(range(1, 11), [5, 5, 20, 5, 10, 5, 5, 20, 20, 5], strict=True)
    }


def test_total_is_unknown_while_a_sub_index_score_is_missing(reference):
    assert weighted_total({1: 7}) is None


@pytest.mark.django_db
def test_weighted_total_from_stored_results(reference):
    qn = province("Quảng Ninh")
    for number, score in enumerate(QUANG_NINH_2021, start=1):
        ResultFactory(
            province=qn,
            year=2021,
            subindex=SubIndex.objects.get(index__code="PCI", number=number),
            score=Decimal(str(score)),
        )
    assert Result.objects.weighted_total(qn, 2021) == Decimal("73.04")
