#!/usr/bin/env python
"""Time the main pages over HTTP against gunicorn (2 workers) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pci_bench python bench/pages.py [-n 30] [URL ...]

URLs default to the dashboard, my tasks, a plan page, a task page and a report tracker;
`<plan>`, `<plan_key>`, `<task>` and `<deadline>` in a URL are replaced by ids of the scale data
(`manage.py generate_scale_data`). Each page is fetched as the leader, the focal office and
an official, logged in through the login form; it prints median and p95 milliseconds and the
SQL queries per request (X-Query-Count, sent when QUERY_COUNT_HEADER=1). A page that answers
404 (not built yet) or 403 (not for that role) is reported as such and not timed.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URLS = ["/dashboard/", "/tasks/", "/plans/<plan>/", "/tasks/<task>/", "/reports/deadlines/<deadline>/"]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/pci_bench"


def ids_from_database(env):
    """A plan of the first agency with its tasks, one of its tasks and its latest past deadline."""
    code = (
        "from devtools.bench_users import BENCH_USERS as B;"
        "from accounts.models import User;"
        "from plans.models import Plan, Task;"
        "from reporting.models import Deadline;"
        "u = User.objects.get(username=B['official']);"
        "p = Plan.objects.filter(issuer=u.unit.agency).order_by('id').first();"
        "t = Task.objects.filter(plan=p, lead_unit=u.unit).order_by('id').first() or p.tasks.first();"
        "d = Deadline.objects.filter(rule__plan=p).order_by('-due_date').first();"
        "print(p.pk, t.pk, d.pk if d else 0, p.key)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(f"Không đọc được dữ liệu quy mô (đã chạy generate_scale_data chưa?):\n{out.stderr[-2000:]}")
    plan, task, deadline, key = out.stdout.split()[-4:]
    return {"plan": plan, "task": task, "deadline": deadline, "plan_key": key}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, workers):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # 403/404 tracebacks go here, not over the table
    proc = subprocess.Popen(
        [gunicorn, "pci_portal.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/login/", timeout=10)
            return proc
        except requests.RequestException:  # not listening yet, or a first request slow on a busy machine
            time.sleep(0.2)
    proc.terminate()
    sys.exit("gunicorn không khởi động được.")


def login(base, username, password):
    s = requests.Session()
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


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_page(session, url, n, warmup=2):
    for _ in range(warmup):
        r = session.get(url, allow_redirects=False)
        if r.status_code != 200:
            return {"status": r.status_code}
    times, queries = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        r = session.get(url, allow_redirects=False)
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(int(r.headers.get("X-Query-Count", -1)))
    return {
        "status": 200,
        "median": statistics.median(times),
        "p95": p95(times),
        "queries": f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}",
        "bytes": len(r.content),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="*", help="Đường dẫn cần đo (mặc định: các trang chính).")
    parser.add_argument("-n", type=int, default=30, help="Số lần đo mỗi trang (mặc định 30).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--base-url", help="Đo một máy chủ đang chạy thay vì khởi động gunicorn.")
    parser.add_argument("--roles", default="leader,focal,official", help="Vai trò đăng nhập (leader,focal,official).")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-only-not-secret"),
            "QUERY_COUNT_HEADER": "1",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "AXES_ENABLED": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    sys.path.insert(0, str(ROOT))
    from devtools.bench_users import BENCH_USERS, PASSWORD

    ids = ids_from_database(env)
    urls = [re.sub(r"<(\w+)>", lambda m: ids.get(m.group(1), m.group(0)), u) for u in (args.urls or DEFAULT_URLS)]
    proc = None
    if args.base_url:
        base = args.base_url.rstrip("/")
    else:
        port = free_port()
        proc = start_gunicorn(env, port, args.workers)
        base = f"http://127.0.0.1:{port}"
    try:
        print(f"{env['DATABASE_URL'].rsplit('/', 1)[-1]} · gunicorn {args.workers} workers · n={args.n} · {base}")
        print(f"{'role':<9} {'page':<32} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'kB':>6}")
        failures = 0
        for role in args.roles.split(","):
            session = login(base, BENCH_USERS[role], PASSWORD)
            for url in urls:
                res = time_page(session, base + url, args.n)
                if res["status"] != 200:
                    word = {404: "404 – chưa có trang này", 403: "403 – không dành cho vai trò này"}.get(
                        res["status"], f"HTTP {res['status']}"
                    )
                    print(f"{role:<9} {url:<32} {word}")
                    continue
                slow = res["median"] > 150 or res["p95"] > 300
                failures += slow
                print(
                    f"{role:<9} {url:<32} {200:>6} {res['median']:>10.1f} {res['p95']:>8.1f} {res['queries']:>8} "
                    f"{res['bytes'] / 1024:>6.0f}{'  CHẬM' if slow else ''}"
                )
        print("Mục tiêu: trung vị < 150 ms, p95 < 300 ms." + (f" {failures} trang vượt." if failures else " Đạt."))
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
