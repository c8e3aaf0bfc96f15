"""Two uploads of one person at the same moment, on two of her tasks: each alone fits her quota, both do not.
The second waits for the first (a row lock on the person) and is refused with the quota message, instead of
both slipping under the limit. Real concurrency: two requests in two threads on PostgreSQL."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from plans import services
from plans.models import Evidence
from tests.factories import TaskFactory

from .conftest import PDF_BYTES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


def test_two_uploads_at_once_cannot_both_slip_under_the_persons_quota(task, people, org, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.EVIDENCE_QUOTA_PER_USER_BYTES = len(PDF_BYTES) * 3 // 2  # room for one file, not two
    other = TaskFactory(plan=task.plan, section=task.section, lead_unit=org["qltm"], title="Hỗ trợ doanh nghiệp")
    first_saving, let_first_commit = threading.Event(), threading.Event()
    real_attach = services.attach_evidence
    calls = []

    def attach(update, upload):
        calls.append(threading.current_thread().name)
        evidence = real_attach(update, upload)
        if len(calls) == 1:  # the first upload is stored, not yet committed: it pauses here
            first_saving.set()
            assert let_first_commit.wait(30)
        return evidence

    monkeypatch.setattr(services, "attach_evidence", attach)
    responses = {}

    def upload(name, on):
        client = Client()
        client.force_login(people["alice"])
        payload = {"status": "in_progress", "progress": 40, "note": "Biên bản", "version": on.version}
        payload["files"] = [SimpleUploadedFile(f"{name}.pdf", PDF_BYTES, content_type="application/pdf")]
        try:
            responses[name] = client.post(f"/tasks/{on.pk}/update/", payload)
        finally:
            connection.close()

    first = threading.Thread(target=upload, args=("first", task), name="first")
    second = threading.Thread(target=upload, args=("second", other), name="second")
    first.start()
    assert first_saving.wait(30)
    second.start()
    second.join(2)
    assert second.is_alive()  # waiting for the first upload to commit before counting the quota
    let_first_commit.set()
    first.join(30)
    second.join(30)

    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 400
    assert "dung lượng tối đa của mỗi người là" in responses["second"].content.decode()
    assert [e.update.task_id for e in Evidence.objects.select_related("update")] == [task.pk]
    other.refresh_from_db()
    assert other.updates.count() == 0 and other.progress == 0  # nothing half-saved
