"""No input gives a 500: a property-based suite (hypothesis) over every URL of the portal.

Every route is found from the URL configuration, so a view added later is covered without editing this file:
- path parameters: huge ids, NUL and control characters, very long strings;
- query strings: the filters' names with NUL, control characters, 100,000-character text, 31/02, year 0 and
  10000, NaN and huge numbers, wrong types;
- forms: every POST form a page shows (to the person who may use it) is sent back with its fields spoiled the
  same way; the answer is a page (a Vietnamese message) or a redirect after a save, never a 500; when the answer
  is not a redirect nothing was written; whatever was saved holds no control character.

Deterministic and small (derandomize, few examples) so that it runs in CI in well under a minute.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.models import Goal, Plan, Section, Task, TaskUpdate
from reporting.models import Deadline, ReportingRule, Submission
from tests.factories import GoalFactory, ReportingRuleFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

COMMON = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
PER_ROUTE = settings(max_examples=4, **COMMON)
FORMS = settings(max_examples=50, **COMMON)
WHO = ["admin", "carol", "alice", "dave", None]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

BAD_VALUES = [
    "\x00",
    "a\x00b",
    "a\x01b\x0bc\x0cd\x1be",
    "x" * 100_000,
    "31/02/2024",
    "29/02/2023",
    "00/00/0000",
    "01/01/0000",
    "01/01/0001",
    "31/12/9999",
    "01/01/10000",
    "2024-02-31",
    "0",
    "1",
    "-1",
    "10000",
    "99999",
    "9" * 30,
    str(2**63),
    str(2**64),
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e999999",
    "1,5",
    "²",
    "１２",
    "abc",
    "[]",
    "{}",
    "true",
    "",
    " ",
    "<script>alert(1)</script>",
    "'; DROP TABLE plans_plan; --",
    "%00",
    "Đ" * 300,
]
bad_value = st.sampled_from(BAD_VALUES) | st.text(max_size=30)
QUERY_KEYS = [
    "q", "plan", "year", "unit", "leader", "page", "status", "o", "province", "score", "subindex", "section",
    "due_before", "overdue", "scope", "all", "mine", "unread", "next", "week", "print", "format", "kind", "token",
]  # fmt: skip
BAD_IDS = ["0", str(2**31), str(2**63 - 1), str(2**63), "9" * 40]
BAD_STRINGS = ["%00", "a%01b", "x" * 3000, "%FF%FE", "..%2F..", "%C0%AF", "Đ%0B"]
SKIP_PREFIXES = ("admin/", "static/", "i18n/")


def routes():
    """(route with <converter:name> placeholders, pattern) of every portal URL outside the admin."""

    def walk(patterns, prefix):
        for p in patterns:
            if not isinstance(p.pattern, RoutePattern):
                continue
            route = prefix + str(p.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                yield route

    return sorted(set(walk(get_resolver().url_patterns, "")))


PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(route, ids, bad=None):
    """The route with real ids (from the segment before each placeholder), or `bad` put in one placeholder."""

    def value(match, segment):
        converter = match.group(1) or "str"
        if bad is not None:
            return bad[0] if converter == "int" else bad[1]
        key = match.group(2) if match.group(2) != "pk" else segment
        return str(ids.get(key, ids.get(segment, 1)))

    out, pos = [], 0
    for match in PLACEHOLDER.finditer(route):
        segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        out.append(route[pos : match.start()])
        out.append(value(match, segment))
        pos = match.end()
    out.append(route[pos:])
    return "/" + "".join(out)


@pytest.fixture
def world(plan, task, people, org):
    """One of everything a URL can name, with ids by the URL segment that names them."""
    target = TargetFactory(plan=plan, year=2025, baseline_year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    result = ResultFactory(year=2024, score="6.85", rank=21, out_of=63)
    rule = ReportingRuleFactory(plan=plan, from_children_of=org["sct"], to_unit=org["khtcth"])
    deadline = rule.deadline_for(2025)
    submission = Submission.objects.create(deadline=deadline, unit=org["qltm"], summary="Đã làm")
    from notifications.models import CalendarFeed

    feed = CalendarFeed.objects.filter(user=people["alice"]).first()
    ids = {
        "tasks": task.pk,
        "plans": plan.pk,
        "plan_pk": plan.pk,
        "sections": task.section_id,
        "targets": target.pk,
        "rules": rule.pk,
        "deadlines": deadline.pk,
        "units": org["qltm"].pk,
        "unit_pk": org["qltm"].pk,
        "submissions": submission.pk,
        "results": result.pk,
        "key": plan.key,
        "token": feed.token if feed else "x",
    }
    return ids


def client_as(client, people, who):
    client.logout()
    if who:
        client.force_login(people[who])
    client.raise_request_exception = False
    return client


def counts():
    return [m.objects.count() for m in (Plan, Section, Task, TaskUpdate, ReportingRule, Deadline, Submission)]


def no_500(response, what):
    assert response.status_code < 500, f"{what} → {response.status_code}"


def test_every_route_is_reached(world):
    assert len(routes()) >= 20
    assert fill("plans/<int:pk>/", world) == f"/plans/{world['plans']}/"


def test_path_parameters_never_give_a_500(client, people, world):
    @PER_ROUTE
    @given(bad_id=st.sampled_from(BAD_IDS), bad_str=st.sampled_from(BAD_STRINGS), who=st.sampled_from(WHO))
    def check(route, bad_id, bad_str, who):
        url = fill(route, world, bad=(bad_id, bad_str))
        no_500(client_as(client, people, who).get(url), f"GET {url} as {who}")

    for route in routes():
        if "<" in route:
            check(route)


def test_query_strings_never_give_a_500(client, people, world):
    @PER_ROUTE
    @given(
        query=st.dictionaries(st.sampled_from(QUERY_KEYS), bad_value, min_size=1, max_size=6), who=st.sampled_from(WHO)
    )
    def check(route, query, who):
        url = fill(route, world)
        no_500(client_as(client, people, who).get(url, query), f"GET {url}?{query!r:.300} as {who}")

    for route in routes():
        check(route)


class FormParser(HTMLParser):
    """The POST forms of a page: action and fields (name → list of current values, choices for selects)."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = {"action": a.get("action") or "", "fields": {}, "choices": {}, "files": set()}
            self.forms.append(self.form)
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form["files"].add(name)
            elif kind in ("checkbox", "radio"):
                self.form["choices"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.form["fields"].setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self.form["fields"].setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self.select = name
            self.form["fields"].setdefault(name, [])
        elif tag == "option" and self.select:
            self.form["choices"].setdefault(self.select, []).append(a.get("value", ""))
            if "selected" in a:
                self.form["fields"][self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.form["fields"][name] = [""]
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form["fields"].setdefault(name, [a.get("value", "")])

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form["fields"][self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


# Forms whose job is not to take input (or that start background work) are left out.
SKIP_ACTIONS = ("/logout/", "/i18n/", "/render/", "/regenerate/", "/read-all/", "/read/")
# Who opens each page: the person who may use its forms.
OWNER = {"tasks/<int:pk>/": "alice", "reports/deadlines/<int:pk>/units/<int:unit_pk>/": "bob"}


def forms_of(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode())
    return [f for f in parser.forms if not any(s in (f["action"] or url) for s in SKIP_ACTIONS)]


def form_routes():
    return [r for r in routes() if not r.startswith(("login", "logout", "calendar"))]


def discovered_forms(client, people, world):
    """(who, page url, form) for every POST form of every page, opened by the person who may use it."""
    found = []
    for route in form_routes():
        for who in [OWNER[route]] if route in OWNER else ["carol", "admin"]:
            url = fill(route, world)
            for form in forms_of(client_as(client, people, who), url):
                found.append((who, url, form))
    return found


def test_forms_answer_bad_input_with_a_message_and_write_nothing_half(client, people, world):
    forms = discovered_forms(client, people, world)
    assert len(forms) >= 10

    @FORMS
    @given(data=st.data())
    def check(data):
        who, url, form = data.draw(st.sampled_from(forms))
        c = client_as(client, people, who)
        fields = {name: list(values) for name, values in form["fields"].items()}
        editable = sorted((set(fields) | set(form["choices"])) - {"csrfmiddlewaretoken"})
        if not editable:
            return
        spoiled = data.draw(st.lists(st.sampled_from(editable), min_size=1, max_size=3, unique=True))
        for name in spoiled:
            fields[name] = [data.draw(bad_value)]
        before = counts()
        action = form["action"] or url
        response = c.post(action, fields)
        no_500(response, f"POST {action} as {who} with {spoiled}")
        if response.status_code != 302:
            assert counts() == before, f"POST {action} with {spoiled} answered {response.status_code} but wrote rows"
        for model, field in ((Plan, "title"), (Task, "title"), (Task, "description"), (TaskUpdate, "note")):
            for text in model.objects.values_list(field, flat=True):
                assert not CONTROL.search(text), f"{model.__name__}.{field} kept a control character"

    check()


def test_the_suite_reaches_the_editing_forms(client, people, world):
    """Guard: the form fuzzing above really finds the plan editor's forms (so it cannot pass by finding none)."""
    found = {form["action"] or url for _who, url, form in discovered_forms(client, people, world)}
    for expected in ("/edit/", "/rules/new/", "/targets/new/", "/tasks/new/"):
        assert any(expected in a for a in found), (expected, sorted(found))


def test_dates_out_of_range_are_refused_in_vietnamese(client, people, world):
    c = client_as(client, people, "carol")
    for due in ("31/02/2024", "01/01/0001", "01/01/10000"):
        response = c.post(
            f"/tasks/{world['tasks']}/edit/",
            {"title": "Nhiệm vụ", "lead_unit": people["alice"].unit_id, "timeframe": "once", "due_date": due},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "Nhập một ngày hợp lệ" in body or "không hợp lệ" in body, due
    assert Task.objects.get(pk=world["tasks"]).due_date != datetime.date(1, 1, 1)
