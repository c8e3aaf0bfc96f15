"""Shared fixtures: a small organisation and its well-named people.

The province: UBND tỉnh Quảng Ngãi → Sở Công Thương (SCT) → its divisions; another
agency, Sở Tư pháp (STP), gives the outsider. People, used by every test:

- alice: official (chuyên viên) of SCT's trade division (QLTM)
- bob: head of that division (trưởng phòng)
- carol: focal office (Phòng KH-TC-TH of SCT)
- dave: leadership of SCT (Phó Giám đốc)
- frank: official of another division of SCT (QLXNK)
- eve: official of another agency (Sở Tư pháp) — the outsider
- admin: administrator
"""

import os

import pytest
from django.utils import translation

from accounts.models import Unit, User
from indicators.models import Index
from indicators.reference import load_reference

from .factories import PersonFactory, PlanFactory, SectionFactory, TaskFactory, UnitFactory, UserFactory, province

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests travel days between two requests of one session; the idle timeout is tested on its own
    # (tests/accounts/test_passwords.py), and its once-a-minute session write would skew query counts.
    settings.SESSION_IDLE_TIMEOUT = 0
    # Each test's server error reaches ADMINS; the once-per-kind limit is tested on its own
    # (tests/portal/test_admin_error_mail.py), with a cache of its own.
    settings.ADMIN_ERROR_MAIL_PERIOD = 0


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test starts in Vietnamese: a request in English must not leak into the next test."""
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def reference(db):
    """PCI reference data; migrations load it, but transactional tests flush it."""
    if not Index.objects.filter(code="PCI").exists():
        load_reference()


@pytest.fixture
def org(reference):
    ubnd = UnitFactory(
        code="QNG-UBND",
        name="Ủy ban nhân dân tỉnh Quảng Ngãi",
        short_name="UBND tỉnh Quảng Ngãi",
        kind=Unit.Kind.PEOPLE_COMMITTEE,
        province=province("Quảng Ngãi"),
        place="Quảng Ngãi",
        abbreviation="UBND",
    )
    sct = UnitFactory(code="QNG-SCT", name="Sở Công Thương", kind=Unit.Kind.DEPARTMENT, parent=ubnd, abbreviation="SCT")
    stp = UnitFactory(code="QNG-STP", name="Sở Tư pháp", kind=Unit.Kind.DEPARTMENT, parent=ubnd, abbreviation="STP")
    units = {
        "ubnd": ubnd,
        "sct": sct,
        "stp": stp,
        "qltm": UnitFactory(code="QNG-SCT-QLTM", name="Phòng Quản lý thương mại", parent=sct),
        "qlxnk": UnitFactory(code="QNG-SCT-QLXNK", name="Phòng Quản lý Xuất nhập khẩu", parent=sct),
        "khtcth": UnitFactory(code="QNG-SCT-KHTCTH", name="Phòng Kế hoạch – Tài chính – Tổng hợp", parent=sct),
        "stp_hc": UnitFactory(code="QNG-STP-HCTP", name="Phòng Hành chính tư pháp", parent=stp),
    }
    return units


@pytest.fixture
def people(org):
    leader = PersonFactory(key="do-tien-dat", full_name="Đỗ Tiến Đạt", title="Phó Giám đốc", unit=org["sct"])
    return {
        "alice": UserFactory(username="alice", full_name="Nguyễn Thị Alice", role=User.Role.OFFICIAL, unit=org["qltm"]),
        "bob": UserFactory(username="bob", full_name="Trần Văn Bình", role=User.Role.UNIT_HEAD, unit=org["qltm"]),
        "carol": UserFactory(username="carol", full_name="Lê Thị Cúc", role=User.Role.FOCAL, unit=org["khtcth"]),
        "dave": UserFactory(
            username="dave", full_name="Đỗ Tiến Đạt", role=User.Role.LEADER, unit=org["sct"], person=leader
        ),
        "frank": UserFactory(username="frank", full_name="Phạm Văn Phúc", role=User.Role.OFFICIAL, unit=org["qlxnk"]),
        "eve": UserFactory(username="eve", full_name="Hoàng Thị Yến", role=User.Role.OFFICIAL, unit=org["stp_hc"]),
        "admin": UserFactory(
            username="admin", full_name="Quản trị", role=User.Role.ADMIN, unit=None, is_staff=True, is_superuser=True
        ),
        "leader_person": leader,
    }


@pytest.fixture
def plan(org):
    return PlanFactory(
        key="qng-sct-test",
        issuer=org["sct"],
        focal_unit=org["khtcth"],
        number="",
        number_suffix="KH-SCT",
        period_start=2021,
        period_end=2025,
    )


@pytest.fixture
def task(plan, org, people):
    section = SectionFactory(
        plan=plan, number="2.1.a", title="Nhiệm vụ giải pháp hỗ trợ doanh nghiệp xúc tiến thương mại"
    )
    t = TaskFactory(
        plan=plan,
        section=section,
        lead_unit=org["qltm"],
        leader=people["leader_person"],
        title="Tăng số lượng hội chợ thương mại",
    )
    t.coordinating_units.add(org["qlxnk"])
    return t


# --- Real browser: Playwright driving Debian's Chromium -------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab at desktop size; `page.base_url` is the live server."""
    context = chromium.new_context(
        viewport={"width": 1366, "height": 900},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def login(page, username, password="mat-khau-123"):
    """Log in through the real form, as a person would."""
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


# --- Real SMTP server on loopback (aiosmtpd) --------------------------------------------------------


class _Inbox:
    def __init__(self):
        self.messages = []
        self.connections = 0  # SMTP sessions opened by clients
        self.delay = 0  # seconds to wait before answering DATA: a slow server that answers after the client gave up

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        from email import policy

        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": msg})
        if self.delay:
            await asyncio.sleep(self.delay)  # the message is taken; the "250 OK" comes late
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it. `.messages` holds what arrived."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    inbox.port = port
    yield inbox
    controller.stop()
