"""Submit, return, resubmit, accept, consolidate; then read the files back with real readers."""

import datetime
import io
import shutil
import subprocess

import pytest
import time_machine

from reporting import services
from reporting.report import build_consolidated_context, build_unit_context, render_docx, render_pdf, render_xlsx

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def consolidated(deadline, unit_tasks, org, heads, people, tmp_path_factory):
    """Two divisions report: the trade division is returned once, resubmitted and accepted; the other is
    accepted; a third division never reports."""
    from tests.factories import UnitFactory

    UnitFactory(code="QNG-SCT-TTKC", name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", parent=org["sct"])
    deadline.fix_units()  # the centre is created after the deadline opened: it owes the report once refreshed
    with time_machine.travel(at(2025, 11, 12), tick=False):
        trade = services.start_submission(deadline, org["qltm"])
        row = trade.rows.get(task=unit_tasks[1])
        services.save_draft(
            trade,
            heads["bob"],
            {"summary": "Phòng hoàn thành các nhiệm vụ được giao.", "difficulties": "=1+1"},
            {row.pk: {"results": "@Hỗ trợ 15 doanh nghiệp đăng ký nhãn hiệu", "proposals": "+Tăng kinh phí"}},
        )
        services.submit_report(trade, heads["bob"])
        services.return_report(trade, people["carol"], "Bổ sung số liệu.")
        services.save_draft(
            trade, heads["bob"], {"proposals": "Đề nghị UBND tỉnh bố trí kinh phí xúc tiến thương mại."}
        )
        services.submit_report(trade, heads["bob"])
        services.accept_report(trade, people["carol"])
    with time_machine.travel(at(2025, 11, 20), tick=False):
        export = services.start_submission(deadline, org["qlxnk"])
        services.save_draft(export, heads["hung"], {"summary": "Đã phát hành 12 bản tin thị trường xuất khẩu."})
        services.submit_report(export, heads["hung"])
        services.accept_report(export, people["carol"])
    context = build_consolidated_context(deadline)
    out = tmp_path_factory.mktemp("report")
    files = {}
    for fmt, fn in (("pdf", render_pdf), ("xlsx", render_xlsx), ("docx", render_docx)):
        files[fmt] = out / f"bao-cao.{fmt}"
        files[fmt].write_bytes(fn(context))
    return context, files


def test_formatters_never_query_the_database(deadline, unit_tasks, django_assert_num_queries):
    context = build_consolidated_context(deadline)
    with django_assert_num_queries(0):
        render_xlsx(context)
        render_docx(context)
        render_pdf(context)


def test_pdf_has_the_administrative_layout_and_intact_vietnamese(consolidated):
    _context, files = consolidated
    text = subprocess.run(
        ["pdftotext", "-layout", files["pdf"], "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ CÔNG THƯƠNG",
        "Số: 87/BC-SCT",
        "Quảng Ngãi, ngày 21 tháng 11 năm 2025",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch năm 2025",
        "Phòng Quản lý thương mại",
        "Đã tổ chức 03 hội chợ, thu hút 250 gian hàng.",
        "Đã phát hành 12 bản tin thị trường xuất khẩu.",
        "Đề nghị UBND tỉnh bố trí kinh phí xúc tiến thương mại.",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "Chưa báo cáo",
        "xếp hạng ≤ 25",
        "Đạt",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Võ Văn Rân",
    ]:
        assert expected in flat, expected


def test_pdf_embeds_liberation_serif(consolidated):
    _context, files = consolidated
    fonts = subprocess.run(["pdffonts", files["pdf"]], capture_output=True, text=True, check=True).stdout
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines and all("LiberationSerif" in line or "Liberation-Serif" in line for line in lines), fonts
    assert all(" yes " in line for line in lines)  # embedded


def test_excel_has_a_summary_and_one_sheet_per_unit_with_dates_and_no_formulas(consolidated):
    from openpyxl import load_workbook

    context, files = consolidated
    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames[:2] == ["Tổng hợp", "Mục tiêu"]
    assert len(wb.sheetnames) == 2 + len(context["units"])
    summary = wb["Tổng hợp"]
    assert summary.freeze_panes is not None
    values = {c.value: c for row in summary.iter_rows() for c in row if c.value is not None}
    assert "Phòng Quản lý thương mại" in values
    assert "=1+1" in values and values["=1+1"].data_type == "s"  # typed by a user: text, never a formula
    submitted = next(row[3].value for row in summary.iter_rows() if row[1].value == "Phòng Quản lý Xuất nhập khẩu")
    assert isinstance(submitted, datetime.datetime) and submitted.date() == datetime.date(2025, 11, 20)
    date_cell = next(row[3] for row in summary.iter_rows() if row[1].value == "Phòng Quản lý Xuất nhập khẩu")
    assert date_cell.number_format == "DD/MM/YYYY"
    assert summary.column_dimensions["B"].width >= 30
    trade = next(wb[name] for name in wb.sheetnames if name.startswith("Phòng Quản lý thương"))
    cells = {c.value: c for row in trade.iter_rows() for c in row if c.value is not None}
    assert trade.freeze_panes is not None
    assert "@Hỗ trợ 15 doanh nghiệp đăng ký nhãn hiệu" in cells and "+Tăng kinh phí" in cells
    assert cells["+Tăng kinh phí"].data_type == "s"
    assert cells["+Tăng kinh phí"].quotePrefix  # Excel keeps it as text when the cell is edited
    assert cells["Tăng số lượng hội chợ thương mại"].alignment.wrap_text
    not_reported = next(row[2].value for row in summary.iter_rows() if row[1].value and "Khuyến công" in row[1].value)
    assert "chưa báo cáo" in not_reported.lower()


def test_excel_formula_cells_survive_a_raw_xml_check(consolidated):
    import zipfile

    _context, files = consolidated
    with zipfile.ZipFile(files["xlsx"]) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets  # no formula anywhere in the workbook


def test_word_document_opens_and_carries_the_same_content(consolidated):
    import docx

    _context, files = consolidated
    document = docx.Document(io.BytesIO(files["docx"].read_bytes()))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    flat = "\n".join(texts)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 87/BC-SCT",
        "Quảng Ngãi, ngày 21 tháng 11 năm 2025",
        "Đã phát hành 12 bản tin thị trường xuất khẩu.",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "Nơi nhận:",
        "Võ Văn Rân",
    ]:
        assert expected in flat, expected
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="libreoffice is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_libreoffice_converts_to_pdf(consolidated, fmt, tmp_path):
    _context, files = consolidated
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(files[fmt])],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "bao-cao.pdf").stat().st_size > 1000


def test_unit_export_shows_its_own_report_with_the_division_as_issuer(deadline, unit_tasks, org, heads):
    sub = services.start_submission(deadline, org["qltm"])
    services.save_draft(sub, heads["bob"], {"summary": "Bản nháp của phòng."})
    context = build_unit_context(sub)
    assert context["issuer"] == "PHÒNG QUẢN LÝ THƯƠNG MẠI"
    assert context["governing_body"] == "SỞ CÔNG THƯƠNG"
    assert [u["summary"] for u in context["units"]] == ["Bản nháp của phòng."]
    assert context["recipients"][0] == "Phòng Kế hoạch – Tài chính – Tổng hợp"
    text = subprocess.run(["pdftotext", "-", "-"], input=render_pdf(context), capture_output=True, check=True)
    assert "Tăng số lượng hội chợ thương mại" in " ".join(text.stdout.decode().split())


def test_report_is_the_same_vietnamese_document_from_an_english_session(consolidated, deadline):
    from django.utils import translation

    context, _files = consolidated
    with translation.override("en"):
        english_session = build_consolidated_context(deadline)
    for key in ("generated_at",):
        english_session.pop(key), context.pop(key)
    assert str(english_session) == str(context)
