"""A server error: the page says only what is true, and ADMINS get an e-mail (sent by Celery) when configured."""

import pytest
from django.test import Client

from pci_portal.celery import app

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.urls_error")]


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_without_admins_the_500_page_does_not_claim_anyone_was_told(settings, smtp_server, eager):
    settings.ADMINS = []
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi hệ thống" in page and "đã được ghi vào nhật ký máy chủ" in page
    assert "Quản trị viên sẽ nhận thư" not in page
    assert smtp_server.messages == []


def test_with_admins_the_error_is_e_mailed_to_them_and_the_page_says_so(settings, smtp_server, eager):
    settings.ADMINS = [("Quản trị Cổng PCI", "ops@example.vn")]
    response = Client(raise_request_exception=False).get("/boom/?q=1")
    assert response.status_code == 500
    assert "Quản trị viên sẽ nhận thư báo lỗi này." in response.content.decode()
    [received] = smtp_server.messages
    assert received["to"] == ["ops@example.vn"]
    message = received["message"]
    assert message["Subject"].strip().startswith("[Cổng PCI] ERROR")
    assert "/boom/" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "RuntimeError at /boom/" in text and "hỏng hóc thử nghiệm" in text
    assert settings.SECRET_KEY not in text  # Django's report hides secrets
