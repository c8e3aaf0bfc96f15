"""The what-if gives the rank the new PCI total would have, not only the score."""

from decimal import Decimal

import pytest

from indicators.models import SubIndex
from tests.factories import ResultFactory, province
from tests.html import by_id, parse, text

QUANG_NINH_2021 = [7.98, 7.39, 6.31, 8.52, 7.85, 6.96, 7.74, 7.39, 7.27, 7.91]  # weighted total 73,04


def cstp(n):
    return SubIndex.objects.get(index__code="PCI", number=n)


@pytest.fixture
def results_2021(db):
    qn = province("Quảng Ninh")
    for n, score in enumerate(QUANG_NINH_2021, start=1):
        ResultFactory(province=qn, year=2021, subindex=cstp(n), score=Decimal(str(score)), rank=None)
    ResultFactory(province=qn, year=2021, subindex=None, score=Decimal("73.04"), rank=3)
    for name, score in [("Hải Phòng", "74.5"), ("Đà Nẵng", "73.5"), ("Bình Dương", "72.0"), ("Long An", "70.0")]:
        ResultFactory(province=province(name), year=2021, subindex=None, score=Decimal(score), rank=None)
    return qn


def test_what_if_shows_the_rank_the_new_total_would_have(client, people, results_2021):
    client.force_login(people["dave"])
    body = client.get(f"/dashboard/what-if/?province={results_2021.pk}&subindex=8&score=8,39")
    assert text(by_id(body, "what-if-total")) == "75,04"
    # 75,04 passes Hải Phòng (74,5) and Đà Nẵng (73,5): first of the 63; now (73,04) third.
    assert text(by_id(body, "what-if-rank")) == "1/63"
    assert "(hiện 3/63)" in text(parse(body))


def test_what_if_says_when_the_scores_are_illustrative(client, people, results_2021):
    from indicators.models import Result

    client.force_login(people["dave"])
    plain = client.get(f"/dashboard/what-if/?province={results_2021.pk}&subindex=8&score=6")
    assert "minh họa" not in text(parse(plain))
    Result.objects.update(illustrative=True)
    marked = client.get(f"/dashboard/what-if/?province={results_2021.pk}&subindex=8&score=6")
    assert "số liệu minh họa" in text(parse(marked))
    assert text(by_id(marked, "what-if-rank")) == "4/63"  # 71,26: below Bình Dương (72,0), above Long An
