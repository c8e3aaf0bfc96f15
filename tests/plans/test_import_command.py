"""`manage.py import_plan FILE [--json] [--commit [--create-units] [--focal-unit CODE]]`."""

import json

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Unit
from plans.models import Plan

from .import_docs import SEEDS

pytestmark = pytest.mark.django_db


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_without_commit_it_prints_what_it_read_and_writes_nothing(org):
    before = (Plan.objects.count(), Unit.objects.count())
    text = _run(str(SEEDS["qng"]))
    assert "Số: (chưa có số)   Ký hiệu: KH-SCT" in text
    assert "Thực hiện: 649/QĐ-UBND ngày 2021-07-26" in text
    assert "05/06 [six_month] Báo cáo đánh giá kết quả thực hiện kế hoạch 06 tháng đầu năm" in text
    assert "CHƯA KHỚP" not in text or "Trung tâm" in text  # names it could not match are shown, not dropped
    assert (Plan.objects.count(), Unit.objects.count()) == before


def test_json_holds_every_part_of_the_draft(org):
    data = json.loads(_run(str(SEEDS["tth"]), "--json"))
    assert data["number_suffix"] == "KH-BQLKKT" or data["issuer"]["code"] is None
    assert data["parent"]["number"] == "253/KH-UBND" and data["parent"]["date"] == "2024-06-17"
    assert [r["day"] for r in data["reporting_rules"]] == [1, 15]
    assert data["signer"]["name"] == "Lê Văn Tuệ" and data["signer_title"] == "TRƯỞNG BAN"
    assert data["recipients"][0] == "UBND tỉnh (b/c)"
    assert data["targets"][0]["goals"][0] == {**data["targets"][0]["goals"][0], "kind": "rank_lte", "value": 25}
    tasks = [t for s in data["sections"] for c in s["children"] for g in c["children"] for t in g["tasks"]]
    assert tasks and all({"lead", "coordinating", "leader", "timeframe"} <= set(t) for t in tasks)
    assert data["unused_lines"] == []


def test_commit_refuses_units_it_cannot_match_and_saves_nothing(org):
    with pytest.raises(CommandError) as refused:
        _run(str(SEEDS["qng"]), "--commit")
    assert "Chưa khớp được các đơn vị" in str(refused.value)
    assert "Thanh tra Sở" in str(refused.value)
    assert not Plan.objects.exists()


def test_commit_with_create_units_creates_them_under_the_issuer_and_prints_the_plan(org):
    out = _run(str(SEEDS["qng"]), "--commit", "--create-units", "--focal-unit", "QNG-SCT-KHTCTH")
    plan = Plan.objects.get(tracked=True)
    assert f"id={plan.pk}" in out and plan.issuer == org["sct"]
    assert plan.focal_unit == org["khtcth"]
    inspectorate = Unit.objects.get(name="Thanh tra Sở")
    assert inspectorate.parent == org["sct"] and inspectorate.kind == "inspectorate"
    assert plan.tasks.count() == 21 and plan.reporting_rules.count() == 3
    # Cited plans the portal does not hold yet are kept as reference-only plans, linked.
    assert plan.parent.number == "649/QĐ-UBND" and not plan.parent.tracked


def test_a_bad_file_is_refused_in_vietnamese(tmp_path, org):
    scanned = tmp_path / "ke-hoach.doc"
    scanned.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(CommandError, match="Tệp Word cũ"):
        _run(str(scanned))
