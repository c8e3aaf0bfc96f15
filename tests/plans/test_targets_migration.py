"""Targets moved from indicators to plans without losing a row (issue 14).

A database is filled by the previous main (the commit before the move): its `migrate`, `load_demo` and
`generate_scale_data --scale 0.1`, plus what those leave out (a goal over a group of sub-indices with a stated
member baseline, an edit in the audit trail, a group and a user given permissions on targets, an admin log
line). Then the current code migrates it, and every table and every model must hold the same rows, the target
rows must be the same rows, and each target must read the same (subject, goal, baseline, result, verdict).

Run alone with `pytest -m migration`. It needs the previous main's commit in the clone (CI clones in full);
the database is a fresh one beside the test database on PostgreSQL, else a temporary SQLite file.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.migration

PREVIOUS_MAIN = "e51f66d"  # main before the move
ROOT = Path(settings.BASE_DIR)
PROBE = Path(__file__).with_name("migration_probe.py")
MOVED = {"target", "targetmember", "goal", "historicaltarget", "historicalgoal"}  # model names, lower case


def moved(label):
    """A label of before the move as it reads after: "indicators.Target", "indicators.target" (a content type)
    and "indicators.change_target" (a permission) become plans.…; any other label stays."""
    app, _dot, name = label.partition(".")
    model = name.lower().split("_", 1)[-1]  # change_target → target
    return f"plans.{name}" if app == "indicators" and model in MOVED else label


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=False)


@pytest.fixture
def old_code(tmp_path):
    """The previous main's files (git archive), in a directory of their own."""
    if _git("cat-file", "-e", f"{PREVIOUS_MAIN}^{{commit}}").returncode != 0:
        pytest.fail(
            f"The previous main ({PREVIOUS_MAIN}) is not in this clone, so the migration cannot be tested: "
            "fetch the whole history (`git fetch --unshallow`, or a CI checkout with full depth)."
        )
    tree = tmp_path / "previous-main"
    tree.mkdir()
    archive = _git("archive", "--format=tar", PREVIOUS_MAIN)
    assert archive.returncode == 0, archive.stderr.decode()
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database: on the PostgreSQL server of the suite if it runs on one, else a SQLite file."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'previous-main.sqlite3'}"
        return
    import psycopg

    name = f"pci_migration_{uuid.uuid4().hex[:12]}"
    params = {k: v for k, v in {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}.items() if v}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://")
    yield urlunsplit(url._replace(path=f"/{name}"))
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(cwd, database_url, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"DATABASE_URL": database_url, "DEBUG": "1", "DEVTOOLS": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "pci_portal.settings"
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _snapshot(cwd, database_url, out):
    _run(cwd, database_url, str(PROBE), "snapshot", str(out))
    return json.loads(out.read_text())


def test_targets_keep_their_rows_permissions_history_and_verdicts_when_they_move_to_plans(
    old_code, database_url, tmp_path
):
    _run(old_code, database_url, "manage.py", "migrate", "--noinput")
    _run(old_code, database_url, "manage.py", "load_demo")
    _run(old_code, database_url, "manage.py", "generate_scale_data", "--scale", "0.1")
    _run(old_code, database_url, str(PROBE), "seed")
    before = _snapshot(old_code, database_url, tmp_path / "before.json")

    _run(ROOT, database_url, "manage.py", "migrate", "--noinput")
    after = _snapshot(ROOT, database_url, tmp_path / "after.json")

    # The data is there to compare: targets with goals, a group with its members, audit rows, thousands of rows.
    assert before["models"]["indicators.Target"] > 20 and before["models"]["indicators.Goal"] > 30
    assert before["models"]["indicators.TargetMember"] == 3 and before["models"]["indicators.HistoricalTarget"] > 5
    assert sum(before["tables"].values()) > 10_000

    # Every table keeps its rows (the target tables keep their names), but the list of applied migrations.
    tables_before = {t: n for t, n in before["tables"].items() if t != "django_migrations"}
    assert {t: after["tables"].get(t) for t in tables_before} == tables_before
    # Every model keeps its rows, the moved ones under plans.
    models_before = {moved(label): n for label, n in before["models"].items()}
    assert {label: after["models"].get(label) for label in models_before} == models_before
    assert "indicators.Target" not in after["models"]
    # The same rows, field by field.
    assert after["rows"] == before["rows"]

    # Content types are relabelled, not replaced: permissions, the admin log and the audit trail follow.
    assert after["content_types"] == {moved(label): pk for label, pk in before["content_types"].items()}
    assert after["group_permissions"] == {
        name: [moved(p) for p in perms] for name, perms in before["group_permissions"].items()
    }
    assert "plans.change_target" in after["group_permissions"]["Kiểm tra chuyển đổi: biên tập mục tiêu"]
    assert after["permissions"] == {user: sorted(map(moved, perms)) for user, perms in before["permissions"].items()}
    assert any("plans.delete_goal" in perms for perms in after["permissions"].values())
    assert after["admin_log"] == [[moved(ct), pk, kind] for ct, pk, kind in before["admin_log"]]
    assert ["plans.target", before["admin_log"][-1][1], "Target"] == after["admin_log"][-1]
    assert after["audit"] == {moved(label): n for label, n in before["audit"].items()}

    # Each target reads as it did: subject, goal, baseline, result, verdict and why, group, audit rows.
    # The sentence on a merged province was reworded after the move (it named the new province twice): compare
    # the reasons up to it, and that it is still there (its wording: tests/indicators/test_merger_regions_tiers.py).
    assert _without_merger_sentence(after["assessments"]) == _without_merger_sentence(before["assessments"])
    group = [a for a in after["assessments"].values() if a[6] == [2, 5, 9]]
    assert len(group) == 1 and "40" in group[0][2]  # the member baseline the plan states (hạng 40)


MERGER_SENTENCE = "Đánh giá theo kết quả của "


def _without_merger_sentence(assessments):
    """Each target's reading with its reasons (index 5) cut before the merged-province sentence, and whether
    that sentence was there."""
    out = {}
    for pk, reading in assessments.items():
        reasons = reading[5]
        head, found, _ = reasons.partition(MERGER_SENTENCE)
        out[pk] = [*reading[:5], head, bool(found), *reading[6:]]
    return out
