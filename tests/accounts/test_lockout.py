"""Lockout by account and by address, separately: one person's typos never lock a colleague behind the same
address; the page says what is locked and until when; an administrator unlocks."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.lockout import is_locked

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


def attempt(client, username, password, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_locking_user_a_leaves_user_b_behind_the_same_address_able_to_log_in(client, people, settings):
    with time_machine.travel(NOW, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "alice", "sai-mat-khau")
        locked = attempt(client, "alice", "mat-khau-123")
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Tài khoản <strong>alice</strong> tạm khóa đến 10:00 ngày 02/03/2026" in page
        assert "Các tài khoản khác vẫn đăng nhập bình thường" in page

        bob = attempt(client, "bob", "mat-khau-123")
        assert bob.status_code == 302 and bob.url == reverse("home")
        client.logout()
        # Bob's success cleared only Bob's record: Alice is still locked.
        assert attempt(client, "alice", "mat-khau-123").status_code == 429

    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert attempt(client, "alice", "mat-khau-123").status_code == 302


def test_unknown_user_names_from_one_address_do_not_lock_real_accounts(client, people, settings):
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        attempt(client, f"khong-ton-tai-{n % 3}", "sai")
    assert attempt(client, "alice", "mat-khau-123").status_code == 302


def test_many_failures_from_one_address_lock_that_address_only(client, people, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    with time_machine.travel(NOW, tick=False):
        for n in range(6):
            attempt(client, f"doan-mo-{n}", "sai", address="203.0.113.9")
        locked = attempt(client, "bob", "mat-khau-123", address="203.0.113.9")
        assert locked.status_code == 429
        assert "Địa chỉ mạng <strong>203.0.113.9</strong> tạm khóa đến 10:00 ngày 02/03/2026" in locked.content.decode()
        assert attempt(client, "bob", "mat-khau-123", address="198.51.100.7").status_code == 302


def test_an_administrator_unlocks_an_account_from_the_admin(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "sai-mat-khau")
    assert is_locked("alice")
    client.force_login(people["admin"])
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist, {"action": "unlock_login", "_selected_action": [people["alice"].pk]}, follow=True
    )
    assert "Đã mở khóa đăng nhập cho 1 tài khoản" in response.content.decode()
    assert not is_locked("alice")
    client.logout()
    assert attempt(client, "alice", "mat-khau-123").status_code == 302
