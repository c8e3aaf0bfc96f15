"""Files on S3-compatible object storage (django-storages), against moto's S3 server on loopback."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Evidence
from tests.plans.conftest import PDF_BYTES

from .conftest import BUCKET

pytestmark = pytest.mark.django_db


def test_evidence_uploaded_through_the_portal_lands_in_the_bucket_and_downloads_back(client, s3, task, people):
    client.force_login(people["alice"])
    upload = SimpleUploadedFile("Biên bản hội chợ.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        f"/tasks/{task.pk}/update/",
        {
            "status": "in_progress",
            "progress": 40,
            "note": "Đã tổ chức hội chợ.",
            "version": task.version,
            "files": [upload],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)
    assert stored["Body"].read() == PDF_BYTES
    assert "Biên" not in evidence.file.name  # a random key, not the person's file name

    client.force_login(people["bob"])  # another person, as another web machine would serve it
    download = client.get(f"/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    client.force_login(people["eve"])
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404


def test_healthz_checks_the_bucket(client, s3, settings):
    assert client.get("/healthz").json()["checks"]["storage"]["ok"] is True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False


def test_s3_bucket_setting_switches_the_default_storage():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DEBUG="1", S3_BUCKET="pci", S3_ENDPOINT_URL="http://127.0.0.1:9000")
    code = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['default'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "pci_portal.settings"},
        cwd=__import__("pathlib").Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "storages.backends.s3.S3Storage" in out.stdout and "'bucket_name': 'pci'" in out.stdout, out.stderr
