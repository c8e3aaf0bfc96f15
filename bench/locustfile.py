"""Load test: people of every role browse, officials update their tasks, unit heads fill and submit reports.

    python bench/loadtest.py            # make loadtest: 100 users, 60 s, gunicorn on PostgreSQL on loopback
    locust -f bench/locustfile.py --host http://127.0.0.1:8000   # against a running portal with the demo data

Users are the demo accounts (`load_demo`, password demo12345). A version conflict on a task (two people saving
the same task) is the portal working as designed and counts as a success; any other 4xx/5xx, and a page that
sends a signed-in user back to the login form, is a failure.

Environment:
- LOADTEST_SESSIONS: a JSON file of sessions made on the server (bench/loadsessions.py, which bench/loadtest.py
  runs): each locust user takes a session of its own and skips the login form. Without it, users log in
  through the form (one PBKDF2 hash each).
- LOADTEST_WAIT: "min,max" seconds between a user's tasks (default "1,3").
- LOADTEST_SUBMIT_SHARE: the share of report saves that also submit the report (default 0.1).
- LOADTEST_MAIN_FLOW_FIRST=1: every user starts with its role's main flow (an official's task update, a unit
  head's report), so that a short run on a busy machine still goes through each of them.
"""

import json
import os
import random
import re
from html.parser import HTMLParser

from loadsessions import ACCOUNTS
from locust import HttpUser, between, task

PASSWORD = "demo12345"
OFFICIALS = ACCOUNTS["official"]
HEADS = ACCOUNTS["unit_head"]
FOCAL = ACCOUNTS["focal"]
LEADERS = ACCOUNTS["leader"]
MAIN_FLOW_FIRST = os.environ.get("LOADTEST_MAIN_FLOW_FIRST") == "1"
SUBMIT_SHARE = float(os.environ.get("LOADTEST_SUBMIT_SHARE", "0.1"))  # of report saves that also submit
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "1,3").split(",")]
SESSIONS = {"cookie": "sessionid", "sessions": {}}
if os.environ.get("LOADTEST_SESSIONS"):
    with open(os.environ["LOADTEST_SESSIONS"]) as f:
        SESSIONS = json.load(f)

TASK_LINK = re.compile(r'href="(/tasks/\d+/)"')
REPORT_LINK = re.compile(r'href="(/reports/deadlines/\d+/units/\d+/)"')
TRACKER_LINK = re.compile(r'href="(/reports/deadlines/\d+/)"')
PLAN_LINK = re.compile(r'href="(/plans/\d+/)"')


class FormFields(HTMLParser):
    """The fields of the first <form method="post"> that has a field named `marker`: what a browser would send."""

    def __init__(self, marker):
        super().__init__()
        self.marker, self.forms, self.current, self.textarea, self.select = marker, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = {"action": a.get("action"), "fields": []}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None]
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.current["fields"].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            self.current["fields"].append((self.select[0], self.select[1] or ""))
            self.select = None
        elif tag == "form":
            self.current = None

    def form(self):
        for form in self.forms:
            if any(name == self.marker for name, _ in form["fields"]):
                return form
        return None


def form_with(html, marker):
    parser = FormFields(marker)
    parser.feed(html)
    return parser.form()


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    accounts = []
    main_flow = "browse"

    def on_start(self):
        # Accounts in turn, so that users spread evenly over them (two users of one account do conflict, rightly).
        cls = type(self)
        cls.started = getattr(cls, "started", 0) + 1
        self.username = self.accounts[cls.started % len(self.accounts)]
        ready = SESSIONS["sessions"].get(self.username)
        if ready:
            self.client.cookies.set(SESSIONS["cookie"], ready.pop())  # one session per locust user
        else:
            self.log_in()
        if MAIN_FLOW_FIRST:
            getattr(self, self.main_flow)()

    def log_in(self):
        page = self.client.get("/login/", name="/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/login/ [POST]",
            catch_response=True,
        ) as response:
            if "/login/" in response.url:
                response.failure(f"{self.username} could not log in")

    def get(self, url, name):
        """A page as a signed-in person sees it: a redirect to the login form is a failure, not a 200."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.ok and "/login/" in response.url:
                response.failure(f"{self.username}: sent to the login page from {url}")
            return response

    def links(self, url, pattern, name):
        return pattern.findall(self.get(url, name).text)


class Official(PortalUser):
    """Chuyên viên: own tasks, a task page, an update with progress."""

    weight = 5
    accounts = OFFICIALS
    main_flow = "update_task"

    @task(3)
    def browse(self):
        self.get("/", "/ (việc của tôi)")
        tasks = self.links("/tasks/", TASK_LINK, "/tasks/")
        if tasks:
            self.get(random.choice(tasks), "/tasks/[id]/")

    @task(2)
    def update_task(self):
        tasks = self.links("/tasks/", TASK_LINK, "/tasks/")
        random.shuffle(tasks)
        for url in tasks[:3]:  # the list shows other units' tasks too, which this official may only read
            form = form_with(self.get(url, "/tasks/[id]/").text, "version")
            if form is not None:
                break
        else:
            return
        data = dict(form["fields"])
        data.update(status="in_progress", progress=str(random.randint(10, 90)), note="Cập nhật tiến độ (kiểm thử tải).")
        with self.client.post(
            form["action"] or f"{url}update/", data, name="/tasks/[id]/update/ [POST]", catch_response=True
        ) as response:
            if response.status_code == 400 and "vừa được người khác cập nhật" in response.text:
                response.success()  # a version conflict is the check working, not an error


class UnitHead(PortalUser):
    """Trưởng đơn vị: the unit's reports, a draft saved, sometimes submitted."""

    weight = 3
    accounts = HEADS
    main_flow = "report"

    @task(2)
    def browse(self):
        self.get("/", "/ (việc của tôi)")
        self.get("/tasks/", "/tasks/")

    @task(3)
    def report(self):
        reports = self.links("/reports/", REPORT_LINK, "/reports/")
        random.shuffle(reports)
        for url in reports[:3]:  # a report already sent is read only
            page = self.get(url, "/reports/deadlines/[id]/units/[id]/").text
            form = form_with(page, "version")  # the report form (the language switcher is a form too)
            if form is not None and 'name="save"' in page:
                break
        else:
            return
        data = dict(form["fields"])
        if not data.get("summary", "").strip():
            data["summary"] = "Đơn vị đã triển khai các nhiệm vụ được giao (kiểm thử tải)."
        action = "submit" if random.random() < SUBMIT_SHARE else "save"
        data[action] = "1"
        with self.client.post(
            url, data, name=f"/reports/deadlines/[id]/units/[id]/ [POST {action}]", catch_response=True
        ) as response:
            if response.status_code == 409:
                response.success()  # saved meanwhile by another user of the account: the version check working


class FocalOffice(PortalUser):
    """Đơn vị đầu mối: plans, trackers, the dashboard."""

    weight = 2
    accounts = FOCAL

    @task
    def browse(self):
        for url in self.links("/plans/", PLAN_LINK, "/plans/")[:1]:
            self.get(url, "/plans/[id]/")
        for url in self.links("/reports/", TRACKER_LINK, "/reports/")[:1]:
            self.get(url, "/reports/deadlines/[id]/")
        self.get("/dashboard/", "/dashboard/")


class Leader(PortalUser):
    """Lãnh đạo: the dashboard, the task list, notifications."""

    weight = 2
    accounts = LEADERS

    @task
    def browse(self):
        self.get("/dashboard/", "/dashboard/")
        self.get("/dashboard/tasks/", "/dashboard/tasks/")
        self.get("/notifications/", "/notifications/")


class Administrator(PortalUser):
    weight = 1
    accounts = ["admin"]

    @task
    def browse(self):
        self.get("/admin/", "/admin/")
        self.get("/plans/", "/plans/")
