"""The load test, end to end: gunicorn (DEBUG off) on PostgreSQL on loopback, with the demo data, driven by locust.

    python bench/loadtest.py                          # make loadtest: 100 users, 60 s
    python bench/loadtest.py --users 10 --time 10s    # shorter
    python bench/loadtest.py --database-url postgres://…/existing_db --no-setup   # an already loaded database
    python bench/loadtest.py --login                  # users log in through the form (measures PBKDF2 too)

A database `pci_load_<random>` is created on DATABASE_URL's server (migrate + load_demo) and dropped afterwards;
a private redis-server runs on a free port when one is installed. The users are signed in by sessions made on the
server beforehand (bench/loadsessions.py), not through the login form: a login is one deliberately slow password
hash, which would otherwise be most of what the test measures. Gunicorn runs with the production settings
(DEBUG off, whitenoise's manifest storage, the default password hashers). Prints requests/s, the median, the 95th
percentile and the failures per endpoint; exits 1 on any failure.
"""

import argparse
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv, env, log):
    with open(log, "w") as out:
        return subprocess.Popen(
            argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_http(url, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


# The pages' static files, hashed names and manifest as `collectstatic` writes them, without whitenoise's
# compression pass (40 s of gzip and brotli on this machine, for assets the load test never fetches). The server
# itself runs with the production storage and reads this manifest.
COLLECT_STATIC = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def collect_static(env):
    subprocess.run(
        [sys.executable, "-c", COLLECT_STATIC],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "pci_portal.settings"},
        check=True,
    )


def gunicorn_cpu_seconds(web):
    """CPU seconds (user + system) used so far by gunicorn's master and workers: a figure that, unlike response
    times, does not grow with what else runs on the machine (PostgreSQL's own CPU is not in it)."""
    import psutil

    try:
        master = psutil.Process(web.pid)
        total = 0.0
        for process in [master, *master.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return 0.0


def summary(stats_csv):
    with open(stats_csv) as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return rows, {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "max_ms": float(total["Max Response Time"]),
    }


def run(args):
    tmp = Path(tempfile.mkdtemp(prefix="pci-loadtest-"))
    (tmp / "media").mkdir()  # the storage /healthz checks
    processes, created_db, admin_url = [], None, None
    try:
        redis_url = args.redis_url
        if not redis_url and shutil.which("redis-server"):
            port = free_port()
            processes.append(
                start(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""], os.environ, tmp / "r")
            )
            redis_url = f"redis://127.0.0.1:{port}/0"
        database_url = args.database_url or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x"
        if not args.no_setup:
            import psycopg

            server = urlsplit(database_url)
            admin_url = urlunsplit(server._replace(path="/postgres"))
            created_db = f"pci_load_{secrets.token_hex(4)}"
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{created_db}"')
            database_url = urlunsplit(server._replace(path=f"/{created_db}"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
        env.update(
            DEBUG="1" if args.debug else "0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url or "",
            STATIC_ROOT=str(tmp / "static"),
            MEDIA_ROOT=str(tmp / "media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback: no TLS-ending proxy in front
            SECURE_HSTS_SECONDS="0",
            SESSION_COOKIE_SECURE="0",
            CONN_MAX_AGE="60",
        )
        manage = [sys.executable, "manage.py"]
        if not args.no_setup:
            subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
            demo = [*manage, "load_demo", "--force"]  # DEBUG is off: the demo's known passwords are wanted here
            subprocess.run(demo, cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)
        if not args.debug:
            collect_static(env)
        locust_env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "LOADTEST_WAIT": args.wait,
            "LOADTEST_SUBMIT_SHARE": str(args.submit_share),
            "LOADTEST_MAIN_FLOW_FIRST": "1" if args.main_flow_first else "",
        }
        if not args.login:
            sessions = tmp / "sessions.json"
            subprocess.run(
                [sys.executable, str(BASE_DIR / "bench" / "loadsessions.py"), "--out", str(sessions)]
                + ["--per-account", str(args.users)],
                cwd=BASE_DIR,
                env={**env, "DJANGO_SETTINGS_MODULE": "pci_portal.settings"},
                check=True,
            )
            locust_env["LOADTEST_SESSIONS"] = str(sessions)
        port = free_port()
        web = start(
            [BIN / "gunicorn", "pci_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
            + ["--threads", str(args.threads), "--timeout", "60", "--log-level", "warning"],
            env,
            tmp / "gunicorn.log",
        )
        processes.append(web)
        host = f"http://127.0.0.1:{port}"
        wait_http(f"{host}/healthz", web)
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
        idle_cpu = gunicorn_cpu_seconds(web)  # start-up and /healthz: not the test's
        started = time.monotonic()
        locust = subprocess.run(
            [BIN / "locust", "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless", "--host", host]
            + ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time, "--stop-timeout", "10"]
            + ["--csv", str(tmp / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=BASE_DIR,
            env=locust_env,
            capture_output=True,
            text=True,
            timeout=args.timeout,
        )
        result_cpu = gunicorn_cpu_seconds(web) - idle_cpu
        if not (tmp / "load_stats.csv").exists():
            raise RuntimeError(f"locust wrote no statistics:\n{locust.stderr[-3000:]}")
        rows, result = summary(tmp / "load_stats.csv")
        result["seconds"] = round(time.monotonic() - started)
        result["server_cpu_s"] = result_cpu
        result["cpu_ms_per_request"] = result_cpu * 1000 / result["requests"] if result["requests"] else 0.0
        result["endpoints"] = {
            f"{r['Type']} {r['Name']}": (int(r["Request Count"]), int(r["Failure Count"]))
            for r in rows
            if r["Name"] != "Aggregated"
        }
        for row in rows:
            if row["Name"] != "Aggregated":
                print(
                    f"{row['Type']:5} {row['Name']:45} {row['Request Count']:>6} req "
                    f"{row['Failure Count']:>4} fail  median {row['Median Response Time']:>5} ms  "
                    f"p95 {row['95%']:>5} ms"
                )
        print(
            f"\nTOTAL {result['requests']} requests, {result['failures']} failures, {result['rps']:.1f} req/s, "
            f"median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
            f"max {result['max_ms']:.0f} ms ({args.users} users, {args.time}, gunicorn {args.workers}×{args.threads})"
        )
        print(
            f"gunicorn CPU {result['server_cpu_s']:.1f} s: {result['cpu_ms_per_request']:.0f} ms of CPU per request "
            f"(load average before/after: {load_before} / {' '.join(f'{x:.1f}' for x in os.getloadavg())})"
        )
        if result["failures"]:
            failures = tmp / "load_failures.csv"
            result["failure_text"] = failures.read_text() if failures.exists() else locust.stderr[-3000:]
            print(result["failure_text"])
            print((tmp / "gunicorn.log").read_text()[-5000:])
        return result
    finally:
        for process in reversed(processes):
            stop(process)
        if created_db:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def parser():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--time", default="60s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--database-url", help="PostgreSQL server (a database is created) or, with --no-setup, db")
    parser.add_argument("--no-setup", action="store_true", help="the database already has the demo data")
    parser.add_argument("--redis-url")
    parser.add_argument("--debug", action="store_true", help="DEBUG=1: no collectstatic")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--wait", default="1,3", help="min,max seconds a user waits between tasks")
    parser.add_argument("--submit-share", type=float, default=0.1, help="share of report saves that also submit")
    parser.add_argument("--main-flow-first", action="store_true", help="each user starts with its role's main flow")
    parser.add_argument("--login", action="store_true", help="log in through the form instead of made sessions")
    return parser


def main():
    args = parser().parse_args()
    result = run(args)
    return 1 if result["failures"] or not result["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
