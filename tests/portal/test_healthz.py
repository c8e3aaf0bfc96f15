"""`/healthz`: a load balancer's question "can this machine serve?", answered in JSON."""

import socket

import pytest

from pci_portal.celery import app

pytestmark = pytest.mark.django_db


def dead_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    (tmp_path / "media").mkdir()
    return tmp_path / "media"


def test_healthz_answers_200_with_each_check_in_json(client, media):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "storage": True,
    }


def test_healthz_needs_no_login_and_no_known_host(client, media, settings):
    settings.ALLOWED_HOSTS = ["pci.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    # A probe by the container's own address over plain HTTP gets the real answer, not 400 or a redirect.
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_answers_503_naming_the_broker_when_redis_is_down(client, media, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{dead_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True and body["checks"]["storage"]["ok"] is True


def test_healthz_answers_503_when_the_media_folder_is_missing(client, media):
    media.rmdir()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
    assert response.json()["checks"]["storage"]["error"] == "OSError"


def test_healthz_does_not_write(client, media):
    client.get("/healthz")
    assert list(media.iterdir()) == []
