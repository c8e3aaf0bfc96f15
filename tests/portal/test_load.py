"""The load test, short (`make test`): people of every role browse, update tasks and submit reports against gunicorn
with DEBUG off on PostgreSQL for a few seconds, and nothing fails. The full run is `make loadtest`
(bench/loadtest.py, 100 users for 60 s; figures in docs/benchmarks.md)."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from plans.models import TaskUpdate
from reporting.models import Submission

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


def bench_loadtest():
    sys.path.insert(0, str(BASE_DIR / "bench"))
    spec = importlib.util.spec_from_file_location("bench_loadtest", BASE_DIR / "bench" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def test_database_url():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("the load test needs PostgreSQL (CI must provide it)")
        pytest.skip("the load test needs PostgreSQL (DATABASE_URL=postgres://…)")
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_ten_users_of_every_role_browse_update_tasks_and_submit_reports_without_one_error(reference, test_database_url):
    call_command("load_demo", force=True, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    loadtest = bench_loadtest()
    args = loadtest.parser().parse_args(
        [
            "--users",
            "10",
            "--spawn-rate",
            "10",
            "--time",
            "15s",
            "--wait",
            "0.1,0.5",
            "--submit-share",
            "0.5",
            "--main-flow-first",
        ]
        + ["--workers", "2", "--threads", "2", "--database-url", test_database_url, "--no-setup", "--timeout", "120"]
    )
    connection.close()  # gunicorn's workers and the session maker get the database to themselves
    result = loadtest.run(args)

    assert result["failures"] == 0, result.get("failure_text")
    served = {name: count for name, (count, _) in result["endpoints"].items()}
    assert not any("/login/" in name for name in served)  # signed in by sessions made beforehand
    for flow in [
        "POST /tasks/[id]/update/ [POST]",  # officials update their tasks
        "GET /reports/deadlines/[id]/units/[id]/",  # unit heads fill their reports
        "GET /reports/deadlines/[id]/",  # the focal office follows who reported
        "GET /dashboard/",  # leadership and the focal office
        "GET /dashboard/tasks/",  # leadership's drill-down
        "GET /admin/",  # the administrator
    ]:
        assert served.get(flow, 0) > 0, (flow, served)
    reports = sum(n for name, n in served.items() if name.startswith("POST /reports/deadlines/[id]/units/[id]/"))
    assert reports > 0, served  # unit heads save their reports, half of the time sending them too
    # What the people would see afterwards: the progress the officials posted and the reports the heads wrote.
    assert TaskUpdate.objects.filter(note="Cập nhật tiến độ (kiểm thử tải).").exists()
    written = Submission.objects.filter(summary__contains="(kiểm thử tải)")
    assert written.exists(), list(Submission.objects.values_list("status", "summary"))
