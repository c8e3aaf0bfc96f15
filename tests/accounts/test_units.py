"""Units in the portal: tree, create (code generated), rename, move (the subtree's paths, agency and visibility
follow), close, merge (users, tasks and reports move; the old unit stays). A province administrator manages only
their province: 404 on another province's units."""

import pytest
from django.urls import reverse

from accounts.models import Unit, User
from indicators.models import Province
from plans.models import Task
from tests.factories import PlanFactory, TaskFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(org):
    other_root = UnitFactory(code="TTH-UBND", name="UBND tỉnh Thừa Thiên Huế", kind=Unit.Kind.PEOPLE_COMMITTEE)
    other_dept = UnitFactory(code="TTH-SCT", name="Sở Công Thương Huế", kind=Unit.Kind.DEPARTMENT, parent=other_root)
    return {
        "qng": UserFactory(username="qng.quantri", role=User.Role.PROVINCE_ADMIN, unit=org["ubnd"]),
        "sct": UserFactory(username="sct.quantri", role=User.Role.AGENCY_ADMIN, unit=org["khtcth"]),
        "tth": UserFactory(username="tth.quantri", role=User.Role.PROVINCE_ADMIN, unit=other_root),
        "other_root": other_root,
        "other_dept": other_dept,
    }


def test_a_province_administrator_creates_a_unit_whose_code_is_generated(client, org, admins):
    client.force_login(admins["qng"])
    response = client.post(
        reverse("people:unit_create"),
        {
            "name": "Phòng Quản lý công nghiệp",
            "abbreviation": "",
            "kind": "division",
            "parent": org["sct"].pk,
            "order": 0,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Phòng Quản lý công nghiệp")
    assert unit.code == "QNG-SCT-PQLCN" and unit.path == "/QNG-UBND/QNG-SCT/QNG-SCT-PQLCN/"
    assert unit.agency == org["sct"]
    page = client.get(reverse("people:unit_list")).content.decode()
    assert "Phòng Quản lý công nghiệp" in page and "QNG-SCT-PQLCN" in page
    assert "Sở Công Thương Huế" not in page  # another province's units are not in the tree


def test_a_second_unit_with_the_same_initials_gets_its_own_code(org):
    a = Unit.objects.create(name="Phòng Đầu tư", kind="division", parent=org["sct"])
    b = Unit.objects.create(name="Phòng Đô thị", kind="division", parent=org["sct"])
    assert (a.code, b.code) == ("QNG-SCT-PDT", "QNG-SCT-PDT-2")


def test_a_province_administrator_gets_404_on_another_provinces_units(client, org, admins):
    client.force_login(admins["qng"])
    theirs = admins["other_dept"]
    for name in ("people:unit_edit", "people:unit_move", "people:unit_merge"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    assert client.post(reverse("people:unit_set_active", args=[theirs.pk]), {"active": "0"}).status_code == 404
    assert client.get(reverse("people:unit_list"), {"root": admins["other_root"].pk}).status_code == 404
    # …and may not place a new unit under it.
    response = client.post(reverse("people:unit_create"), {"name": "X", "kind": "division", "parent": theirs.pk})
    assert response.status_code == 200 and not Unit.objects.filter(name="X").exists()


def test_an_agency_administrator_manages_only_their_agency(client, org, admins):
    client.force_login(admins["sct"])
    assert client.get(reverse("people:unit_edit", args=[org["qltm"].pk])).status_code == 200
    assert client.get(reverse("people:unit_edit", args=[org["stp_hc"].pk])).status_code == 404
    assert client.get(reverse("people:unit_edit", args=[org["ubnd"].pk])).status_code == 404


def test_people_without_an_administrator_role_get_403_on_the_lists_and_404_on_units(client, people, org):
    for who in ("alice", "bob", "carol", "dave"):
        client.force_login(people[who])
        assert client.get(reverse("people:unit_list")).status_code == 403
        assert client.get(reverse("people:unit_edit", args=[org["qltm"].pk])).status_code == 404


def test_renaming_keeps_the_code(client, org, admins):
    client.force_login(admins["qng"])
    unit = org["qltm"]
    response = client.post(
        reverse("people:unit_edit", args=[unit.pk]),
        {"name": "Phòng Thương mại", "short_name": "", "abbreviation": "", "kind": "division", "order": 0},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Phòng Thương mại" and unit.code == "QNG-SCT-QLTM"


def test_moving_a_unit_moves_its_subtrees_paths_agency_and_visibility(client, org, admins, reference):
    team = UnitFactory(code="QNG-SCT-QLTM-T1", name="Tổ xúc tiến", kind=Unit.Kind.DIVISION, parent=org["qltm"])
    task = TaskFactory(plan=PlanFactory(issuer=org["sct"]), lead_unit=team, title="Việc của tổ xúc tiến")
    sct_official = UserFactory(role=User.Role.OFFICIAL, unit=org["qlxnk"])
    stp_official = UserFactory(role=User.Role.OFFICIAL, unit=org["stp_hc"])
    team_member = UserFactory(role=User.Role.OFFICIAL, unit=team)
    other = TaskFactory(plan=PlanFactory(issuer=org["stp"]), lead_unit=org["stp_hc"], title="Việc của Sở Tư pháp")
    assert task in Task.objects.visible_to(team_member) and other not in Task.objects.visible_to(team_member)

    client.force_login(admins["qng"])
    response = client.post(reverse("people:unit_move", args=[org["qltm"].pk]), {"parent": org["stp"].pk})
    assert response.status_code == 302

    team.refresh_from_db()
    assert team.path == "/QNG-UBND/QNG-STP/QNG-SCT-QLTM/QNG-SCT-QLTM-T1/" and team.agency == org["stp"]
    # The plan stays SCT's (it issued it), but the team's own work is now read by the Sở Tư pháp, not by SCT's
    # other divisions; and the team reads the Sở Tư pháp's work.
    task.plan.issuer = org["stp"]
    task.plan.save()
    assert task in Task.objects.visible_to(stp_official)
    assert task not in Task.objects.visible_to(sct_official)
    assert other in Task.objects.visible_to(team_member)


def test_a_unit_cannot_move_under_itself(client, org, admins):
    team = UnitFactory(code="QNG-SCT-QLTM-T1", name="Tổ", kind=Unit.Kind.DIVISION, parent=org["qltm"])
    client.force_login(admins["qng"])
    response = client.post(reverse("people:unit_move", args=[org["qltm"].pk]), {"parent": team.pk})
    assert response.status_code == 200
    org["qltm"].refresh_from_db()
    assert org["qltm"].parent == org["sct"]


def test_closing_a_unit_with_active_users_is_refused_in_vietnamese(client, people, org, admins):
    client.force_login(admins["qng"])
    response = client.post(reverse("people:unit_set_active", args=[org["qltm"].pk]), {"active": "0"}, follow=True)
    assert "Đơn vị còn người dùng đang hoạt động" in response.content.decode()
    org["qltm"].refresh_from_db()
    assert org["qltm"].is_active
    empty = UnitFactory(code="QNG-SCT-TRONG", name="Phòng trống", parent=org["sct"])
    client.post(reverse("people:unit_set_active", args=[empty.pk]), {"active": "0"})
    empty.refresh_from_db()
    assert not empty.is_active and Unit.objects.filter(pk=empty.pk).exists()


def test_merging_moves_users_tasks_and_reports_and_keeps_the_old_unit(client, people, org, admins, task):
    from tests.factories import ReportingRuleFactory, SubmissionFactory

    rule = ReportingRuleFactory(plan=task.plan, to_unit=org["khtcth"])
    rule.from_units.add(org["qltm"])
    submission = SubmissionFactory(deadline=rule.deadline_for(2024), unit=org["qltm"])
    client.force_login(admins["qng"])
    response = client.post(reverse("people:unit_merge", args=[org["qltm"].pk]), {"successor": org["qlxnk"].pk})
    assert response.status_code == 302

    old = Unit.objects.get(pk=org["qltm"].pk)
    assert not old.is_active and old.merged_into == org["qlxnk"]
    for who in ("alice", "bob"):
        people[who].refresh_from_db()
        assert people[who].unit == org["qlxnk"]
    task.refresh_from_db()
    assert task.lead_unit == org["qlxnk"] and list(task.coordinating_units.all()) == [org["qlxnk"]]
    assert list(rule.from_units.all()) == [org["qlxnk"]]
    submission.refresh_from_db()
    assert submission.unit == org["qlxnk"]
    page = client.get(reverse("people:unit_list")).content.decode()
    assert "Đã sáp nhập vào" in page


def test_the_portal_administrator_creates_a_province_root_with_its_province(client, people, reference):
    client.force_login(people["admin"])
    response = client.post(
        reverse("people:unit_create"),
        {
            "name": "Ủy ban nhân dân tỉnh Đồng Tháp",
            "abbreviation": "UBND",
            "kind": "people_committee",
            "province": Province.objects.get(code="DT25").pk,
            "order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()
    root = Unit.objects.get(name="Ủy ban nhân dân tỉnh Đồng Tháp")
    assert root.parent is None and root.agency == root and root.code == "DT25-UBND"
