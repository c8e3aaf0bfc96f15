"""Evidence files: served only to people who may see the task, as an attachment under the original name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.services import update_task

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(task, people):
    upload = SimpleUploadedFile("Biên bản hội chợ 2024.pdf", PDF_BYTES, content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    update = update_task(task, by=people["alice"], status="in_progress", progress=30, files=[upload])
    return update.evidence.get()


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "frank", "admin"])
def test_people_who_see_the_task_download_the_file_under_its_original_name(as_user, evidence, name):
    response = as_user(name).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%99i%20ch%E1%BB%A3%202024.pdf" in response["Content-Disposition"]


def test_another_agency_gets_404(as_user, evidence):
    assert as_user("eve").get(f"/evidence/{evidence.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(client, evidence):
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_stored_name_is_random_and_not_served_outside_the_permission_check(as_user, evidence, private_media):
    assert "Biên" not in evidence.file.name
    assert len(evidence.file.name.rsplit("/", 1)[1]) == 32
    assert (private_media / evidence.file.name).exists()
    client = as_user("alice")
    for guess in (f"/media/{evidence.file.name}", f"/{evidence.file.name}", evidence.file.url):
        assert client.get(guess).status_code == 404


def test_missing_file_is_a_404_not_a_crash(as_user, evidence, private_media):
    (private_media / evidence.file.name).unlink()
    assert as_user("alice").get(f"/evidence/{evidence.pk}/").status_code == 404
