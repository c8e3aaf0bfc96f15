import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The people of tests/conftest.py get passwords; hashing them with PBKDF2 costs seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
