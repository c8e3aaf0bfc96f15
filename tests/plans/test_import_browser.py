"""In Chromium: the focal office imports the Quảng Ngãi plan as .docx, maps the one unit it did not match,
saves, and the plan page shows what the demo plan shows."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Unit
from plans.importing.directory import fold
from plans.models import Plan
from tests.conftest import login

from .import_docs import seed_file
from .import_scoring import score, snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo(reference, settings):
    from pci_portal.celery import app

    call_command("load_demo", force=True, verbosity=0, stderr=StringIO())
    # The inspectorate goes by another name in this tree, so "Thanh tra Sở" matches nothing.
    Unit.objects.filter(code="QNG-SCT-TTR").update(name="Thanh tra chuyên ngành", short_name="Thanh tra chuyên ngành")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _headings(page):
    return [fold(h) for h in page.locator("#sections-h ~ div h3").all_inner_texts()]


def test_focal_office_imports_the_quang_ngai_plan_from_docx(page, demo):
    # Reading and saving run in the request here (Celery eager); a loaded CI machine needs more than 15 s.
    page.set_default_timeout(90_000)
    data, name = seed_file("qng", "docx")
    login(page, "qng.tonghop", "demo12345")
    page.goto("/plans/")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    page.get_by_label("Văn bản kế hoạch").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.get_by_role("button", name="Tải lên và đọc").click()
    expect(page.get_by_role("heading", name=re.compile("Rà soát bản nháp"))).to_be_visible()
    expect(page.get_by_role("heading", name="Đơn vị chưa khớp")).to_be_visible()
    # Every unit field of the page offers the one list of the tree's units ("Tên · MÃ"), typed into or picked.
    inspectorate = page.get_by_label("“Thanh tra Sở”")
    assert inspectorate.get_attribute("list") == "unit-list"
    offered = page.locator("#unit-list option").evaluate_all("(options) => options.map((o) => o.value)")
    inspectorate.fill(next(v for v in offered if v.startswith("Thanh tra chuyên ngành")))
    page.get_by_role("button", name="Lưu thành kế hoạch").click()
    expect(page.get_by_text("Đã lưu kế hoạch từ văn bản")).to_be_visible()

    imported = Plan.objects.get(imports__original_name=name)
    demo_plan = Plan.objects.get(key="qng-sct-2021")
    assert page.url.endswith(f"/plans/{imported.pk}/")
    shown = _headings(page)
    expect(page.get_by_role("link", name=re.compile("Văn bản gốc"))).to_be_visible()
    targets = page.locator("#targets table").inner_text()
    rules = page.locator("#rules").inner_text()
    page.goto(f"/plans/{demo_plan.pk}/")
    assert shown == _headings(page) and len(shown) == 11
    assert page.locator("#targets table").inner_text() == targets
    assert fold(page.locator("#rules").inner_text()) == fold(rules)
    matched, total, misses = score(snapshot(imported), snapshot(demo_plan))
    assert not misses, misses
