"""The public, read-only progress page of a plan: off by default, switched on by the focal office."""

import datetime
from decimal import Decimal

import pytest

from plans.models import Task
from tests.factories import GoalFactory, ResultFactory, TargetFactory, TaskFactory


@pytest.fixture
def public_plan(plan, task, org, people):
    target = TargetFactory(plan=plan, year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, value=25)
    ResultFactory(year=2024, score=Decimal("6.90"), rank=20, out_of=63)
    TaskFactory(plan=plan, section=task.section, lead_unit=org["qltm"], status=Task.Status.DONE, progress=100)
    people["alice"].email = "alice@sct.quangngai.gov.vn"
    people["alice"].save()
    task.assignees.add(people["alice"])
    return plan


def test_page_is_404_while_switched_off(client, public_plan):
    assert client.get(f"/public/plans/{public_plan.key}/").status_code == 404


def test_focal_office_switches_it_on_and_anyone_reads_it_without_personal_data(client, people, public_plan):
    client.force_login(people["carol"])
    client.post(f"/dashboard/plans/{public_plan.pk}/public/")
    client.logout()
    response = client.get(f"/public/plans/{public_plan.key}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "CSTP 8: Chính sách hỗ trợ doanh nghiệp" in body and "xếp hạng ≤ 25" in body
    assert "hạng 20/63" in body and "Đạt" in body
    assert "Nhiệm vụ giải pháp hỗ trợ doanh nghiệp xúc tiến thương mại" in body
    assert "Đã hoàn thành 1/2 nhiệm vụ." in body
    for personal in ["Đỗ Tiến Đạt", "Nguyễn Thị Alice", "Lê Thị Cúc", "@", "alice"]:
        assert personal not in body.split("<main", 1)[1]

    client.force_login(people["carol"])
    client.post(f"/dashboard/plans/{public_plan.pk}/public/")
    client.logout()
    assert client.get(f"/public/plans/{public_plan.key}/").status_code == 404


@pytest.mark.parametrize("who,status", [("dave", 403), ("alice", 403), ("eve", 404)])
def test_only_the_focal_office_may_switch_it(client, people, public_plan, who, status):
    client.force_login(people[who])
    assert client.post(f"/dashboard/plans/{public_plan.pk}/public/").status_code == status
    public_plan.refresh_from_db()
    assert public_plan.is_public is False


def test_unknown_plan_is_404(client, db):
    assert client.get("/public/plans/khong-co/").status_code == 404


def test_overdue_count_per_section(client, public_plan, org):
    TaskFactory(plan=public_plan, lead_unit=org["qltm"], due_date=datetime.date(2000, 1, 1))
    public_plan.is_public = True
    public_plan.save()
    sections = client.get(f"/public/plans/{public_plan.key}/").context["sections"]
    assert sum(s.overdue_count for s in sections) == 1
