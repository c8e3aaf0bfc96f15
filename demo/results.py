"""Illustrative PCI results for the demo ("số liệu minh họa"): made up, never VCCI's published figures.

The demo plans set targets for Thừa Thiên Huế (Huế) and Quảng Ngãi on the PCI and its sub-index 8 for
2021–2025, so without results the dashboard has no trend charts and every verdict reads "Chưa có kết quả".
This module writes, for every PCI edition from 2020 up to the last one published before the day the demo is
loaded, an overall score, rank and governance group and the ten sub-index scores and ranks of every province
the edition ranks (63 up to 2024, the 34 units from 2025), so that ranks, the national median and the leading
province are consistent with one another.

Every row is flagged `Result.illustrative` and carries `SOURCE`, so pages, reports and e-mails read
"số liệu minh họa" beside it. The figures come from a seeded generator (the same on every run); the ranks
of the demo provinces are chosen (`PINS`) so that the demo plans show targets met and not met. An edition that
already holds results that are not illustrative (imported from a published table) is left alone, and
importing a published table later replaces the illustrative rows it covers.
"""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.models import Index, Province, Result, SubIndex, weighted_total

SOURCE = "Số liệu minh họa của bản demo, không phải kết quả PCI do VCCI công bố"
FIRST_YEAR, LAST_YEAR = 2020, 2025

# Ranks the demo provinces get: {province code: {year: {None (overall PCI) or sub-index number: rank}}}.
# Huế's CSTP 8 rank of 2023 is the baseline its 2024 plan states (32/63); it reaches 22 in 2024 (goal: ≤ 25).
# Quảng Ngãi climbs into 20–30 in 2021 with CSTP 8 up from 41 to 35; the merged Quảng Ngãi of 2025 misses
# its CSTP 8 goal (≤ 20 of 34).
PINS = {
    "HUE": {
        2020: {None: 30, 8: 35},
        2021: {None: 28, 8: 33},
        2022: {None: 27, 8: 30},
        2023: {None: 29, 8: 32},
        2024: {None: 24, 8: 22},
        2025: {None: 12, 8: 11},
    },
    "QNG": {
        2020: {None: 38, 8: 41},
        2021: {None: 27, 8: 35},
        2022: {None: 25, 8: 31},
        2023: {None: 26, 8: 28},
        2024: {None: 22, 8: 24},
    },
    "QNG25": {2025: {None: 17, 8: 23}},
}

# The national level of sub-index scores rises a little edition by edition (0–10 scale).
LEVEL = {2020: Decimal("6.2"), 2021: Decimal("6.3"), 2022: Decimal("6.35"), 2023: Decimal("6.4")}
LEVEL_AFTER = Decimal("6.45")
# Governance groups by the overall score (illustrative bands, best first).
TIER_BANDS = [(73, "rat_tot"), (69, "tot"), (64, "kha"), (60, "trung_binh"), (56, "tuong_doi_thap"), (0, "thap")]
STEP = Decimal("0.01")


def published_years(today):
    """The editions out by `today`: the PCI of a year is published in the spring of the next."""
    return range(FIRST_YEAR, min(LAST_YEAR, today.year - 1) + 1)


def tier_for(score):
    return next(code for floor, code in TIER_BANDS if score >= floor)


def _clamp(value):
    return min(max(value, Decimal("1.00")), Decimal("9.90")).quantize(STEP)


def _rank(value, others):
    """Competition ranking: 1 + how many score strictly higher."""
    return 1 + sum(1 for o in others if o > value)


def _between(others, rank):
    """A value that ranks `rank` among `others` (those above it higher, those below lower)."""
    ordered = sorted(others, reverse=True)
    if rank <= 1:
        return ordered[0] + Decimal("0.2")
    if rank > len(ordered):
        return ordered[-1] - Decimal("0.2")
    return (ordered[rank - 2] + ordered[rank - 1]) / 2


def _sub_scores(province, year, numbers):
    """A province's ten sub-index scores: a steady quality of its own plus this year's noise."""
    quality = Decimal(str(round(random.Random(f"pci-demo-{province.code}").uniform(-1.1, 1.1), 2)))
    noise = random.Random(f"pci-demo-{province.code}-{year}")
    level = LEVEL.get(year, LEVEL_AFTER)
    return {n: _clamp(level + quality + Decimal(str(round(noise.gauss(0, 0.6), 2)))) for n in numbers}


def _place(value, column, rank):
    """A score that ranks `rank` in `column` (sharing it when the scores around it are a hundredth apart)."""
    value = _clamp(_between(column, rank))
    while _rank(value, column) > rank:
        value += STEP
    while _rank(value, column) < rank:
        value -= STEP
    return value


def edition(year, provinces, weights, pins=PINS):
    """{province: {None: total, n: score}} for one edition, the pinned provinces at their ranks.

    The pinned provinces are placed best first, each among the provinces not pinned and those placed
    before it, so that they do not push one another off their ranks.
    """
    numbers = sorted(weights)
    scores = {p: _sub_scores(p, year, numbers) for p in provinces}
    pinned = {p: pins[p.code][year] for p in provinces if year in pins.get(p.code, {})}
    free = [p for p in provinces if p not in pinned]
    for n in numbers:
        placed = list(free)
        for p in sorted((p for p in pinned if n in pinned[p]), key=lambda p: pinned[p][n]):
            scores[p][n] = _place(scores[p][n], [scores[q][n] for q in placed], pinned[p][n])
            placed.append(p)
    placed = list(free)
    for p in sorted((p for p in pinned if None in pinned[p]), key=lambda p: pinned[p][None]):
        rank, totals = pinned[p][None], [weighted_total(scores[q], weights) for q in placed]
        adjustable = [n for n in numbers if n not in pinned[p]]
        shift = (_between(totals, rank) - weighted_total(scores[p], weights)) * 10 / sum(weights[n] for n in adjustable)
        for n in adjustable:
            scores[p][n] = _clamp(scores[p][n] + shift)
        heaviest = max(adjustable, key=lambda n: weights[n])
        while _rank(weighted_total(scores[p], weights), totals) > rank:
            scores[p][heaviest] += STEP
        while _rank(weighted_total(scores[p], weights), totals) < rank:
            scores[p][heaviest] -= STEP
        placed.append(p)
    for p in provinces:
        scores[p][None] = weighted_total(scores[p], weights)
    return scores


@transaction.atomic
def add_illustrative_results(today=None):
    """(Re)write the illustrative PCI results of the editions out by `today`; returns (years, rows written)."""
    today = today or timezone.localdate()
    pci = Index.objects.get(code="PCI")
    subindices = {s.number: s for s in SubIndex.objects.filter(index=pci)}
    weights = SubIndex.objects.pci_weights()
    if not weights or set(weights) != set(subindices):
        return [], 0
    results, years = [], []
    for year in published_years(today):
        stored = Result.objects.filter(index=pci, year=year)
        if stored.filter(illustrative=False).exists():
            continue  # published results were imported for this edition: never mix made-up ones in
        stored.delete()
        years.append(year)
        provinces = list(Province.objects.in_edition_year(year).order_by("code"))
        scores = edition(year, provinces, weights)
        for subject in [None, *sorted(subindices)]:
            column = {p: scores[p][subject] for p in provinces}
            values = list(column.values())
            for p, score in column.items():
                results.append(
                    Result(
                        province=p,
                        year=year,
                        index=pci,
                        subindex=subindices[subject] if subject else None,
                        score=score,
                        rank=_rank(score, values),
                        out_of=len(provinces),
                        tier=tier_for(score) if subject is None else "",
                        source=SOURCE,
                        illustrative=True,
                    )
                )
    Result.objects.bulk_create(results)
    return years, len(results)
