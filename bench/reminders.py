#!/usr/bin/env python
"""Benchmark: the daily reminder run for a province of 3,000 people, against a real SMTP server on loopback.

    python bench/reminders.py                                   # a fresh database, dropped afterwards
    python bench/reminders.py --keep-database pci_bench_rem     # make it once, keep it …
    python bench/reminders.py --reuse pci_bench_rem             # … and run again on it (its reminder log is emptied)

The data is `generate_scale_data` at scale 1 (60 agencies, 400 units, 3,000 users, 10,000 tasks, report
deadlines on 15/11), generated as of 08/11/2026; the run is `send_reminders(on=08/11/2026)` — the same function
the Celery task and `manage.py send_reminders` call — with Django's SMTP backend pointed at aiosmtpd on
127.0.0.1 (as the tests' `smtp_server`, but in a process of its own, as a real mail server is). Prints the wall
seconds, the CPU seconds of the run's own thread (machine load from other processes hardly changes it), the SQL
statements, the reminders and the messages the server received; then runs again the same day, which must send
nothing (exactly once).

The database server is DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/); a database
`pci_bench_rem_<random>` is created there unless --reuse names one.
"""

import argparse
import datetime
import os
import secrets
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ON = datetime.date(2026, 11, 8)  # seven days before the 15/11 report deadlines: every step of the policy is in use


SMTP_SERVER = r"""
import sys, time
from aiosmtpd.controller import Controller

class Inbox:
    messages = connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        Inbox.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        Inbox.messages += 1
        return "250 OK"

controller = Controller(Inbox(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:  # each line asks for the counts so far; end of input stops the server
    print(Inbox.messages, Inbox.connections, flush=True)
controller.stop()
"""


class SMTPServer:
    """aiosmtpd on 127.0.0.1 in a process of its own, as a mail server is: it takes no CPU (and no GIL) from the
    process that sends. `counts()` gives (messages received, SMTP sessions opened) so far."""

    def __init__(self):
        import subprocess

        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SMTP_SERVER, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def counts(self):
        self.process.stdin.write("?\n")
        self.process.stdin.flush()
        messages, connections = self.process.stdout.readline().split()
        return int(messages), int(connections)

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=20)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StatementCounter:
    """connection.execute_wrapper: counts every SQL statement the run sends (savepoints included)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measured_run(on):
    from django.db import connection

    from notifications.reminders import send_reminders

    counter = StatementCounter()  # savepoints too: Django sends them through the same cursor wrapper
    wall, cpu = time.perf_counter(), time.thread_time()
    with connection.execute_wrapper(counter):
        result = send_reminders(on=on)
    return result, time.perf_counter() - wall, time.thread_time() - cpu, counter.count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="generate_scale_data --scale (default 1)")
    parser.add_argument("--reuse", metavar="DB", help="an existing database made by --keep-database")
    parser.add_argument("--keep-database", metavar="DB", help="create the database under this name and keep it")
    parser.add_argument("--profile", metavar="FILE", help="write a CPU profile of the first run (cProfile, text)")
    args = parser.parse_args()

    server = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    admin_url = urlunsplit(server._replace(path="/postgres"))
    name = args.reuse or args.keep_database or f"pci_bench_rem_{secrets.token_hex(4)}"
    if not name.startswith("pci_bench"):
        raise SystemExit("The bench works only on databases whose name starts with pci_bench.")
    created = None
    if not args.reuse:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created = name
    os.environ["DATABASE_URL"] = urlunsplit(server._replace(path=f"/{name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ["CONN_MAX_AGE"] = "0"
    try:
        run(args, name, fresh=created is not None)
    finally:
        if created and not args.keep_database:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def run(args, name, fresh):
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command

    from devtools.scale import analyze, generate
    from notifications.models import Notification, ReminderLog

    if fresh:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        generate(scale=args.scale, today=ON, log=lambda m: None)
        analyze(log=lambda m: None)
        print(f"data: {time.perf_counter() - t0:.0f} s (migrate + generate_scale_data --scale {args.scale}) in {name}")
    else:
        # Start from a day nobody has been reminded yet.
        ReminderLog.objects.all().delete()
        Notification.objects.all().delete()

    smtp = SMTPServer()
    port = smtp.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        if args.profile:
            import cProfile

            profiler = cProfile.Profile(time.thread_time)  # CPU of this thread: what load does not change
            profiler.enable()
        result, wall, cpu, statements = measured_run(ON)
        if args.profile:
            import io
            import pstats

            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            Path(args.profile).write_text(out.getvalue())
        people = len({r for r in ReminderLog.objects.values_list("recipient_id", flat=True)})
        messages, connections = smtp.counts()
        print(
            f"run on {ON:%d/%m/%Y}: {wall:.1f} s wall, {cpu:.1f} s CPU (this thread), {statements} SQL statements, "
            f"{result.sent} reminders sent + {result.skipped} skipped to {people} people, "
            f"{messages} messages received over {connections} SMTP connection(s), "
            f"{len(result.errors)} errors"
        )
        print(f"  per person: {statements / max(people, 1):.2f} statements; per reminder: "
              f"{statements / max(result.sent + result.skipped, 1):.2f}")  # fmt: skip
        again, wall2, cpu2, statements2 = measured_run(ON)
        more = smtp.counts()[0] - messages
        print(
            f"same day again: {wall2:.1f} s wall, {cpu2:.1f} s CPU, {statements2} SQL statements, "
            f"{again.sent} sent, {again.skipped} skipped, {more} messages"
        )
        if result.errors or again.sent or more or messages != result.emails:
            print("FAILED: errors, or a reminder sent twice, or messages lost", result.errors[:5])
            return 1
    finally:
        smtp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
