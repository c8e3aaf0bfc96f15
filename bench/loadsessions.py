"""Signed-in sessions made on the server for the load test, so that locust users skip the login form.

    python bench/loadsessions.py --out sessions.json --per-account 20 [usernames…]   # default: ACCOUNTS

Why: a login costs one PBKDF2 hash (Django's default, about 0.3 s of CPU on a quiet core, 19 s on the saturated
2-core machine of 29/11/2026), so a load test that logs 100 users in measures mostly the hasher. The sessions are
ordinary database sessions, made exactly as `django.contrib.auth.login` makes them (user id, backend, the session
hash of the password), so every request of the test goes through the real authentication, idle-time-out and
permission code; only the form POST of the login is left out. The production hasher is untouched.

Writes {"cookie": SESSION_COOKIE_NAME, "sessions": {username: [session keys]}} as JSON.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The demo accounts (`load_demo`) the load test plays, by role (bench/locustfile.py).
ACCOUNTS = {
    "official": ["qng.chuyenvien", "qng.xnk.chuyenvien", "tth.chuyenvien", "tth.vpdd.chuyenvien"],
    "unit_head": ["qng.truongphong", "qng.xnk.truongphong", "tth.truongphong"],
    "focal": ["qng.tonghop", "tth.vanphong"],
    "leader": ["qng.lanhdao", "qng.giamdoc", "tth.lanhdao"],
    "admin": ["admin"],
}


def create_sessions(usernames, per_account):
    """{username: [per_account session keys]} for the active users among `usernames` (needs Django set up)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"
    found = {}
    for user in get_user_model().objects.filter(username__in=usernames, is_active=True):
        keys = []
        for _ in range(per_account):
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
        found[user.username] = keys
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-account", type=int, default=10)
    parser.add_argument("usernames", nargs="*")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    usernames = args.usernames or [name for names in ACCOUNTS.values() for name in names]
    found = create_sessions(usernames, args.per_account)
    missing = sorted(set(usernames) - set(found))
    if missing:
        sys.exit(f"no such active users: {', '.join(missing)}")
    Path(args.out).write_text(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": found}))


if __name__ == "__main__":
    main()
