"""The load test, end to end: gunicorn (DEBUG off) on PostgreSQL on loopback, with the demo data, driven by locust.

    python bench/loadtest.py                          # make loadtest: 100 users, 60 s
    python bench/loadtest.py --users 10 --time 10s    # shorter
    python bench/loadtest.py --database-url postgres://…/existing_db --no-setup   # an already loaded database

A database `pci_load_<random>` is created on DATABASE_URL's server (migrate + load_demo) and dropped afterwards;
a private redis-server runs on a free port when one is installed. Prints requests/s, the 95th percentile and the
failures per endpoint; exits 1 on any failure.
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
            STATIC_ROOT=str(args.static_root),
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
            subprocess.run([*manage, "load_demo"], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)
        if not args.debug and not (Path(args.static_root) / "staticfiles.json").exists():
            subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
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
        started = time.monotonic()
        locust = subprocess.run(
            [BIN / "locust", "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless", "--host", host]
            + ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time, "--stop-timeout", "10"]
            + ["--csv", str(tmp / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=BASE_DIR,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            capture_output=True,
            text=True,
            timeout=args.timeout,
        )
        rows, result = summary(tmp / "load_stats.csv")
        result["seconds"] = round(time.monotonic() - started)
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
        if result["failures"]:
            failures = tmp / "load_failures.csv"
            print(failures.read_text() if failures.exists() else locust.stderr[-3000:])
        return result
    finally:
        for process in reversed(processes):
            stop(process)
        if created_db:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--time", default="60s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--database-url", help="PostgreSQL server (a database is created) or, with --no-setup, db")
    parser.add_argument("--no-setup", action="store_true", help="the database already has the demo data")
    parser.add_argument("--redis-url")
    parser.add_argument("--debug", action="store_true", help="DEBUG=1: no collectstatic (for the short run in tests)")
    parser.add_argument("--static-root", default=str(BASE_DIR / "var" / "loadtest-static"))
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()
    result = run(args)
    return 1 if result["failures"] or not result["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
