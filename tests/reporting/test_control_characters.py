"""Text with control characters, stored before input was cleaned, never breaks the Excel and Word reports."""

import io

import docx
import openpyxl
import pytest

from reporting.models import Deadline, ReportingRule
from reporting.report import build_consolidated_context, render_docx, render_xlsx

pytestmark = pytest.mark.django_db


def test_excel_and_word_reports_are_written_without_the_control_characters(deadline, unit_tasks):
    # As an import or an old form stored them.
    ReportingRule.objects.filter(pk=deadline.rule_id).update(title="Kết quả\x01 thực\x0b hiện\x0c Kế\x1b hoạch\x7f")
    Deadline.objects.filter(pk=deadline.pk).update(recipients="UBND\x1b tỉnh\nLưu:\x0c VT")
    deadline.refresh_from_db()
    context = build_consolidated_context(deadline)

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(context)))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("Kết quả thực hiện Kế hoạch" in c for c in cells), cells[:5]

    document = docx.Document(io.BytesIO(render_docx(context)))
    text = "\n".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Kết quả thực hiện Kế hoạch" in text and "UBND tỉnh" in text
    assert "\x1b" not in text and "\x01" not in text
