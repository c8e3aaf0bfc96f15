"""Who reads what, for every role and every kind of unit (`User.reading_scope`, the one place that decides)."""

import pytest

from accounts.models import Unit, User
from plans.models import Plan, Task
from tests.factories import PlanFactory, TaskFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# label: (kind, parent label)
TREE = {
    "root": (Unit.Kind.PEOPLE_COMMITTEE, None),
    "vp_ubnd": (Unit.Kind.OFFICE, "root"),
    "department": (Unit.Kind.DEPARTMENT, "root"),
    "division": (Unit.Kind.DIVISION, "department"),
    "office": (Unit.Kind.OFFICE, "department"),
    "centre": (Unit.Kind.CENTRE, "department"),
    "board": (Unit.Kind.BOARD, "root"),
    "board_division": (Unit.Kind.DIVISION, "board"),
    "district": (Unit.Kind.DISTRICT, "root"),
    "district_division": (Unit.Kind.DIVISION, "district"),
    "group": (Unit.Kind.GROUP, "root"),
    "enterprise": (Unit.Kind.ENTERPRISE, "root"),
}
EVERYTHING = set(TREE)
AGENCY_OF = {
    "root": {"root", "vp_ubnd"},
    "vp_ubnd": {"root", "vp_ubnd"},
    "department": {"department", "division", "office", "centre"},
    "division": {"department", "division", "office", "centre"},
    "office": {"department", "division", "office", "centre"},
    "centre": {"department", "division", "office", "centre"},
    "board": {"board", "board_division"},
    "board_division": {"board", "board_division"},
    "district": {"district", "district_division"},
    "district_division": {"district", "district_division"},
    "group": {"group"},
    "enterprise": {"enterprise"},
}


@pytest.fixture
def province(reference):
    """A province with a unit of every kind, and in each unit a plan it issues with one task it leads."""
    units = {}
    for label, (kind, parent) in TREE.items():
        units[label] = UnitFactory(code=f"T-{label}", name=f"Đơn vị {label}", kind=kind, parent=units.get(parent))
    tasks = {}
    for label, unit in units.items():
        tasks[label] = TaskFactory(plan=PlanFactory(issuer=unit), lead_unit=unit, title=f"Nhiệm vụ của {label}")
    # Another province: nobody of ours reads it.
    other = UnitFactory(code="O-root", kind=Unit.Kind.PEOPLE_COMMITTEE)
    TaskFactory(plan=PlanFactory(issuer=other), lead_unit=other, title="Nhiệm vụ tỉnh khác")
    return units, tasks


def read_by(user, tasks):
    visible = set(Task.objects.visible_to(user).values_list("pk", flat=True))
    plans = set(Plan.objects.visible_to(user).values_list("pk", flat=True))
    labels = {label for label, t in tasks.items() if t.pk in visible}
    assert labels == {label for label, t in tasks.items() if t.plan_id in plans}
    return labels


ROLES_READING_THEIR_AGENCY = [User.Role.OFFICIAL, User.Role.UNIT_HEAD, User.Role.FOCAL, User.Role.AGENCY_ADMIN]


@pytest.mark.parametrize("label", list(TREE))
def test_everyone_but_province_leadership_reads_only_their_own_agency(province, label):
    units, tasks = province
    for role in ROLES_READING_THEIR_AGENCY:
        user = UserFactory(role=role, unit=units[label])
        assert read_by(user, tasks) == AGENCY_OF[label], role


@pytest.mark.parametrize("label", list(TREE))
def test_a_leader_reads_the_whole_province_only_at_the_peoples_committee(province, label):
    units, tasks = province
    leader = UserFactory(role=User.Role.LEADER, unit=units[label])
    assert read_by(leader, tasks) == (EVERYTHING if label == "root" else AGENCY_OF[label])


@pytest.mark.parametrize("label", ["root", "vp_ubnd", "department"])
def test_the_province_administrator_reads_the_whole_province_and_no_other(province, label):
    units, tasks = province
    assert read_by(UserFactory(role=User.Role.PROVINCE_ADMIN, unit=units[label]), tasks) == EVERYTHING
    assert "Nhiệm vụ tỉnh khác" not in Task.objects.visible_to(
        UserFactory(role=User.Role.PROVINCE_ADMIN, unit=units[label])
    ).values_list("title", flat=True)


def test_portal_administrator_reads_everything_and_nobody_without_a_unit_reads_anything(province):
    _units, tasks = province
    admin = UserFactory(role=User.Role.ADMIN, unit=None)
    assert read_by(admin, tasks) == EVERYTHING and Task.objects.visible_to(admin).count() == len(TREE) + 1
    assert read_by(UserFactory(role=User.Role.OFFICIAL, unit=None), tasks) == set()


def test_a_task_coordinated_by_a_unit_of_the_agency_is_read_by_it(province):
    units, tasks = province
    tasks["district"].coordinating_units.add(units["enterprise"])
    official = UserFactory(role=User.Role.OFFICIAL, unit=units["enterprise"])
    assert read_by(official, tasks) == {"enterprise", "district"}
