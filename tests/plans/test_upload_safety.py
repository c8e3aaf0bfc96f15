"""Evidence uploads are what they claim and bounded (pci_portal/uploads.py): Office packages, PDFs, zip bombs,
executables, macros, quotas, and file names of any length."""

import io
import time
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Evidence, TaskUpdate

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def post_update(client, task, files=(), **data):
    payload = {"status": "in_progress", "progress": 40, "note": "Đã làm", "version": task.version, **data}
    payload["files"] = list(files)
    return client.post(f"/tasks/{task.pk}/update/", payload)


def real_docx():
    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Biên bản")
    document.save(buf)
    return buf.getvalue()


def docx_with(extra):
    """A real .docx with members added (name → bytes)."""
    src = zipfile.ZipFile(io.BytesIO(real_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, src.read(item))
        for name, data in extra.items():
            z.writestr(name, data)
    return out.getvalue()


def zip_bomb(megabytes):
    """A small .xlsx-named zip that inflates to `megabytes` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/workbook.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def refused(response, text):
    page = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert text in page, page[:300]
    assert not TaskUpdate.objects.exists() and not Evidence.objects.exists()  # nothing half-saved


def test_a_zip_bomb_is_refused_fast_without_inflating_it(as_user, task, settings):
    settings.OOXML_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    bomb = zip_bomb(60)
    assert len(bomb) < 100 * 1024
    started = time.monotonic()
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("so-lieu.xlsx", bomb)])
    assert time.monotonic() - started < 2
    refused(response, "khi giải nén quá lớn")


def test_any_zip_named_docx_is_refused(as_user, task):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a Word document")
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao-cao.docx", buf.getvalue())])
    refused(response, "Nội dung tệp “bao-cao.docx” không phải là tệp .docx hợp lệ")


def test_a_docx_holding_a_program_is_refused(as_user, task):
    bad = docx_with({"word/media/setup.exe": b"MZ\x90\x00program"})
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao-cao.docx", bad)])
    refused(response, "chứa tệp chạy được (word/media/setup.exe)")


def test_a_program_hidden_under_an_innocent_name_is_refused_by_its_first_bytes(as_user, task):
    bad = docx_with({"word/embeddings/oleObject1.bin": b"MZ\x90\x00\x03\x00\x00\x00program"})
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao-cao.docx", bad)])
    refused(response, "chứa tệp chạy được")


def test_a_document_with_macros_is_refused(as_user, task):
    bad = docx_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao-cao.docx", bad)])
    refused(response, "chứa macro")


def test_an_html_page_starting_with_pdf_is_refused(as_user, task):
    fake = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n"
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao-cao.pdf", fake)])
    refused(response, "không phải là tệp .pdf hợp lệ")


def test_a_real_docx_and_pdf_are_accepted(as_user, task):
    files = [SimpleUploadedFile("bien-ban.docx", real_docx()), SimpleUploadedFile("bao-cao.pdf", PDF_BYTES)]
    assert post_update(as_user("alice"), task, files=files).status_code == 302
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]


def test_a_picture_that_is_not_one_is_refused(as_user, task):
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\nbroken")])
    refused(response, "không phải là tệp .png hợp lệ")


@pytest.mark.parametrize("length", [300, 2000, 20000])
def test_a_file_name_of_any_length_is_kept_cut_not_refused(as_user, task, length):
    name = ("Biên bản hội nghị đối thoại doanh nghiệp " * (length // 40 + 1))[:length] + ".pdf"
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile(name, PDF_BYTES)])
    assert response.status_code == 302
    stored = Evidence.objects.get().original_name
    assert stored.startswith("Biên bản hội nghị") and stored.endswith(".pdf") and len(stored) <= 200
    page = as_user("alice").get(f"/tasks/{task.pk}/").content.decode()
    assert stored in page


def test_control_characters_in_a_file_name_are_dropped(as_user, task):
    response = post_update(as_user("alice"), task, files=[SimpleUploadedFile("bao\x1bcao\x01.pdf", PDF_BYTES)])
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "baocao.pdf"


def test_evidence_of_a_task_is_bounded(as_user, task, settings):
    settings.EVIDENCE_QUOTA_PER_TASK_BYTES = len(PDF_BYTES) * 2
    client = as_user("alice")
    assert post_update(client, task, files=[SimpleUploadedFile("a.pdf", PDF_BYTES)]).status_code == 302
    task.refresh_from_db()
    two = [SimpleUploadedFile("b.pdf", PDF_BYTES), SimpleUploadedFile("c.pdf", PDF_BYTES)]
    response = post_update(client, task, files=two)
    assert response.status_code == 400
    assert "tổng dung lượng của một nhiệm vụ tối đa là" in response.content.decode()
    assert Evidence.objects.count() == 1 and TaskUpdate.objects.count() == 1


def test_evidence_of_a_person_is_bounded(as_user, task, settings):
    settings.EVIDENCE_QUOTA_PER_USER_BYTES = len(PDF_BYTES)
    client = as_user("alice")
    assert post_update(client, task, files=[SimpleUploadedFile("a.pdf", PDF_BYTES)]).status_code == 302
    task.refresh_from_db()
    response = post_update(client, task, files=[SimpleUploadedFile("b.pdf", PDF_BYTES)])
    assert "dung lượng tối đa của mỗi người là" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_too_many_files_at_once_are_refused(as_user, task, settings):
    settings.EVIDENCE_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{i}.pdf", PDF_BYTES) for i in range(3)]
    refused(post_update(as_user("alice"), task, files=files), "tối đa 2 tệp")
