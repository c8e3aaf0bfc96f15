"""Celery tasks of plans.

Reading an uploaded plan document in the background (`import_plan` reads the same way in the foreground), and the
nightly schedule run (plans.schedule.run_daily, the same function as `manage.py sync_schedule`).
"""

from celery import shared_task
from django.db import transaction

from .models import PlanImport


def run_import(import_id):
    """Read one PlanImport's file into its draft, recording progress; a refusal is stored as its message."""
    from .importing import Directory, ImportRefused
    from .importing.extract import extract
    from .importing.parser import Parser

    claimed = PlanImport.objects.filter(pk=import_id, status=PlanImport.Status.PENDING).update(
        status=PlanImport.Status.RUNNING, progress=5
    )
    if not claimed:
        return None  # taken by another worker already (a retried message must not read twice)
    imp = PlanImport.objects.get(pk=import_id)
    try:
        with imp.file.open("rb") as handle:
            data = handle.read()
        blocks = extract(data, imp.original_name)
        PlanImport.objects.filter(pk=import_id).update(progress=40)
        fmt = imp.original_name.rsplit(".", 1)[-1].lower()
        draft = Parser(blocks, Directory.from_db(), name=imp.original_name, fmt=fmt).parse()
        PlanImport.objects.filter(pk=import_id).update(progress=90)
        with transaction.atomic():
            PlanImport.objects.filter(pk=import_id).update(
                draft=draft.to_dict(), status=PlanImport.Status.READY, progress=100, error=""
            )
    except ImportRefused as refused:
        PlanImport.objects.filter(pk=import_id).update(status=PlanImport.Status.FAILED, error=refused.message)
    except Exception as exc:  # noqa: BLE001 - the person sees a message, the worker log has the trace
        PlanImport.objects.filter(pk=import_id).update(
            status=PlanImport.Status.FAILED,
            error="Không đọc được tệp này (lỗi khi phân tích văn bản). Hãy thử bản .docx, hoặc tạo kế hoạch bằng tay.",
        )
        raise exc
    return import_id


@shared_task(name="plans.read_plan_import", time_limit=180, soft_time_limit=150)
def read_plan_import_task(import_id):
    return run_import(import_id)


@shared_task(name="plans.sync_schedule", acks_late=True, soft_time_limit=600, time_limit=660)
def sync_schedule_task(on=None):
    import datetime

    from .schedule import run_daily

    return run_daily(on=datetime.date.fromisoformat(on) if on else None)
