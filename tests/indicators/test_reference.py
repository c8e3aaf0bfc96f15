"""Reference data every installation gets: the PCI framework and the provinces before and after 2025."""

import pytest

from indicators.importing import ProvinceMatcher
from indicators.models import Index, Province, SubIndex

pytestmark = pytest.mark.django_db


def test_pci_has_ten_weighted_sub_indices_summing_to_100(reference):
    subs = SubIndex.objects.filter(index__code="PCI")
    assert [s.number for s in subs] == list(range(1, 11))
    assert [int(s.weight) for s in subs] == [5, 5, 20, 5, 10, 5, 5, 20, 20, 5]


def test_cstp8_keeps_its_pre_2021_name_and_24_indicators(reference):
    cstp8 = SubIndex.objects.get(index__code="PCI", number=8)
    assert cstp8.name_for(2020) == "Dịch vụ hỗ trợ doanh nghiệp"
    assert cstp8.name_for(2024) == "Chính sách hỗ trợ doanh nghiệp"
    assert cstp8.indicators.count() == 24


def test_other_indices_a_plan_may_target(reference):
    assert {"PCI", "PGI", "PAPI", "PAR_INDEX", "SIPAS", "DDCI"} <= set(Index.objects.values_list("code", flat=True))


def test_63_provinces_before_and_34_after_the_2025_merger(reference):
    assert Province.objects.filter(valid_from__isnull=True).count() == 63
    assert Province.objects.filter(valid_to__isnull=True).count() == 34
    assert Province.objects.filter(successor__isnull=False).count() == 52  # merged into 23 new ones


def test_merged_provinces_point_to_the_new_one(reference):
    quang_ngai = Province.objects.get(name="Quảng Ngãi", valid_from__isnull=False)
    assert set(quang_ngai.merged_from.values_list("name", flat=True)) == {"Quảng Ngãi", "Kon Tum"}


def test_thua_thien_hue_was_renamed_not_merged(reference):
    hue = Province.objects.get(code="HUE")
    assert hue.successor is None and hue.valid_to is None
    assert ProvinceMatcher(out_of=34).find("Huế") == hue
    assert ProvinceMatcher(out_of=63).find("Thừa Thiên Huế") == hue
