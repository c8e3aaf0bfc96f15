"""Load test: people of every role browse, officials update their tasks, unit heads fill and submit reports.

    python bench/loadtest.py            # make loadtest: 100 users, 60 s, gunicorn on PostgreSQL on loopback
    locust -f bench/locustfile.py --host http://127.0.0.1:8000   # against a running portal with the demo data

Users are the demo accounts (`load_demo`, password demo12345). A version conflict on a task (two people saving
the same task) is the portal working as designed and counts as a success; any other 4xx/5xx is a failure.
"""

import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

PASSWORD = "demo12345"
OFFICIALS = ["qng.chuyenvien", "qng.xnk.chuyenvien", "tth.chuyenvien", "tth.vpdd.chuyenvien"]
HEADS = ["qng.truongphong", "qng.xnk.truongphong", "tth.truongphong"]
FOCAL = ["qng.tonghop", "tth.vanphong"]
LEADERS = ["qng.lanhdao", "qng.giamdoc", "tth.lanhdao"]

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
    wait_time = between(1, 3)
    accounts = []

    def on_start(self):
        self.username = random.choice(self.accounts)
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

    def links(self, url, pattern, name):
        return pattern.findall(self.client.get(url, name=name).text)


class Official(PortalUser):
    """Chuyên viên: own tasks, a task page, an update with progress."""

    weight = 5
    accounts = OFFICIALS

    @task(3)
    def browse(self):
        self.client.get("/", name="/ (việc của tôi)")
        tasks = self.links("/tasks/", TASK_LINK, "/tasks/")
        if tasks:
            self.client.get(random.choice(tasks), name="/tasks/[id]/")

    @task(2)
    def update_task(self):
        tasks = self.links("/tasks/", TASK_LINK, "/tasks/")
        if not tasks:
            return
        url = random.choice(tasks)
        form = form_with(self.client.get(url, name="/tasks/[id]/").text, "version")
        if form is None:
            return  # not allowed to update this one (read-only page)
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

    @task(2)
    def browse(self):
        self.client.get("/", name="/ (việc của tôi)")
        self.client.get("/tasks/", name="/tasks/")

    @task(3)
    def report(self):
        reports = self.links("/reports/", REPORT_LINK, "/reports/")
        if not reports:
            return
        url = random.choice(reports)
        page = self.client.get(url, name="/reports/deadlines/[id]/units/[id]/").text
        form = form_with(page, "csrfmiddlewaretoken")
        if form is None or 'name="save"' not in page:
            return  # already submitted: read only
        data = dict(form["fields"])
        data["submit" if random.random() < 0.1 else "save"] = "1"
        self.client.post(url, data, name="/reports/deadlines/[id]/units/[id]/ [POST]")


class FocalOffice(PortalUser):
    """Đơn vị đầu mối: plans, trackers, the dashboard."""

    weight = 2
    accounts = FOCAL

    @task
    def browse(self):
        for url in self.links("/plans/", PLAN_LINK, "/plans/")[:1]:
            self.client.get(url, name="/plans/[id]/")
        for url in self.links("/reports/", TRACKER_LINK, "/reports/")[:1]:
            self.client.get(url, name="/reports/deadlines/[id]/")
        self.client.get("/dashboard/", name="/dashboard/")


class Leader(PortalUser):
    """Lãnh đạo: the dashboard, the task list, notifications."""

    weight = 2
    accounts = LEADERS

    @task
    def browse(self):
        self.client.get("/dashboard/", name="/dashboard/")
        self.client.get("/dashboard/tasks/", name="/dashboard/tasks/")
        self.client.get("/notifications/", name="/notifications/")


class Administrator(PortalUser):
    weight = 1
    accounts = ["admin"]

    @task
    def browse(self):
        self.client.get("/admin/", name="/admin/")
        self.client.get("/plans/", name="/plans/")
