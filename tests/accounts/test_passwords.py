"""Password self-service: change, forgot (the e-mail reaches the SMTP server, sent by a Celery task),
rules with Vietnamese messages, first-login change of an administrator's password, idle sessions."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def logs_in(client, username, password):
    """Through the login form, as a person would (axes needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def link_in(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+", text).group(0), text


def test_a_user_changes_their_password_with_vietnamese_messages(client, people):
    client.force_login(people["alice"])
    url = reverse("password_change")
    page = client.post(url, {"old_password": "sai", "new_password1": "x", "new_password2": "y"}).content.decode()
    assert "Mật khẩu hiện tại không đúng" in page
    page = client.post(
        url, {"old_password": "mat-khau-123", "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    ).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page and "Mật khẩu cần có cả chữ và chữ số." in page
    page = client.post(
        url, {"old_password": "mat-khau-123", "new_password1": "alice@example1", "new_password2": "alice@example1"}
    ).content.decode()
    assert "Mật khẩu quá giống" in page
    done = client.post(
        url,
        {"old_password": "mat-khau-123", "new_password1": "Song Tra Khuc 2026", "new_password2": "Song Tra Khuc 2026"},
    )
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 302  # still logged in
    client.logout()
    assert logs_in(client, "alice", "Song Tra Khuc 2026")


def test_a_forgotten_password_is_reset_from_the_e_mail(
    client, people, eager, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "ALICE@example.vn"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    [mail] = smtp_server.messages
    assert mail["to"] == ["alice@example.vn"]
    assert mail["message"]["Subject"] == "Đặt lại mật khẩu Cổng PCI"
    link, text = link_in(mail["message"])
    assert "Kính gửi Nguyễn Thị Alice," in text and "hết hạn sau 24 giờ" in text
    assert link in mail["message"].get_body(("html",)).get_content()

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Mua thu Ha Noi 75", "new_password2": "Mua thu Ha Noi 75"}
    )
    assert done.status_code == 302
    assert logs_in(client, "alice", "Mua thu Ha Noi 75")
    client.logout()
    spent = client.get(link)
    assert spent.status_code == 410 and "Liên kết không còn dùng được" in spent.content.decode()


def test_an_unknown_e_mail_gets_the_same_answer_and_no_mail(
    client, people, eager, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "khong-ai@example.vn"})
    assert response.url == reverse("password_reset_done") and smtp_server.messages == []


def test_a_reset_link_expires(client, people, eager, smtp_server, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset"), {"email": "alice@example.vn"})
    link, _text = link_in(smtp_server.messages[0]["message"])
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, 1), tick=False):
        assert client.get(link).status_code == 410


def test_a_password_set_by_an_administrator_must_be_changed_at_first_login(client, people):
    alice = people["alice"]
    client.force_login(people["admin"])
    change = reverse("admin:auth_user_password_change", args=[alice.pk])
    response = client.post(change, {"password1": "Tam thoi 2026", "password2": "Tam thoi 2026"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.must_change_password
    client.logout()
    assert logs_in(client, "alice", "Tam thoi 2026")
    forced = client.get(reverse("plans:my_tasks"))
    assert forced.status_code == 302 and forced.url == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": "Tam thoi 2026", "new_password1": "Rieng toi 2026", "new_password2": "Rieng toi 2026"},
    )
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert client.get(reverse("plans:my_tasks")).status_code == 200


def test_an_idle_session_ends(client, people, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    start = datetime.datetime(2026, 3, 2, 9, 0)
    with time_machine.travel(start, tick=False):
        client.force_login(people["alice"])
        assert client.get(reverse("plans:my_tasks")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("plans:my_tasks")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=58), tick=False):
        assert client.get(reverse("plans:my_tasks")).status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + datetime.timedelta(minutes=89), tick=False):
        response = client.get(reverse("plans:my_tasks"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "Phiên làm việc đã hết hạn sau 30 phút không thao tác" in response.content.decode()


def test_load_demo_refuses_without_debug_and_warns_with_force(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()
    err = StringIO()
    call_command("load_demo", force=True, stdout=StringIO(), stderr=err)
    assert "CẢNH BÁO" in err.getvalue()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(role=User.Role.FOCAL, is_staff=True).exists()
