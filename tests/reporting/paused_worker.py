"""The portal's Celery worker (`celery -A pci_portal worker`), whose first report render stops half-way and waits.

tests/reporting/test_killed_worker.py starts it and kills it there with SIGKILL. The render writes its progress and
the pool process's pid to PAUSE_FILE, then sleeps; any later render (once PAUSE_FILE exists) runs for real.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")

import django  # noqa: E402

django.setup()

from pci_portal.celery import app  # noqa: E402
from reporting import tasks  # noqa: E402

PAUSE_FILE = Path(os.environ["PAUSE_FILE"])
real_render = tasks.render


def render_pausing_once(context, fmt, progress):
    if PAUSE_FILE.exists():
        return real_render(context, fmt, progress)
    progress(50)
    PAUSE_FILE.write_text(str(os.getpid()))
    time.sleep(600)  # killed before this ends
    raise RuntimeError("the test should have killed this worker")


tasks.render = render_pausing_once  # the pool processes are forked from this one, so they render this way

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
