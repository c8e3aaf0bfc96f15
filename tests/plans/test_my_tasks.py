"""'Việc của tôi': the tasks of my unit as lead and coordinator, filters, counts, sorting, paging."""

import datetime

import pytest
import time_machine

from indicators.models import SubIndex
from plans.models import Task
from tests.factories import PlanFactory, TaskFactory
from tests.html import select, text

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2024, 9, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


def titles(response):
    return [t.title for t in response.context["tasks"]]


def counts(response):
    """The figures at the top of the page, by what they count."""
    return {el.get("data-count"): int(text(el)) for el in select(response, "//*[@data-count]")}


@pytest.fixture
def work(plan, org, people, task):
    """alice's unit leads `task` and coordinates one; another division's task does not concern her."""
    coordinated = TaskFactory(plan=plan, section=task.section, lead_unit=org["qlxnk"], title="Xúc tiến xuất khẩu")
    coordinated.coordinating_units.add(org["qltm"])
    elsewhere = TaskFactory(plan=plan, section=task.section, lead_unit=org["qlxnk"], title="Cấp C/O điện tử")
    return {"lead": task, "coordinated": coordinated, "elsewhere": elsewhere}


@pytest.mark.parametrize(
    "name, lands_on",
    [
        ("alice", "/tasks/"),
        ("bob", "/tasks/"),
        ("frank", "/tasks/"),
        ("carol", "/plans/?mine=1"),
        ("dave", "/plans/"),
        ("admin", "/plans/"),
    ],
)
def test_each_role_lands_where_its_work_is(as_user, name, lands_on):
    response = as_user(name).get("/")
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_official_sees_tasks_her_unit_leads_and_coordinates(as_user, work):
    response = as_user("alice").get("/tasks/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted([work["lead"].title, work["coordinated"].title])
    page = response.content.decode()
    assert "Chủ trì" in page and "Phối hợp" in page
    assert "Cấp C/O điện tử" not in page


def test_task_assigned_by_name_is_in_my_tasks(as_user, work, people):
    work["elsewhere"].assignees.add(people["alice"])
    assert work["elsewhere"].title in titles(as_user("alice").get("/tasks/"))


def test_all_scope_lists_every_task_of_the_agency_but_not_another_agency(as_user, work, other_task):
    response = as_user("alice").get("/tasks/?scope=all")
    assert set(titles(response)) == {work["lead"].title, work["coordinated"].title, work["elsewhere"].title}
    assert other_task.title not in response.content.decode()


def test_outsider_sees_none_of_our_tasks(as_user, work, other_task):
    response = as_user("eve").get("/tasks/?scope=all")
    assert titles(response) == [other_task.title]


def test_counts_per_status_are_shown_at_the_top(as_user, work):
    Task.objects.filter(pk=work["lead"].pk).update(status=Task.Status.IN_PROGRESS, progress=40)
    shown = counts(as_user("alice").get("/tasks/"))
    assert (shown["total"], shown["in_progress"], shown["not_started"], shown["done"]) == (2, 1, 1, 0)


@time_machine.travel(TODAY, tick=False)
def test_overdue_count_counts_open_late_tasks_only(as_user, work):
    yesterday = TODAY.date() - datetime.timedelta(days=1)
    Task.objects.filter(pk=work["lead"].pk).update(due_date=yesterday, status=Task.Status.IN_PROGRESS)
    Task.objects.filter(pk=work["coordinated"].pk).update(due_date=yesterday, status=Task.Status.DONE)
    assert counts(as_user("alice").get("/tasks/"))["overdue"] == 1


@time_machine.travel(TODAY, tick=False)
def test_filters_status_overdue_due_before_plan_subindex_and_search(as_user, work, people):
    lead, coordinated = work["lead"], work["coordinated"]
    Task.objects.filter(pk=lead.pk).update(due_date=datetime.date(2024, 6, 30), status=Task.Status.IN_PROGRESS)
    Task.objects.filter(pk=coordinated.pk).update(due_date=datetime.date(2024, 12, 31))
    lead.subindices.add(SubIndex.objects.get(index__code="PCI", number=8))
    client = as_user("alice")

    assert titles(client.get("/tasks/?overdue=on")) == [lead.title]
    assert titles(client.get("/tasks/?status=not_started")) == [coordinated.title]
    assert titles(client.get("/tasks/?due_before=2024-07-01")) == [lead.title]
    subindex = SubIndex.objects.get(index__code="PCI", number=8)
    assert titles(client.get(f"/tasks/?subindex={subindex.pk}")) == [lead.title]
    assert titles(client.get("/tasks/?q=xuất khẩu")) == [coordinated.title]
    other_plan_task = TaskFactory(plan=PlanFactory(issuer=lead.plan.issuer), lead_unit=lead.lead_unit)
    assert titles(client.get(f"/tasks/?plan={other_plan_task.plan_id}")) == [other_plan_task.title]
    assert counts(client.get("/tasks/"))["overdue"] == 1


def test_columns_sort_both_ways(as_user, work):
    Task.objects.filter(pk=work["lead"].pk).update(progress=80)
    Task.objects.filter(pk=work["coordinated"].pk).update(progress=10)
    client = as_user("alice")
    assert titles(client.get("/tasks/?o=progress")) == [work["coordinated"].title, work["lead"].title]
    assert titles(client.get("/tasks/?o=-progress")) == [work["lead"].title, work["coordinated"].title]
    assert 'href="?o=-progress"' in client.get("/tasks/?o=progress").content.decode()


def test_long_lists_are_paginated(as_user, plan, org):
    TaskFactory.create_batch(30, plan=plan, lead_unit=org["qltm"])
    client = as_user("alice")
    first = client.get("/tasks/")
    assert len(first.context["tasks"]) == 25
    assert "Trang 1/2" in first.content.decode()
    second = client.get("/tasks/?page=2")
    assert len(second.context["tasks"]) == 5


def _tasks(n, plan, org, people):
    for i in range(n):
        t = TaskFactory(plan=plan, lead_unit=org["qltm"] if i % 2 else org["qlxnk"], title=f"Nhiệm vụ {i}")
        t.coordinating_units.add(org["qltm"], org["khtcth"])
        t.assignees.add(people["alice"])


@pytest.mark.parametrize("rows", [3, 60])
def test_query_count_does_not_grow_with_the_rows(as_user, plan, org, people, rows, django_assert_num_queries):
    _tasks(rows, plan, org, people)
    client = as_user("alice")
    client.get("/tasks/")  # warm the session and caches
    # session, user, unit; plans of the filter; counts per status with the overdue ones; page; coordinating units
    with django_assert_num_queries(9):
        response = client.get("/tasks/?o=due")
    assert response.status_code == 200
    assert len(response.context["tasks"]) == min(rows, 25)


def test_leader_sees_the_task_he_answers_for_though_another_agency_leads_it(as_user, plan, org, work, people):
    theirs = TaskFactory(plan=plan, lead_unit=org["stp_hc"], title="Sở Tư pháp chủ trì trong kế hoạch của Sở")
    client = as_user("dave")
    assert theirs.title in titles(client.get("/tasks/?scope=all"))
    assert theirs.title not in titles(client.get("/tasks/"))
    Task.objects.filter(pk=theirs.pk).update(leader=people["leader_person"])
    assert theirs.title in titles(client.get("/tasks/"))
