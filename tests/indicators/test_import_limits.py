"""The results importer refuses heavy or broken input with a Vietnamese message (never a 500), quickly."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Result

from .test_import import HEADER, csv_file, qn_row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol_client(client, people):
    """The focal office, given the results-keeper right by an administrator."""
    from django.contrib.auth.models import Permission

    people["carol"].user_permissions.add(Permission.objects.get(codename="keep_results"))
    client.force_login(people["carol"])
    return client


def check(response, text):
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert text in body, body[:500]
    assert "Lưu tất cả" not in body
    assert Result.objects.count() == 0


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-inf", "sNaN", "1e999999"])
def test_a_score_cell_that_is_not_a_finite_number_is_a_row_error(carol_client, value):
    check(upload(carol_client, csv_file(qn_row(total=value))), f"điểm PCI “{value}” không phải là số")


def workbook(*rows, patch=None):
    """An .xlsx of the rows; `patch` rewrites the sheet's XML (cell values openpyxl would never write)."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    if patch is None:
        return SimpleUploadedFile("pci.xlsx", buf.getvalue())
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = patch(data)
            z.writestr(item, data)
    return SimpleUploadedFile("pci.xlsx", out.getvalue())


def test_an_infinite_number_from_excel_is_a_row_error(carol_client):
    f = workbook(
        HEADER.split(";"),
        ["Quảng Ninh", 73.25, 1] + [7.5, None] * 10,
        patch=lambda x: x.replace(b"<v>73.25</v>", b"<v>1E400</v>"),
    )
    check(upload(carol_client, f), "điểm PCI “inf” không phải là số")


def test_a_nan_typed_as_a_number_in_the_sheet_is_a_file_error(carol_client):
    f = workbook(
        HEADER.split(";"),
        ["Quảng Ninh", 73, 1] + [7.5, None] * 10,
        patch=lambda x: x.replace(b"<v>73</v>", b"<v>NaN</v>"),
    )
    check(upload(carol_client, f), "Không đọc được trang tính đầu tiên của tệp Excel (sau dòng 1)")


def test_a_csv_field_longer_than_the_csv_module_allows_is_refused(carol_client):
    f = csv_file(qn_row(name="x" * 140_000))
    check(upload(carol_client, f), "ô dài quá")


def test_a_hundred_thousand_rows_are_refused_quickly(carol_client):
    rows = "\n".join([HEADER] + ["Quảng Ninh;73;1"] * 100_000)  # 1.6 MB, as in issue 13
    started = time.monotonic()
    response = upload(carol_client, SimpleUploadedFile("pci.csv", rows.encode()))
    assert time.monotonic() - started < 5
    check(response, "quá nhiều dòng")


def test_a_file_over_the_size_limit_is_refused_before_reading(carol_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(carol_client, csv_file(*[qn_row()] * 20))
    assert "quá lớn" in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 not really a zip",
        b"<html>an HTML page</html>",
    ],
)
def test_a_malformed_workbook_is_refused(carol_client, content):
    response = upload(carol_client, SimpleUploadedFile("pci.xlsx", content))
    assert "không phải là tệp .xlsx hợp lệ" in response.content.decode()


def test_a_workbook_with_a_cut_sheet_is_refused(carol_client):
    f = workbook(["x"], patch=lambda x: b"<worksheet><sheetData><row><c r='A1' t='s'><v>99</v></c></row>")
    check(upload(carol_client, f), "Không đọc được")


def test_a_csv_with_nul_bytes_is_refused(carol_client):
    f = SimpleUploadedFile("pci.csv", ("\n".join([HEADER, qn_row()]) + "\x00").encode())
    assert "không phải là tệp .csv hợp lệ" in upload(carol_client, f).content.decode()


def test_a_zip_bomb_workbook_is_refused_fast(carol_client, settings):
    settings.OOXML_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(40):
                member.write(b"\0" * (1024 * 1024))
    started = time.monotonic()
    response = upload(carol_client, SimpleUploadedFile("pci.xlsx", out.getvalue()))
    assert time.monotonic() - started < 2
    assert "khi giải nén quá lớn" in response.content.decode()
