"""The consolidated report as a clerk would sign it: checked on the pages themselves (PDF, and Word and Excel
through LibreOffice), not only on the text inside the files.

Set REPORT_SCREENSHOTS=docs/reports to write the page images the README shows.
"""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reporting.report import render_docx, render_pdf, render_xlsx

from .report_sample import sample_context

MM = 72 / 25.4  # PDF points per millimetre
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed (.ci/run installs it)")


def pages_text(pdf):
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [p for p in text.decode().split("\f") if p.strip()]


def words(pdf):
    """(page number, xMin, yMin, xMax, yMax, word) in points, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
            size = re.search(r'width="([\d.]+)" height="([\d.]+)"', line)
            out.append((page, "page", float(size[1]), float(size[2])))
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', line)
        if m:
            out.append((page, float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]))
    return out


def page_images(pdf, tmp_path, dpi=50, name="page"):
    from PIL import Image

    src = tmp_path / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(src), str(tmp_path / name)], check=True)
    files = sorted(tmp_path.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    target = os.environ.get("REPORT_SCREENSHOTS")
    if target and name.startswith("bao-cao"):
        Path(target).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(src), str(Path(target) / name)], check=True)
    return [Image.open(f).convert("L") for f in files]


def ink_columns(image, threshold=160):
    """The leftmost and rightmost columns holding ink (text or table rules)."""
    px, w, h = image.load(), image.width, image.height
    cols = [x for x in range(w) if any(px[x, y] < threshold for y in range(0, h, 1))]
    return cols[0], cols[-1]


def via_libreoffice(data, suffix, tmp_path):
    src = tmp_path / f"report.{suffix}"
    src.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(src)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return (tmp_path / "lo" / "report.pdf").read_bytes()


# --- PDF ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf():
    return render_pdf(sample_context(rows_per_unit=5))


def test_pdf_tables_and_text_stay_inside_the_margins(pdf, tmp_path):
    images = page_images(pdf, tmp_path, name="bao-cao-pdf")
    assert len(images) >= 2
    for image in images:
        px_per_mm = image.width / 210
        left, right = ink_columns(image)
        assert left >= 30 * px_per_mm - 2, left  # left margin 30 mm (NĐ 30/2020)
        assert right <= (210 - 15) * px_per_mm + 1, right  # right margin 15 mm: tables included


@pytest.mark.parametrize("rows", [4, 9])
def test_the_last_page_holds_the_closing_paragraph_with_the_signature(rows):
    pages = pages_text(render_pdf(sample_context(rows_per_unit=rows)))
    last = " ".join(pages[-1].split())
    assert "Trên đây là báo cáo của Sở Công Thương./." in last
    assert "Nơi nhận:" in last and "Võ Văn Rân" in last


def test_the_blank_after_so_is_kept_while_the_report_has_no_number(pdf):
    found = [w for w in words(pdf) if w[1] != "page" and w[0] == 1]
    so = next(w for w in found if w[5] == "Số:")
    suffix = next(w for w in found if w[5] == "/BC-SCT")
    assert abs(so[2] - suffix[2]) < 2  # one line
    assert suffix[1] - so[3] >= 8 * MM  # room to write the number by hand


def test_a_rule_is_drawn_under_the_title(pdf, tmp_path):
    found = [w for w in words(pdf) if w[1] != "page" and w[0] == 1]
    period = min((w for w in found if "14/11/2025)" in w[5]), key=lambda w: w[2])  # the period line
    period_middle = (period[2] + period[4]) / 2
    intro_top = min(w[2] for w in found if w[5] == "Thực")
    image = page_images(pdf, tmp_path, dpi=100, name="title")[0]
    scale = image.height / 842  # pixels per point
    px = image.load()
    centre = image.width * (30 + 165 / 2) / 210
    rule_rows = []
    for y in range(int(period_middle * scale), int(intro_top * scale)):
        run = [x for x in range(image.width) if px[x, y] < 200]
        if run and len(run) > 0.95 * (run[-1] - run[0] + 1) and len(run) > image.width * 0.15:
            rule_rows.append((y, run[0], run[-1]))
    assert rule_rows, "no rule between the title and the first paragraph"
    _y, start, end = rule_rows[0]
    assert abs((start + end) / 2 - centre) < image.width * 0.02  # centred on the text column


def test_signer_title_reads_on_two_lines_for_ky_thay(pdf):
    found = words(pdf)
    last_page = max(w[0] for w in found)
    page_width = next(w[2] for w in found if w[0] == last_page and w[1] == "page")
    lines = {}
    for w in found:
        if w[0] == last_page and w[1] != "page" and w[1] > page_width / 2:  # the signature's column
            lines.setdefault(round(w[2]), []).append(w[5])
    texts = [" ".join(ws) for _y, ws in sorted(lines.items())]
    assert any(t.endswith("KT. GIÁM ĐỐC") for t in texts), texts
    kt = next(i for i, t in enumerate(texts) if t.endswith("KT. GIÁM ĐỐC"))
    assert texts[kt + 1].endswith("PHÓ GIÁM ĐỐC"), texts


def test_recipients_end_with_one_mark_each(pdf):
    text = " ".join(pages_text(pdf)[-1].split())
    assert ";;" not in text and ".." not in text.replace("./.", "")
    assert "- UBND tỉnh (b/c);" in text and "- Lưu: VT, KHTCTH." in text


# --- Word --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes():
    return render_docx(sample_context(rows_per_unit=5))


def test_word_says_what_it_is_and_who_issued_it(docx_bytes):
    import docx

    props = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert props.title == "BÁO CÁO Kết quả thực hiện Kế hoạch nâng cao Chỉ số PCI năm 2025"
    assert props.author == "Sở Công Thương" and props.last_modified_by == "Sở Công Thương"
    assert props.created.date().isoformat() == "2025-11-21"
    assert "python-docx" not in f"{props.author}{props.comments}{props.last_modified_by}"


def test_word_keeps_the_blank_after_so(docx_bytes):
    import docx

    document = docx.Document(io.BytesIO(docx_bytes))
    cell_text = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert "Số:       /BC-SCT" in cell_text


@needs_libreoffice
def test_word_pages_are_numbered_and_end_with_body_text_and_the_signature(docx_bytes, tmp_path):
    pdf = via_libreoffice(docx_bytes, "docx", tmp_path)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert "2" not in pages[0].split("\n")[0]  # no number on the first page
    for number, page in enumerate(pages[1:], start=2):
        assert page.strip().split("\n")[0].strip() == str(number)  # centred at the top from page 2
    last = " ".join(pages[-1].split())
    assert "Trên đây là báo cáo của Sở Công Thương./." in last and "Võ Văn Rân" in last
    for image in page_images(pdf, tmp_path, name="bao-cao-docx"):
        left, right = ink_columns(image)
        px_per_mm = image.width / 210
        assert right <= (210 - 15) * px_per_mm + 2


# --- Excel -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_bytes():
    return render_xlsx(sample_context(rows_per_unit=5))


def test_excel_rows_are_as_tall_as_their_wrapped_text(xlsx_bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes))
    sheet = wb["Phòng Quản lý thương mại"]
    row = next(r for r in sheet.iter_rows() if r[2].value and str(r[2].value).startswith("Hỗ trợ doanh nghiệp"))
    height = sheet.row_dimensions[row[0].row].height
    results = next(c for c in row if c.value and str(c.value).startswith("Đã tổ chức"))
    width = sheet.column_dimensions[results.column_letter].width
    lines = len(results.value) / (width * 1.6)  # the fewest lines the result text can take
    assert height >= lines * 15, (height, lines)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1
    assert wb.properties.title.startswith("BÁO CÁO") and wb.properties.creator == "Sở Công Thương"


@needs_libreoffice
def test_excel_prints_on_a4_landscape_at_a_readable_size_with_no_text_cut(xlsx_bytes, tmp_path):
    pdf = via_libreoffice(xlsx_bytes, "xlsx", tmp_path)
    found = words(pdf)
    sizes = [w for w in found if w[1] == "page"]
    assert sizes and all(w > h for _p, _k, w, h in sizes)  # landscape
    heights = sorted(w[4] - w[2] for w in found if w[1] != "page")
    assert heights[len(heights) // 2] >= 10  # 12 pt text stays about 12 pt: not shrunk to fit
    # Every result's last word prints: a row too short for its wrapped text would hide it.
    assert [w[5] for w in found if w[1] != "page"].count("đồng.") == 10
    page_images(pdf, tmp_path, name="bao-cao-xlsx")
