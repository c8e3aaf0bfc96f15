"""The benchmark tooling: scale data that the bench scripts log into, the query-count header, and none of it
in production."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from devtools.bench_users import BENCH_USERS, PASSWORD
from devtools.middleware import QueryCountMiddleware
from plans.models import Plan, Task
from reporting.models import Deadline

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_scale_data_is_made_once_with_the_bench_logins_and_planner_statistics():
    out = StringIO()
    call_command("generate_scale_data", scale=0.01, stdout=out)
    assert Plan.objects.filter(key__startswith="scale-plan-").count() == 1
    assert Task.objects.count() == 100
    deadline = Deadline.objects.filter(rule__plan__key__startswith="scale-plan-").order_by("due_date").first()
    assert deadline.units.exists()  # the units that owe the report, so trackers and reminders have work
    for username in BENCH_USERS.values():
        assert User.objects.get(username=username, is_active=True).check_password(PASSWORD)
    assert User.objects.get(username=BENCH_USERS["official"]).unit is not None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("select reltuples from pg_class where relname = 'plans_task'")
            assert cursor.fetchone()[0] == 100  # ANALYZE ran: a never-analysed table says -1
    with pytest.raises(CommandError, match="đã được tạo"):
        call_command("generate_scale_data", scale=0.01, stdout=StringIO())


@pytest.mark.django_db
def test_query_count_header_counts_the_sql_of_the_request():
    def view(request):
        list(User.objects.all())
        list(Plan.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Query-Count"] == "2"


@pytest.mark.django_db
def test_a_request_marked_for_the_bench_leaves_its_sql_and_cpu_time(settings, tmp_path):
    """bench/pages.py runs a page's own statements again (its SQL floor) and reads its CPU time."""
    settings.QUERY_LOG_DIR = str(tmp_path)

    def view(request):
        list(Plan.objects.filter(title="Kế hoạch PCI"))
        return HttpResponse("ok")

    quiet = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert "X-Query-Log" not in quiet and float(quiet["X-CPU-ms"]) >= 0
    response = QueryCountMiddleware(view)(RequestFactory().get("/", headers={"X-Query-Log": "1"}))
    logged = json.loads(Path(response["X-Query-Log"]).read_text())
    assert len(logged["statements"]) == 1
    assert "= 'Kế hoạch PCI'" in logged["statements"][0]  # parameters bound, as PostgreSQL received them


def test_production_settings_load_no_devtools():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "test-only-" + "x" * 50}
    for name in ("DJANGO_SETTINGS_MODULE", "DEVTOOLS", "QUERY_COUNT_HEADER"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "manage.py", "help", "generate_scale_data"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "Unknown command: 'generate_scale_data'" in done.stderr
