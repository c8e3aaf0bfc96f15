"""The production settings README documents: `check --deploy` clean, a public SECRET_KEY refused."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pci.example.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://pci.example.gov.vn",
        SITE_URL="https://pci.example.gov.vn",
    )
    env.update(overrides)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("key", ["", "   ", "change-me-to-a-long-random-string"])
def test_an_empty_or_example_secret_key_refuses_to_start_with_a_clear_message(key):
    done = manage("check", env=production_env(SECRET_KEY=key))
    assert done.returncode != 0
    assert "SECRET_KEY chưa được đặt hoặc còn là giá trị mẫu" in done.stderr
    assert "secrets.token_urlsafe(50)" in done.stderr


def test_https_switches_are_on_by_default_and_each_can_be_turned_off():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    run = [sys.executable, "-c", "import django; django.setup(); " + code]
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "pci_portal.settings"}
    on = subprocess.run(run, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert on.stdout.split() == ["True", "31536000", "True", "True"], on.stderr
    off = subprocess.run(
        run,
        cwd=BASE_DIR,
        env={**env, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0", "SESSION_COOKIE_SECURE": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert off.stdout.split() == ["False", "0", "False", "False"], off.stderr
