"""Every URL of the portal, for every role, on our agency's objects and on another agency's.

The URL list is walked from the resolver, so a view added by anyone is checked here without a
line of this file changing:
- URLs of this app carry an exact expectation (EXPECT below);
- any other URL without parameters is requested by everyone: never a server error, and a page
  never shows another agency's task to someone whose role does not allow it;
- any other URL with parameters gets our agency's object when its parameter names a kind we know
  (task, plan, section, target, rule, deadline, submission, evidence…), and must not show it to the outsider;
  otherwise a missing object must not answer 200 or 500.
Only what is listed in EXEMPT, with the reason, is left out.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

from accounts.models import User
from plans.services import update_task
from reporting.models import Deadline
from tests.factories import GoalFactory, ReportingRuleFactory, SubmissionFactory, TargetFactory, UserFactory

from .conftest import OTHER_TITLE, PDF_BYTES

pytestmark = pytest.mark.django_db

EXEMPT = {
    "admin": "Django's admin: its own is_staff/permission checks",
    "i18n": "set_language: no data, POST only",
    "login": "the login page itself",
    "logout": "POST only, no data",
}

# People: the test's seven plus a leader of the province People's Committee, who reads the whole province.
PEOPLE = ["anonymous", "alice", "bob", "carol", "dave", "frank", "eve", "admin", "province_leader"]
SEES_OURS = {"alice", "bob", "carol", "dave", "frank", "admin", "province_leader"}
SEES_THEIRS = {"eve", "admin", "province_leader"}
KEEPS_OURS = {"carol", "admin"}  # focal office of the plan; administrator
KEEPS_THEIRS = {"admin"}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = p.namespace if p.namespace else namespace
            if namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield route, name, dict(getattr(p.pattern, "converters", {}))


def _exempt(route, name):
    first = route.split("/", 1)[0]
    return first in EXEMPT or (name or "") in EXEMPT or route.startswith("^")


ALL_URLS = [(route, name, params) for route, name, params in _walk(get_resolver().url_patterns)]
CHECKED = [u for u in ALL_URLS if not _exempt(u[0], u[1])]


def test_every_url_is_checked_or_exempt_with_a_reason():
    assert CHECKED, "no URL found"
    unnamed = [route for route, name, params in CHECKED if not name and params]
    assert not unnamed, f"URLs with parameters need a name to be checked, or an entry in EXEMPT: {unnamed}"


# --- Objects of our agency (SCT) and of another (STP) ---------------------------------------------


@pytest.fixture
def world(task, other_task, people, org, plan, other_plan):
    """Every kind of object a URL may name, once in our agency and once in the other."""
    other_task.description = "Nội dung riêng của Sở Tư pháp."  # the factory's default repeats our task's title
    other_task.save()
    people["province_leader"] = UserFactory(username="province_leader", role=User.Role.LEADER, unit=org["ubnd"])
    objects = {}
    for side, t, p, to_unit, author in (
        ("ours", task, plan, org["khtcth"], people["alice"]),
        ("theirs", other_task, other_plan, org["stp"], people["eve"]),
    ):
        upload = SimpleUploadedFile("minh-chung.pdf", PDF_BYTES)
        upload.checked_content_type = "application/pdf"
        update = update_task(t, by=author, status="in_progress", progress=10, files=[upload])
        target = TargetFactory(plan=p)
        rule = ReportingRuleFactory(plan=p, to_unit=to_unit)
        deadline = rule.deadline_for(2024)
        objects[side] = {
            "task": t,
            "plan": p,
            "section": t.section,
            "target": target,
            "goal": GoalFactory(target=target),
            "rule": rule,
            "deadline": deadline,
            "submission": SubmissionFactory(deadline=deadline, unit=t.lead_unit),
            "evidence": update.evidence.get(),
            "update": update,
            "unit": t.lead_unit,
        }
    return objects


KIND_ALIASES = {"reportingrule": "rule", "taskupdate": "update", "report": "deadline"}


def _kind_for(param, name):
    """The kind of object a URL parameter names: `plan_pk` → plan; `pk` of `plans:task_edit` → task."""
    base = param.removesuffix("_pk").removesuffix("_id")
    if base in ("pk", "id"):
        base = (name or "").split(":")[-1].split("_")[0]
    return KIND_ALIASES.get(base, base)


def _missing(converter):
    """A value of the converter's shape that names no object."""
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-0000-0000-000000000000"
    return 987654


def _url(name, params, objects):
    kwargs = {}
    for param in params:
        kind = _kind_for(param, name)
        if kind not in objects:
            return None
        kwargs[param] = objects[kind].pk
    return reverse(name, kwargs=kwargs)


# --- What this app promises -----------------------------------------------------------------------

LIST, VIEW, EDIT, POST_ONLY, CREATE = "list", "view", "edit", "post_only", "create"
NO_SOURCE = "no_source"  # a plan typed in by hand has no source document: 404 for everyone
CREATES = {"carol", "admin"}  # the focal office (for its own agency) and administrators start plans
EXPECT = {
    "plans:my_tasks": LIST,
    "plans:plan_list": LIST,
    "plans:task_detail": VIEW,
    "plans:plan_detail": VIEW,
    "plans:evidence": VIEW,
    "plans:task_update": POST_ONLY,
    "plans:task_comment": POST_ONLY,
    "plans:task_assign": POST_ONLY,
    "plans:plan_edit": EDIT,
    "plans:section_create": EDIT,
    "plans:section_edit": EDIT,
    "plans:section_delete": EDIT,
    "plans:task_create": EDIT,
    "plans:task_edit": EDIT,
    "plans:task_delete": EDIT,
    "plans:target_create": EDIT,
    "plans:target_edit": EDIT,
    "reporting:rule_create": EDIT,  # a plan's reporting rules, edited from its page
    "reporting:rule_edit": EDIT,
    "plans:plan_create": CREATE,
    "plans:section_paste": EDIT,
    # Imports belong to whoever uploaded them (see tests/plans/test_import_web.py); a missing one is 403/404.
    "plans:import_start": CREATE,
    "plans:import_review": VIEW,
    "plans:import_progress": VIEW,
    "plans:import_update": POST_ONLY,
    "plans:import_discard": POST_ONLY,
    "plans:plan_source": NO_SOURCE,
    "home": LIST,
}


def expected_status(kind, who, side):
    if kind == POST_ONLY:
        return 405
    if who == "anonymous":
        return 302
    if kind == LIST:
        return {200, 302}
    if kind == CREATE:
        return 200 if who in CREATES else 403
    if kind == NO_SOURCE:
        return 404
    sees = who in (SEES_OURS if side == "ours" else SEES_THEIRS)
    if not sees:
        return 404
    if kind == EDIT:
        return 200 if who in (KEEPS_OURS if side == "ours" else KEEPS_THEIRS) else 403
    return 200


def test_every_url_of_this_app_has_an_expectation():
    ours = {name for _route, name, _params in CHECKED if name and (name.startswith("plans:") or name == "home")}
    assert ours <= set(EXPECT), f"add to EXPECT: {sorted(ours - set(EXPECT))}"


def _forbidden_markers(who, side_objects):
    """Text that must not appear for `who`: the other agency's task and section, unless the role reads them."""
    markers = []
    if who not in SEES_THEIRS:
        markers += [OTHER_TITLE, side_objects["theirs"]["section"].title, side_objects["theirs"]["plan"].title]
    if who not in SEES_OURS:
        markers += [side_objects["ours"]["task"].title, side_objects["ours"]["section"].title]
    return markers


@pytest.mark.parametrize("route, name, params", CHECKED, ids=[u[0] or "/" for u in CHECKED])
def test_url_answers_each_role_as_it_should(client, world, people, route, name, params):
    failures = []
    for who in PEOPLE:
        client.logout()
        if who != "anonymous":
            client.force_login(people[who])
        for side in ("ours", "theirs") if params else ("ours",):
            url = _url(name, params, world[side]) if name else "/" + route
            if url is None:
                # A parameter of a kind we do not know: a missing object must not answer 200 or 500.
                kwargs = {p: _missing(converter) for p, converter in params.items()}
                response = client.get(reverse(name, kwargs=kwargs))
                if response.status_code in (200, 500):
                    failures.append((who, side, reverse(name, kwargs=kwargs), response.status_code))
                continue
            response = client.get(url)
            status = response.status_code
            kind = EXPECT.get(name)
            if kind is not None:
                expected = expected_status(kind, who, side)
                if status not in (expected if isinstance(expected, set) else {expected}):
                    failures.append((who, side, url, status, f"expected {expected}"))
            else:
                if status >= 500:
                    failures.append((who, side, url, status))
                if params and side == "ours" and who == "eve" and status == 200:
                    failures.append((who, side, url, status, "the outsider opened our object"))
            content_type = response.get("Content-Type", "")
            textual = content_type.startswith(("text/", "application/json"))
            if status == 200 and textual and not getattr(response, "streaming", False):
                page = response.content.decode()
                for marker in _forbidden_markers(who, world):
                    if marker in page:
                        failures.append((who, side, url, status, f"shows {marker!r}"))
    assert not failures, failures


# --- Actions (POST) -------------------------------------------------------------------------------

ACTIONS = {
    # action: (who may on ours, who may on theirs)
    "plans:task_update": ({"alice", "bob", "carol", "admin"}, {"eve", "admin"}),
    "plans:task_comment": ({"alice", "bob", "carol", "dave", "frank", "admin", "province_leader"}, SEES_THEIRS),
    "plans:task_assign": ({"bob", "carol", "admin"}, {"admin"}),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_task_actions_are_allowed_by_role_and_unit(client, world, people, name):
    """An invalid form: 400 (the form's errors) when allowed, 403 when visible but not allowed, 404 when not visible."""
    failures = []
    for who in PEOPLE[1:]:
        client.force_login(people[who])
        for side, allowed in zip(("ours", "theirs"), ACTIONS[name], strict=True):
            url = reverse(name, args=[world[side]["task"].pk])
            sees = who in (SEES_OURS if side == "ours" else SEES_THEIRS)
            expected = 400 if who in allowed else (403 if sees else 404)
            status = client.post(url, {"users": "987654"}).status_code
            if status != expected:
                failures.append((who, side, name, status, f"expected {expected}"))
    assert not failures, failures
    assert Deadline.objects.count() == 2  # nothing else was created on the way
