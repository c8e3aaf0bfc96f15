"""The dashboard's fast scope queries return exactly the rows of the portal's access rules."""

import pytest

from accounts.models import User
from dashboard.queries import visible_plans, visible_tasks
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
def test_scope_matches_visible_to(people, org, spread, who):
    if who == "province_leader":
        user = UserFactory(username="pl", role=User.Role.LEADER, unit=org["ubnd"])
    else:
        user = people[who]
    assert sorted(visible_tasks(user).values_list("pk", flat=True)) == sorted(
        Task.objects.visible_to(user).values_list("pk", flat=True)
    )
    assert sorted(visible_plans(user).values_list("pk", flat=True)) == sorted(
        Plan.objects.visible_to(user).values_list("pk", flat=True)
    )
