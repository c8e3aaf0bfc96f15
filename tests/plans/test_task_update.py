"""Updating a task: status, progress, result, evidence files checked by content, htmx, concurrent edits."""

import io

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from plans.models import Evidence, Task, TaskUpdate
from plans.services import StaleTask, update_task
from tests.html import by_id, parse, select, text

from .conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def post_update(client, task, files=(), htmx=False, **data):
    payload = {"status": "in_progress", "progress": 50, "note": "Đã tổ chức 02 hội chợ.", "version": task.version}
    payload.update(data)
    payload["files"] = list(files)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/tasks/{task.pk}/update/", payload, headers=headers)


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_official_updates_her_task_with_a_pdf_and_sees_it_in_the_history(as_user, task, private_media):
    client = as_user("alice")
    response = post_update(client, task, files=[pdf("Báo cáo hội chợ.pdf")])
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == ("in_progress", 50, 1)
    assert task.result_note == "Đã tổ chức 02 hội chợ."
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Đã tổ chức 02 hội chợ." in page
    assert "Báo cáo hội chợ.pdf" in page
    assert "Nguyễn Thị Alice" in page
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert "Báo cáo" not in evidence.file.name and not evidence.file.name.endswith(".pdf")
    assert (private_media / evidence.file.name).read_bytes() == PDF_BYTES


def test_htmx_update_returns_the_form_and_refreshes_header_and_history_out_of_band(as_user, task):
    response = post_update(as_user("alice"), task, htmx=True, progress=70)
    assert response.status_code == 200
    fragment = parse(response)
    # The wrapper lxml adds around several top-level elements; the first is the swapped target.
    first = fragment if fragment.get("id") == "task-actions" else fragment[0]
    assert first.get("id") == "task-actions" and first.get("hx-swap-oob") is None
    out_of_band = {el.get("id") for el in fragment.xpath('//*[@hx-swap-oob="true"]')}
    assert out_of_band == {"task-header", "task-history", "task-assignees"}
    assert "70%" in text(by_id(response, "task-header"))
    assert "Đã lưu cập nhật nhiệm vụ." in text(first)


@pytest.mark.parametrize(
    "name, content",
    [
        ("ket-qua.docx", "docx"),
        ("so-lieu.xlsx", "xlsx"),
        ("anh-hoi-cho.png", PNG_BYTES),
        ("van-ban.pdf", PDF_BYTES),
    ],
)
def test_word_excel_images_and_pdf_are_accepted(as_user, task, name, content):
    if content == "docx":
        buf = io.BytesIO()
        document = docx.Document()
        document.add_paragraph("Kết quả")
        document.save(buf)
        content = buf.getvalue()
    elif content == "xlsx":
        buf = io.BytesIO()
        openpyxl.Workbook().save(buf)
        content = buf.getvalue()
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == name


def test_a_renamed_file_is_refused_by_its_content_and_the_typed_text_is_kept(as_user, task):
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = post_update(as_user("alice"), task, files=[fake], note="Ghi chú dài đã gõ cẩn thận")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung tệp “bao-cao.pdf” không phải là tệp .pdf hợp lệ" in page
    assert "Ghi chú dài đã gõ cẩn thận" in page
    assert not TaskUpdate.objects.exists()
    task.refresh_from_db()
    assert task.version == 0


def test_a_program_is_refused_by_its_extension(as_user, task):
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("setup.exe", b"MZ\x90\x00")])
    assert response.status_code == 400
    assert "chỉ nhận PDF, Word (.docx, .doc), Excel (.xlsx, .xls)" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(as_user, task, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    response = post_update(as_user("alice"), task, files=[pdf()])
    assert "quá lớn" in response.content.decode()
    assert "dung lượng tối đa là 50" in response.content.decode()
    assert not Evidence.objects.exists()


def test_done_needs_full_progress(as_user, task):
    response = post_update(as_user("alice"), task, status="done", progress=80)
    assert "Nhiệm vụ hoàn thành thì tiến độ phải là 100%." in response.content.decode()


def test_second_person_with_a_stale_form_is_told_what_changed_and_keeps_what_they_typed(as_user, task, people):
    stale_version = task.version
    update_task(task, by=people["bob"], status="in_progress", progress=60, note="Trưởng phòng đã cập nhật")
    response = post_update(
        as_user("alice"), task, htmx=True, version=stale_version, progress=55, note="Nội dung Alice đang gõ"
    )
    page = response.content.decode()
    assert "Nhiệm vụ vừa được người khác cập nhật trong lúc bạn nhập" in page
    assert "Trần Văn Bình" in page and "Trưởng phòng đã cập nhật" in page  # what changed, and by whom
    assert "Nội dung Alice đang gõ" in page and 'value="55"' in page  # nothing typed is lost
    assert f'name="version" value="{stale_version + 1}"' in page  # a deliberate resubmit goes through
    assert TaskUpdate.objects.count() == 1
    task.refresh_from_db()
    assert task.progress == 60


def test_the_verb_refuses_a_stale_version(task, people):
    update_task(task, by=people["alice"], status="in_progress", progress=10, version=0)
    with pytest.raises(StaleTask) as caught:
        update_task(task, by=people["bob"], status="in_progress", progress=20, version=0)
    assert caught.value.task.progress == 10
    assert [u.progress for u in caught.value.changes] == [10]


@pytest.mark.parametrize("name, status", [("frank", 403), ("dave", 403), ("eve", 404)])
def test_who_may_not_update_is_refused(as_user, task, name, status):
    assert post_update(as_user(name), task).status_code == status
    assert not TaskUpdate.objects.exists()


def test_unit_head_and_focal_office_may_update(as_user, task):
    assert post_update(as_user("bob"), task).status_code == 302
    task.refresh_from_db()
    assert post_update(as_user("carol"), task).status_code == 302
    assert TaskUpdate.objects.count() == 2


@pytest.mark.parametrize("name", ["frank", "dave", "carol", "alice"])
def test_coordinating_units_and_leadership_comment(as_user, task, name):
    response = as_user(name).post(f"/tasks/{task.pk}/comment/", {"note": "Đề nghị bổ sung số liệu."})
    assert response.status_code == 302
    comment = TaskUpdate.objects.get()
    assert comment.kind == TaskUpdate.Kind.COMMENT
    task.refresh_from_db()
    assert task.status == Task.Status.NOT_STARTED  # a comment does not change the task


def test_outsider_cannot_comment(as_user, task):
    assert as_user("eve").post(f"/tasks/{task.pk}/comment/", {"note": "x"}).status_code == 404


def test_unit_head_assigns_the_task_and_the_official_is_notified(as_user, task, people):
    response = as_user("bob").post(f"/tasks/{task.pk}/assign/", {"users": [people["alice"].pk], "note": "Gấp"})
    assert response.status_code == 302
    assert list(task.assignees.all()) == [people["alice"]]
    entry = TaskUpdate.objects.get()
    assert entry.kind == TaskUpdate.Kind.ASSIGNMENT and "Nguyễn Thị Alice" in entry.note
    notification = Notification.objects.get(user=people["alice"])
    assert task.title in notification.title and notification.url == f"/tasks/{task.pk}/"


def test_only_people_of_the_lead_unit_can_be_assigned(as_user, task, people):
    response = as_user("bob").post(f"/tasks/{task.pk}/assign/", {"users": [people["frank"].pk]})
    assert response.status_code == 400
    assert not task.assignees.exists()


@pytest.mark.parametrize("name, status", [("alice", 403), ("frank", 403), ("dave", 403), ("eve", 404)])
def test_only_the_unit_head_or_focal_office_assigns(as_user, task, people, name, status):
    response = as_user(name).post(f"/tasks/{task.pk}/assign/", {"users": [people["alice"].pk]})
    assert response.status_code == status


def test_forms_shown_match_what_the_person_may_do(as_user, task):
    alice_page = as_user("alice").get(f"/tasks/{task.pk}/").content.decode()
    assert "Lưu cập nhật" in alice_page and "Lưu phân công" not in alice_page
    frank_page = as_user("frank").get(f"/tasks/{task.pk}/").content.decode()
    assert "Lưu cập nhật" not in frank_page and "Gửi ý kiến" in frank_page
    bob_page = as_user("bob").get(f"/tasks/{task.pk}/").content.decode()
    assert "Lưu phân công" in bob_page


def status_options(response):
    return [o.get("value") for o in select(response, '//form//select[@name="status"]/option')]


def test_only_the_plans_focal_office_may_cancel_a_task(as_user, task):
    assert "cancelled" not in status_options(as_user("alice").get(f"/tasks/{task.pk}/"))
    response = as_user("alice").post(
        f"/tasks/{task.pk}/update/", {"status": "cancelled", "progress": 0, "version": task.version}
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == Task.Status.NOT_STARTED and not TaskUpdate.objects.exists()
    assert "cancelled" in status_options(as_user("carol").get(f"/tasks/{task.pk}/"))
    assert post_update(as_user("carol"), task, status="cancelled", progress=0).status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


def test_focal_office_updates_a_task_its_own_unit_leads_in_another_plan(as_user, org, people):
    from tests.factories import PlanFactory, TaskFactory

    provincial = PlanFactory(issuer=org["ubnd"], focal_unit=None)
    own = TaskFactory(plan=provincial, lead_unit=org["khtcth"])
    data = {"status": "in_progress", "progress": 30, "version": 0}
    response = as_user("carol").post(f"/tasks/{own.pk}/update/", data)
    assert response.status_code == 302 and response["Location"] == f"/tasks/{own.pk}/"
    own.refresh_from_db()
    assert own.progress == 30


def test_a_section_that_is_not_a_number_is_ignored(as_user, plan, task):
    client = as_user("carol")

    def chosen(section):
        response = client.get(f"/plans/{plan.pk}/tasks/new/?section={section}")
        assert response.status_code == 200
        return [o.get("value") for o in select(response, '//select[@name="section"]/option[@selected]')]

    assert chosen(task.section_id) == [str(task.section_id)]
    assert chosen("abc") in ([], [""])


def test_a_comment_sent_with_htmx_is_confirmed_above_the_forms(as_user, task):
    response = as_user("frank").post(
        f"/tasks/{task.pk}/comment/", {"note": "Đề nghị bổ sung số liệu."}, HTTP_HX_REQUEST="true"
    )
    [confirmation] = select(response, '//*[@role="status"][contains(@class, "alert-success")]')
    assert text(confirmation) == "Đã gửi ý kiến."
    assert "Đề nghị bổ sung số liệu." in text(by_id(response, "task-history"))
