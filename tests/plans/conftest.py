"""Fixtures of the workspace tests: an outsider's plan and task, PDF bytes, a logged-in client per person."""

import io

import pypdf
import pytest
from PIL import Image

from tests.factories import PlanFactory, SectionFactory, TaskFactory


def _blank_pdf():
    """A real one-page PDF (uploads are opened with pypdf, so a bare header no longer passes)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


PDF_BYTES = _blank_pdf()
PNG_BYTES = _png()
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


@pytest.fixture
def objects(plan, task, org):
    """One of each object with an edit form: plan, section, task, target, reporting rule."""
    import datetime

    from plans.models import Goal
    from tests.factories import GoalFactory, ReportingRuleFactory, TargetFactory

    # A one-off task needs its due date to be saved again (the schedule's rule since tasks have rounds).
    task.due_date = datetime.date(2025, 6, 30)
    task.save()
    target = TargetFactory(plan=plan, year=2025, baseline_year=2024, baseline_rank=32, baseline_out_of=63)
    GoalFactory(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    rule = ReportingRuleFactory(plan=plan, from_children_of=org["sct"], to_unit=org["khtcth"])
    return {"plan": plan, "section": task.section, "task": task, "target": target, "rule": rule}
