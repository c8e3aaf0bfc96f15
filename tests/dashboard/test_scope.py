"""The access rules the dashboard reads through: the right rows, each once, without DISTINCT."""

import pytest

from accounts.models import User
from plans.models import Plan, Task
from tests.factories import PlanFactory, TaskFactory, UserFactory


@pytest.fixture
def spread(org, plan, task):
    stp_plan = PlanFactory(issuer=org["stp"])
    TaskFactory(plan=stp_plan, lead_unit=org["stp_hc"])
    coordinated = TaskFactory(plan=PlanFactory(issuer=org["stp"]), lead_unit=org["stp_hc"])
    coordinated.coordinating_units.add(org["qltm"], org["qlxnk"])  # two units of SCT: no duplicate rows
    TaskFactory(plan=PlanFactory(issuer=org["ubnd"]), lead_unit=org["qlxnk"])
    PlanFactory(issuer=org["stp"])  # a plan with no tasks


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "eve", "admin", "province_leader"])
def test_visible_rows_come_once_each(people, org, spread, who):
    if who == "province_leader":
        user = UserFactory(username="pl", role=User.Role.LEADER, unit=org["ubnd"])
    else:
        user = people[who]
    tasks = list(Task.objects.visible_to(user).values_list("pk", flat=True))
    plans = list(Plan.objects.visible_to(user).values_list("pk", flat=True))
    assert len(tasks) == len(set(tasks)) and len(plans) == len(set(plans))
    assert "DISTINCT" not in str(Task.objects.visible_to(user).query)


def test_a_task_coordinated_by_the_agency_is_visible_but_another_agencys_own_is_not(people, org, spread):
    alice, eve = people["alice"], people["eve"]
    coordinated = Task.objects.get(coordinating_units=org["qlxnk"], plan__issuer=org["stp"])
    stp_only = Task.objects.filter(plan__issuer=org["stp"]).exclude(pk=coordinated.pk).get()
    assert coordinated in Task.objects.visible_to(alice) and stp_only not in Task.objects.visible_to(alice)
    assert coordinated.plan in Plan.objects.visible_to(alice) and stp_only.plan not in Plan.objects.visible_to(alice)
    assert stp_only in Task.objects.visible_to(eve)
    assert Task.objects.filter(plan__issuer=org["sct"]).first() not in Task.objects.visible_to(eve)
