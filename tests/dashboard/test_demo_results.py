"""A fresh demo has PCI results to chart and judge, every one of them marked "số liệu minh họa"."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from demo.results import PINS, SOURCE
from indicators.importing import save_results
from indicators.models import Province, Result, SubIndex
from tests.factories import ResultFactory, UserFactory, province
from tests.html import by_id, parse, select, text

pytestmark = pytest.mark.django_db

SOME_DAY = datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def demo(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(SOME_DAY, tick=False):
        out = StringIO()
        call_command("load_demo", force=True, stdout=out, stderr=StringIO())
        yield out.getvalue()


def _login(client, username):
    from accounts.models import User

    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def qng_leader(client, demo):
    return _login(client, "qng.lanhdao")


def _dashboard(client, plan_key):
    from plans.models import Plan

    plan = Plan.objects.get(key=plan_key)
    with time_machine.travel(SOME_DAY, tick=False):
        return client.get(f"/dashboard/?plan={plan.pk}")


def test_the_dashboard_of_a_fresh_demo_charts_the_results_and_says_they_are_illustrative(qng_leader):
    response = _dashboard(qng_leader, "qng-sct-2021")
    assert response.status_code == 200
    data = json.loads(by_id(response, "dashboard-data").text)
    charts = {c["label"]: c for c in data["subjects"]}
    overall = charts["PCI (tổng)"]
    # Quảng Ngãi as it was up to 30/6/2025 has no result of its own in the 2025 edition (of the 34 units).
    assert overall["years"] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert overall["rank"] == [PINS["QNG"][y][None] for y in range(2020, 2025)] + [None]
    assert all(m is not None for m in overall["median"]) and all(b is not None for b in overall["best"])
    assert "số liệu minh họa" in text(by_id(response, "h-trend"))
    assert "không phải kết quả PCI do VCCI công bố" in text(by_id(response, "illustrative-note"))
    # Every verdict is judged on illustrative results and says so beside its badge.
    rows = select(response, '//table[@id="targets"]/tbody/tr')
    verdicts = [text(row.xpath("./td[last()]")[0]) for row in rows]
    assert any(v.startswith("Đạt") for v in verdicts) and any(v.startswith("Không đạt") for v in verdicts)
    assert all("số liệu minh họa" in v for v in verdicts if not v.startswith("Chưa có kết quả"))
    results = [text(row.xpath("./td")[2]) for row in rows]
    assert all(r.endswith("số liệu minh họa") for r in results)


def test_hue_reaches_its_2024_goal_from_the_baseline_its_plan_states(client, demo):
    hue = Province.objects.get(code="HUE")
    cstp8 = SubIndex.objects.get(index__code="PCI", number=8)
    ranks = dict(Result.objects.filter(province=hue, subindex=cstp8).values_list("year", "rank"))
    assert ranks[2023] == 32  # the plan: "năm 2023 xếp thứ 32/63"
    assert ranks[2024] == 22
    _login(client, "tth.lanhdao")
    response = _dashboard(client, "tth-bql-2024")
    [row] = select(response, '//table[@id="targets"]/tbody/tr')
    assert text(row.xpath("./td[last()]")[0]).startswith("Đạt số liệu minh họa")
    assert "hạng 22/63" in text(row.xpath("./td")[2])


def test_loading_again_keeps_published_results_and_never_mixes_editions(demo):
    qng = province("Quảng Ngãi")
    overall = Result.objects.pci().overall().get(province=qng, year=2023)
    save_results(2023, 63, [{"province_id": qng.pk, "values": [(None, "61.5", 40)], "tier": ""}], source="VCCI 2023")
    overall.refresh_from_db()
    assert (overall.score, overall.rank, overall.illustrative) == (Decimal("61.50"), 40, False)
    with time_machine.travel(SOME_DAY, tick=False):
        call_command("load_demo", force=True, stdout=StringIO(), stderr=StringIO())
    overall.refresh_from_db()
    assert (overall.score, overall.rank, overall.illustrative, overall.source) == (
        Decimal("61.50"),
        40,
        False,
        "VCCI 2023",
    )
    # The rest of 2023 was left as it was, and the other editions were written again.
    assert Result.objects.filter(year=2023).count() == 63 * 11
    assert Result.objects.filter(year=2024, illustrative=True).count() == 63 * 11


def test_every_demo_result_is_marked_illustrative_and_ranked_by_its_score(client, demo):
    assert "Kết quả PCI minh họa 2020–2025" in demo and "không phải kết quả VCCI công bố" in demo
    assert not Result.objects.filter(illustrative=False).exists()
    assert set(Result.objects.values_list("source", flat=True)) == {SOURCE}
    for year, size in ((2024, 63), (2025, 34)):
        overall = list(Result.objects.pci().overall().filter(year=year).values_list("score", "rank", "out_of"))
        assert len(overall) == size
        scores = [s for s, _r, _o in overall]
        assert all(rank == 1 + sum(1 for s in scores if s > score) for score, rank, _o in overall)
        assert {o for _s, _r, o in overall} == {size}
    # The overall score is the weighted total of the sub-index scores, as the what-if recomputes it.
    qng = province("Quảng Ngãi")
    total = Result.objects.pci().overall().get(province=qng, year=2021).score
    assert total == Result.objects.weighted_total(qng, 2021)
    # The results page and a result's page say so too.
    client.force_login(UserFactory(username="keeper", role="admin", unit=None))
    page = client.get("/indicators/results/?year=2024")
    assert "Các ô đánh dấu * là số liệu giả định" in text(by_id(page, "illustrative-note"))
    result = Result.objects.filter(year=2024, illustrative=True).first()
    edit = client.get(f"/indicators/results/{result.pk}/edit/")
    assert "Số liệu giả định của bản demo" in text(by_id(edit, "illustrative-note"))


def test_a_published_result_reads_without_the_illustrative_note(db):
    from indicators.models import result_text

    published = ResultFactory(score=Decimal("6.5"), rank=20)
    made_up = ResultFactory(province=province("Bình Định"), score=Decimal("6.5"), rank=20, illustrative=True)
    assert result_text(published) == "hạng 20/63 · 6,5 điểm"
    assert result_text(made_up) == "hạng 20/63 · 6,5 điểm · số liệu minh họa"
    assert "minh họa" not in text(parse(f"<p>{result_text(None)}</p>"))
