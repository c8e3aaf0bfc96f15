"""Fixtures of the workspace tests: an outsider's plan and task, PDF bytes, a logged-in client per person."""

import pytest

from tests.factories import PlanFactory, SectionFactory, TaskFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
OTHER_TITLE = "Rà soát thủ tục hành chính tư pháp (nhiệm vụ riêng của Sở Tư pháp)"


@pytest.fixture
def other_plan(org):
    """A plan of another agency (Sở Tư pháp) that SCT's people must never see."""
    return PlanFactory(key="qng-stp-test", issuer=org["stp"], number="12/KH-STP", title="Kế hoạch của Sở Tư pháp")


@pytest.fixture
def other_task(other_plan, org):
    section = SectionFactory(plan=other_plan, number="1", title="Nhóm giải pháp riêng của Sở Tư pháp")
    return TaskFactory(plan=other_plan, section=section, lead_unit=org["stp_hc"], title=OTHER_TITLE)


@pytest.fixture
def as_user(client, people):
    """`as_user("alice")` logs the test client in as that person."""

    def login(name):
        client.force_login(people[name])
        return client

    return login


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Evidence files go to a temporary private MEDIA_ROOT, not the developer's var/media."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(media), "base_url": None}},
    }
    return media
