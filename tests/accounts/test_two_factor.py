"""Optional two-step sign-in (TOTP) for administrators: turn on with a code, then the login asks for one."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def code(device, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at or time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def province_admin(org):
    return UserFactory(username="qng.quantri", role=User.Role.PROVINCE_ADMIN, unit=org["ubnd"])


def test_an_administrator_turns_on_two_step_sign_in_and_the_login_asks_for_the_code(client, province_admin):
    client.force_login(province_admin)
    assert "Bật xác thực hai bước" in client.get(reverse("two_factor")).content.decode()
    assert not TOTPDevice.objects.exists()  # a GET writes nothing
    client.post(reverse("two_factor_start"))
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page and re.search(r'<code id="totp-secret">[A-Z2-7]+</code>', page)
    device = TOTPDevice.objects.get(user=province_admin)
    assert "Mã không đúng" in client.post(reverse("two_factor"), {"token": "000000"}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes one wait after a wrong code
    assert client.post(reverse("two_factor"), {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()

    response = client.post(reverse("login"), {"username": "qng.quantri", "password": "mat-khau-123"})
    assert response.status_code == 302 and response.url == reverse("login_otp")
    assert client.get(reverse("people:unit_list")).status_code == 302  # not logged in yet
    wrong = client.post(reverse("login_otp"), {"token": "123456"})
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(reverse("login_otp"), {"token": code(device, time.time() + 30)})
    assert ok.status_code == 302
    assert client.get(reverse("people:unit_list")).status_code == 200


def test_without_a_device_the_login_is_one_step_and_others_cannot_use_it(client, people):
    response = client.post(reverse("login"), {"username": "alice", "password": "mat-khau-123"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("two_factor")).status_code == 403
    assert client.post(reverse("two_factor_start")).status_code == 403
