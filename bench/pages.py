#!/usr/bin/env python
"""The main pages against their SQL floor: each page through gunicorn, and the same SQL run directly.

    python bench/pages.py -n 30 postgres://postgres@127.0.0.1:5432/pci_bench01 postgres://…/pci_bench1
    python bench/pages.py -n 30 --page official:/tasks/ --page leader:/dashboard/?plan=all DB_URL

Each database URL (made with `manage.py migrate` and `manage.py generate_scale_data --scale …`) gets its own
gunicorn (DEBUG off, 1 sync worker, `QUERY_COUNT_HEADER=1`, `QUERY_LOG_DIR`). For each page, logged in as its
role through the login form, the bench:

1. fetches it twice to warm up, the second time asking the devtools middleware to write down the SQL
   statements of the request (`X-Query-Log: 1`): session, user, the page's own queries, with their parameters;
2. then n times, alternately: the page over HTTP (wall time), and those statements run directly with psycopg
   on one connection (the "SQL floor": round trips, planning, execution and reading the rows, nothing else);
3. reads the CPU time that the gunicorn worker spent on the n requests (psutil), which does not depend on
   how busy the machine is, unlike wall times.

It prints per page and database: median page ms, median floor ms, their ratio, CPU ms per request and the
SQL statements per request. Goals (issue 15): ratio ≤ 2, CPU ≤ 40 ms. Alternating page and floor in the same
run keeps the ratio meaningful on a loaded machine; the CPU time is meaningful on any machine.

Compare mode, `--before DIR` (another checkout, e.g. `git worktree add ../before main` with this script and
devtools/middleware.py copied in): both codes are served side by side on the same database and measured
alternately in the same loop, so that a busy machine weighs on both alike; each side's floor is its own SQL.

Pages are `role:path`; `<plan>`, `<plan_key>`, `<public_key>` and `<deadline>` are replaced by ids of the
scale data. Roles: official, focal, leader (devtools.bench_users) and anonymous.
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = [
    "official:/tasks/",
    "leader:/tasks/",
    "leader:/dashboard/",
    "focal:/dashboard/",
    "focal:/reports/deadlines/<deadline>/",
    "official:/plans/<plan>/",
    "anonymous:/public/plans/<public_key>/",
]
GOAL_RATIO, GOAL_CPU = 2.0, 40.0


def ids_from_database(env):
    """The official's plan (first of the first agency), its latest past deadline, and a public plan."""
    code = (
        "from devtools.bench_users import BENCH_USERS as B;"
        "from accounts.models import User;"
        "from plans.models import Plan;"
        "from reporting.models import Deadline;"
        "u = User.objects.get(username=B['official']);"
        "p = Plan.objects.filter(issuer=u.unit.agency).order_by('id').first();"
        "d = Deadline.objects.filter(rule__plan=p).order_by('-due_date').first();"
        "pub = Plan.objects.filter(is_public=True).order_by('id').first();"
        "print(p.pk, p.key, d.pk if d else 0, pub.key if pub else '-')"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(f"Không đọc được dữ liệu quy mô (đã chạy generate_scale_data chưa?):\n{out.stderr[-2000:]}")
    plan, key, deadline, public_key = out.stdout.split()[-4:]
    return {"plan": plan, "plan_key": key, "deadline": deadline, "public_key": public_key}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, workers, root=ROOT):
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = open(ROOT / "var" / "bench-gunicorn.log", "a")  # 403/404 tracebacks go here, not over the table
    proc = subprocess.Popen(
        [gunicorn, "pci_portal.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/login/", timeout=10)
            return proc
        except requests.RequestException:  # not listening yet, or a first request slow on a busy machine
            time.sleep(0.2)
    proc.terminate()
    sys.exit("gunicorn không khởi động được.")


def login(base, username, password):
    s = requests.Session()
    if username is None:
        return s
    s.get(f"{base}/login/")
    r = s.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
    )
    if r.status_code != 302:
        sys.exit(f"Đăng nhập {username} không thành công (HTTP {r.status_code}).")
    return s


def worker_cpu(proc):
    """CPU seconds (user + system) of gunicorn's workers so far."""
    total = 0.0
    for child in psutil.Process(proc.pid).children():
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_floor(conn, statements):
    t0 = time.perf_counter()
    with conn.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
            if cur.description is not None:
                cur.fetchall()
    return (time.perf_counter() - t0) * 1000


class Side:
    """One checkout of the portal served by its own gunicorn on the database (compare mode has two)."""

    def __init__(self, name, root, env, db_url, workers):
        self.name, self.root, self.db_url = name, Path(root), db_url
        self.env = dict(env, STATIC_ROOT=str(Path(root) / "var" / "bench-static"))
        (self.root / "var").mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=self.root, env=self.env, check=True
        )
        self.port = free_port()
        self.proc = start_gunicorn(self.env, self.port, workers, self.root)
        self.base = f"http://127.0.0.1:{self.port}"
        self.sessions, self.floors = {}, {}

    def session(self, role, username, password):
        if role not in self.sessions:
            self.sessions[role] = login(self.base, username, password)
        return self.sessions[role]

    def floor_connection(self, options):
        """A psycopg connection with the portal's session options (JIT off on this side or not)."""
        if options not in self.floors:
            url = self.db_url.replace("postgres://", "postgresql://")
            conn = psycopg.connect(url, autocommit=True, options=options or None)
            conn.prepare_threshold = None  # as Django's client-side cursors: every statement planned each time
            self.floors[options] = conn
        return self.floors[options]

    def stop(self):
        for conn in self.floors.values():
            conn.close()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def measure(sides, role, path, n, users, password):
    """Each side's page n times, alternating with its SQL floor and with the other side, so that both see the
    same machine load."""
    runs = {}
    for side in sides:
        session = side.session(role, users.get(role), password)
        url = side.base + path
        r = session.get(url, allow_redirects=False)
        if r.status_code != 200:
            runs[side.name] = {"status": r.status_code}
            continue
        r = session.get(url, allow_redirects=False, headers={"X-Query-Log": "1"})
        logged = json.loads(Path(r.headers["X-Query-Log"]).read_text())
        conn = side.floor_connection(logged["options"])
        run_floor(conn, logged["statements"])  # warm the connection and PostgreSQL's caches alike
        runs[side.name] = {"session": session, "url": url, "sql": logged["statements"], "conn": conn}
        runs[side.name].update(pages=[], floors=[], cpu0=worker_cpu(side.proc), queries=r.headers["X-Query-Count"])
    for _ in range(n):
        for side in sides:
            run = runs[side.name]
            if "pages" not in run:
                continue
            t0 = time.perf_counter()
            r = run["session"].get(run["url"], allow_redirects=False)
            run["pages"].append((time.perf_counter() - t0) * 1000)
            run["kb"] = len(r.content) / 1024
            run["floors"].append(run_floor(run["conn"], run["sql"]))
    out = {}
    for side in sides:
        run = runs[side.name]
        if "pages" not in run:
            out[side.name] = run
            continue
        page, floor = statistics.median(run["pages"]), statistics.median(run["floors"])
        cpu = (worker_cpu(side.proc) - run["cpu0"]) * 1000 / n
        out[side.name] = {
            "status": 200,
            "page": page,
            "floor": floor,
            "ratio": page / floor,
            "cpu": cpu,
            "queries": run["queries"],
            "kb": run["kb"],
        }
    return out


def bench_database(db_url, pages, n, workers, before=None):
    env = dict(os.environ)
    log_dir = ROOT / "var" / "bench-sql"
    log_dir.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "DATABASE_URL": db_url,
            "DEBUG": "0",
            "DEVTOOLS": "1",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-only-not-secret-" + "x" * 40),
            "QUERY_COUNT_HEADER": "1",
            "QUERY_LOG_DIR": str(log_dir),
            "AXES_ENABLED": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no TLS-ending proxy in front
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
        }
    )
    sys.path.insert(0, str(ROOT))
    from devtools.bench_users import BENCH_USERS, PASSWORD

    ids = ids_from_database(env)
    sides = []
    try:
        if before:
            sides.append(Side("before", before, env, db_url, workers))
        sides.append(Side("after" if before else "", ROOT, env, db_url, workers))
        rows = []
        for page in pages:
            role, path = page.split(":", 1)
            path = re.sub(r"<(\w+)>", lambda m: ids.get(m.group(1), m.group(0)), path)
            rows.append((role, path, measure(sides, role, path, n, BENCH_USERS, PASSWORD)))
        return rows
    finally:
        for side in sides:
            side.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("databases", nargs="*", help="DATABASE_URL của dữ liệu quy mô (mặc định: $DATABASE_URL).")
    parser.add_argument("-n", type=int, default=30, help="Số lần đo mỗi trang (mặc định 30).")
    parser.add_argument("--page", action="append", help="role:path (mặc định: các trang chính).")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="So sánh với một bản mã khác (một git worktree, ví dụ của main), đo xen kẽ trong cùng lần chạy.",
    )
    args = parser.parse_args()
    databases = args.databases or [os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pci_bench")]
    pages = args.page or DEFAULT_PAGES
    load = os.getloadavg()[0]
    print(f"gunicorn {args.workers} worker · n={args.n} · load average {load:.1f}")
    print(
        f"{'database':<18} {'role':<9} {'page':<28} {'code':<6} {'page ms':>8} {'floor ms':>8} {'ratio':>6} "
        f"{'CPU ms':>7} {'queries':>7} {'kB':>5}"
    )
    misses = 0
    for db in databases:
        name = db.rsplit("/", 1)[-1]
        for role, path, sides in bench_database(db, pages, args.n, args.workers, args.before):
            for side, res in sides.items():
                head = f"{name:<18} {role:<9} {path:<28} {side:<6}"
                if res["status"] != 200:
                    print(f"{head} HTTP {res['status']}")
                    misses += side != "before"
                    continue
                miss = res["ratio"] > GOAL_RATIO or res["cpu"] > GOAL_CPU
                misses += miss and side != "before"
                print(
                    f"{head} {res['page']:>8.1f} {res['floor']:>8.1f} {res['ratio']:>6.2f} "
                    f"{res['cpu']:>7.1f} {res['queries']:>7} {res['kb']:>5.0f}{'  *' if miss else ''}",
                    flush=True,
                )
    print(f"Mục tiêu: trang ≤ {GOAL_RATIO:g}× nền SQL, CPU ≤ {GOAL_CPU:g} ms mỗi yêu cầu. (*: chưa đạt)")
    print(f"load average lúc kết thúc {os.getloadavg()[0]:.1f}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
