"""The document import in the browser: upload → read in the background → review beside the source → save.

Celery runs in-process here; the reading is the same function the worker runs.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Unit
from plans.models import Plan, PlanImport

from .import_docs import seed_file, to_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):
    from pci_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _upload(client, data, name, capture):
    with capture(execute=True):
        return client.post("/plans/import/", {"file": SimpleUploadedFile(name, data)})


def _pdf(text=None, password=None):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_focal_office_imports_maps_units_and_saves_one_plan_with_its_source(
    as_user, org, eager, django_capture_on_commit_callbacks, client
):
    carol = as_user("carol")
    data, name = seed_file("qng", "txt")
    response = _upload(carol, data, name, django_capture_on_commit_callbacks)
    imp = PlanImport.objects.get()
    assert response["Location"] == f"/imports/{imp.pk}/"
    assert imp.status == "ready" and not Plan.objects.filter(tracked=True).exists()  # nothing saved yet
    page = carol.get(f"/imports/{imp.pk}/").content.decode()
    assert "Văn bản gốc" in page and "Phòng Quản lý thương mại chủ trì" in page
    assert "Đơn vị chưa khớp" in page and "“Thanh tra Sở”" in page

    # Leave and come back: the reviewer's edits are kept in the draft.
    draft = imp.draft
    unmatched = sorted(
        {
            r["text"]
            for s in _tasks(draft)
            for r in [s["lead"], *s["coordinating"]]
            if r and not r["code"] and not r["children_of"] and r["text"]
        }
    )
    post = {
        "version": imp.version,
        "plan-title": "Kế hoạch CSTP 8 (đã rà soát)",
        "plan-period_start": "2021",
        "plan-period_end": "2025",
        "plan-issuer": "QNG-SCT",
        "keep": "1",
    }
    for i, text in enumerate(unmatched):
        post[f"unit-{i}-text"] = text
        post[f"unit-{i}-code"] = "QNG-SCT-QLTM" if text == "Văn phòng Sở" else "__new__"
    assert carol.post(f"/imports/{imp.pk}/update/", post).status_code == 302
    imp.refresh_from_db()
    assert imp.draft["title"] == "Kế hoạch CSTP 8 (đã rà soát)" and imp.version == 1
    assert "Kế hoạch CSTP 8 (đã rà soát)" in carol.get(f"/imports/{imp.pk}/").content.decode()

    # A stale form (read before the save above) changes nothing.
    stale = carol.post(f"/imports/{imp.pk}/update/", {**post, "version": 0, "plan-title": "Cũ"}, follow=True)
    assert "vừa được lưu ở nơi khác" in stale.content.decode()

    response = carol.post(f"/imports/{imp.pk}/update/", {**post, "version": 1, "save": "1"})
    plan = Plan.objects.get(tracked=True)
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.tasks.count() == 21 and plan.focal_unit == org["khtcth"]
    assert plan.tasks.filter(lead_unit=org["qltm"]).exists()
    assert Unit.objects.filter(name="Thanh tra Sở", parent=org["sct"]).exists()
    imp.refresh_from_db()
    assert imp.status == "saved" and imp.plan == plan

    # The source document: downloadable by readers of the plan, by no one else.
    detail = as_user("alice").get(f"/plans/{plan.pk}/").content.decode()
    assert "Văn bản gốc" in detail
    download = as_user("alice").get(f"/plans/{plan.pk}/source/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    # (Sở Tư pháp coordinates a task of this plan, so eve reads it; an agency of another province does not.)
    from django.test import Client

    from tests.factories import UnitFactory, UserFactory

    stranger = Client()
    stranger.force_login(UserFactory(unit=UnitFactory(code="HUE-SCT", kind="department"), role="official"))
    assert stranger.get(f"/plans/{plan.pk}/source/").status_code == 404


def _tasks(draft):
    out = list(draft["tasks"])

    def walk(sections):
        for s in sections:
            out.extend(s["tasks"])
            walk(s["children"])

    walk(draft["sections"])
    return out


def test_saving_with_an_unmatched_unit_says_which_and_saves_nothing(
    as_user, org, eager, django_capture_on_commit_callbacks
):
    carol = as_user("carol")
    data, name = seed_file("qng", "txt")
    _upload(carol, data, name, django_capture_on_commit_callbacks)
    imp = PlanImport.objects.get()
    response = carol.post(f"/imports/{imp.pk}/update/", {"version": 0, "plan-issuer": "QNG-SCT", "save": "1"})
    assert response.status_code == 400
    assert "Chưa khớp đơn vị “Thanh tra Sở”" in response.content.decode()
    assert not Plan.objects.filter(tracked=True).exists()


def test_a_bad_year_is_refused_and_what_was_typed_stays(as_user, org, eager, django_capture_on_commit_callbacks):
    carol = as_user("carol")
    data, name = seed_file("tth", "txt")
    _upload(carol, data, name, django_capture_on_commit_callbacks)
    imp = PlanImport.objects.get()
    response = carol.post(
        f"/imports/{imp.pk}/update/",
        {"version": 0, "plan-title": "Tiêu đề mới", "plan-period_start": "hai nghìn", "plan-period_end": "2024"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Từ năm phải là một năm" in page and "Tiêu đề mới" in page
    imp.refresh_from_db()
    assert imp.version == 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "Tệp Word cũ (.doc)"),
        ("ke-hoach.pdf", _pdf(), "Tệp PDF không có lớp văn bản"),
        ("ke-hoach.pdf", _pdf(password="bi-mat"), "Tệp PDF được đặt mật khẩu"),
        ("ke-hoach.txt", "Xin chào\nĐây là một ghi chú ngắn.".encode(), "Không nhận ra cấu trúc kế hoạch"),
    ],
    ids=["old-doc", "scanned-pdf", "encrypted-pdf", "no-structure"],
)
def test_bad_documents_get_a_vietnamese_message_and_nothing_is_saved(
    as_user, org, eager, django_capture_on_commit_callbacks, name, data, message
):
    carol = as_user("carol")
    response = _upload(carol, data, name, django_capture_on_commit_callbacks)
    if response.status_code == 302:
        response = carol.get(response["Location"])
    assert message in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("hong.docx", b"PK\x03\x04 this is not a real package", "docx"),
        ("lon.txt", b"a" * (6 * 1024 * 1024), "quá lớn"),
    ],
    ids=["corrupt-docx", "oversize"],
)
def test_bad_uploads_are_refused_before_reading(as_user, org, name, data, message):
    response = as_user("carol").post("/plans/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not PlanImport.objects.exists()


def test_an_import_is_only_for_whoever_uploaded_it(as_user, org, people, eager, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    data = to_docx("KẾ HOẠCH\nThử nghiệm năm 2024\nI. NHIỆM VỤ\n1. Nhóm A\n- Việc một.")
    _upload(as_user("carol"), data, "thu.docx", django_capture_on_commit_callbacks)
    imp = PlanImport.objects.get()
    other_focal = UserFactory(username="focal2", role="focal", unit=org["stp_hc"])
    from django.test import Client

    other = Client()
    other.force_login(other_focal)
    assert other.get(f"/imports/{imp.pk}/").status_code == 404
    assert as_user("alice").get(f"/imports/{imp.pk}/").status_code == 403
    assert as_user("admin").get(f"/imports/{imp.pk}/").status_code == 200


def test_the_reviewer_moves_a_task_drops_a_misread_one_and_fixes_a_rule_and_a_target(
    as_user, org, eager, django_capture_on_commit_callbacks
):
    carol = as_user("carol")
    data, name = seed_file("qng", "txt")
    _upload(carol, data, name, django_capture_on_commit_callbacks)
    imp = PlanImport.objects.get()
    post = {
        "version": 0,
        "task-0-section": "IV",  # from "Nhiệm vụ đầu mối" to "Tổ chức thực hiện"
        "task-1-delete": "1",
        "rule-0-day": "30",
        "rule-0-month": "1",
        "rule-2-delete": "1",
        "target-3-year": "2022",
        "keep": "1",
    }
    for i in range(2, 21):
        post[f"task-{i}-section"] = _section_of(imp.draft, i)
    assert carol.post(f"/imports/{imp.pk}/update/", post).status_code == 302
    imp.refresh_from_db()
    draft = imp.draft
    tasks = _tasks(draft)
    assert len(tasks) == 20
    section_iv = next(s for s in draft["sections"] if s["number"] == "IV")
    assert section_iv["tasks"][0]["description"].startswith("Chủ động phối hợp với các Sở, ban, ngành")
    assert [(r["day"], r["month"]) for r in draft["reporting_rules"]] == [(30, 1), (5, 6)]
    assert draft["targets"][3]["year"] == 2022
    bad = carol.post(f"/imports/{imp.pk}/update/", {"version": 1, "rule-0-day": "31", "rule-0-month": "2"})
    assert bad.status_code == 400 and "Ngày 31/2 không tồn tại." in bad.content.decode()


def _section_of(draft, index):
    def walk(sections, out):
        for s in sections:
            out += [s["number"]] * len(s["tasks"])
            walk(s["children"], out)
        return out

    order = []
    # The page lists tasks in draft.all_tasks() order: loose tasks first, then section by section, depth first.
    for s in draft["sections"]:
        order += [s["number"]] * len(s["tasks"])
        walk(s["children"], order)
    return order[index]
