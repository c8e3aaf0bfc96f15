"""The consolidated report of a deadline, and one unit's report: one context, three formatters.

`build_consolidated_context(deadline)` and `build_unit_context(submission)` read the database and
return plain data (str, int, date, lists and dicts). `render_pdf`, `render_xlsx` and `render_docx`
turn that data into bytes and never query the database, so the same context renders the same
document in every format (Oscar's ReportGenerator with its formatters does the same).

The text of the documents is Vietnamese whatever the reader's interface language: it is an official
document of a Vietnamese agency (Nghị định 30/2020/NĐ-CP), so it is not marked for translation.
"""

import datetime
import functools
import io
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _g

from pci_portal.inputs import xml_safe_data
from pci_portal.spreadsheets import text_cell
from plans.models import Task

from .models import Submission, SubmissionRow, tracker_state

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
STATUS_LABELS = dict(Task.Status.choices)


# --- Context ------------------------------------------------------------------------------------


def vn_date_line(place, date):
    """ "Quảng Ngãi, ngày 21 tháng 9 năm 2021"; days below 10 and months 1–2 take a leading zero (NĐ 30/2020)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    line = f"ngày {day} tháng {month} năm {date.year}"
    return f"{place}, {line}" if place else line.capitalize()


def _num(value):
    return format(value.normalize(), "f").replace(".", ",")


def _upper(unit, short=False):
    if unit is None:
        return ""
    return ((unit.short_name if short else "") or unit.name).upper()


def _number(number, abbreviation):
    if number:
        return f"Số: {number}"
    return f"Số:       /BC-{abbreviation}" if abbreviation else "Số:       /BC"


def _recipient_lines(lines):
    """ "Nơi nhận" lines without their own end punctuation: the list adds ";" and the last "." itself."""
    out = []
    for line in lines:
        line = line.strip().lstrip("-–•+ ").rstrip(" ;,.")
        if line:
            out.append(line)
    return out


def _plan_reference(plan):
    kind = plan.get_kind_display()
    number = f" số {plan.number}" if plan.number else ""
    date = f" ngày {plan.date:%d/%m/%Y}" if plan.date else ""
    return f"{kind}{number}{date} của {plan.issuer.name}"


def _targets(plan, year):
    targets = (
        plan.targets.filter(year__lte=year)
        .select_related("index", "subindex__index", "indicator__subindex", "province")
        .prefetch_related("goals", "subindex_group", "subindex__names")
        .order_by("-year", "order", "id")
    )
    rows = []
    for target in targets:
        a = target.assess()  # the one home of how a target and its verdict read
        rows.append(
            {
                "subject": a.subject,
                "province": a.province,
                "year": a.year,
                "goals": a.goal_text,
                "baseline": a.baseline_text,
                "result": a.result_text,
                "verdict": str(a.label),
                "verdict_state": a.state,
                "reasons": a.reasons_text,
            }
        )
    return rows


def _unit_entry(unit, submission, state, include_unaccepted=False):
    # The consolidated report takes accepted reports only; a unit exporting its own report sees it as it stands.
    reported = submission is not None and (submission.status == Submission.Status.ACCEPTED or include_unaccepted)
    entry = {
        "name": unit.name,
        "code": unit.code,
        "state": state.value,
        "state_label": str(state.label),
        "reported": reported,
        "on_time": bool(submission and submission.is_on_time),
        "submitted_on": timezone.localdate(submission.submitted_at) if submission and submission.submitted_at else None,
        "summary": "",
        "difficulties": "",
        "proposals": "",
        "rows": [],
        "done": 0,
    }
    if not reported:
        return entry
    entry.update(summary=submission.summary, difficulties=submission.difficulties, proposals=submission.proposals)
    deadline = submission.deadline
    for i, row in enumerate(submission.rows.all(), start=1):
        task = row.task
        occurrence = task.occurrence_for(deadline.period_start, deadline.period_end, task.occurrences.all())
        entry["rows"].append(
            {
                "no": i,
                "section": str(task.section) if task.section_id else "",
                "task": task.title,
                # The round of the report's period (plans.schedule), not the date the plan first gave.
                "due_date": occurrence.due_date if occurrence else task.due_date,
                "timeframe": task.timeframe_text or task.get_timeframe_display(),
                "status": str(STATUS_LABELS.get(row.status, "")),
                "progress": row.progress,
                "results": row.results,
                "difficulties": row.difficulties,
                "proposals": row.proposals,
            }
        )
        entry["done"] += row.status == Task.Status.DONE
    return entry


def _rows_prefetch():
    return Prefetch(
        "rows",
        queryset=SubmissionRow.objects.select_related("task__section")
        .prefetch_related("task__occurrences")
        .order_by("order", "id"),
    )


def _subtitle(title, year):
    """The line under "BÁO CÁO": the rule's title without a leading "Báo cáo", with the year."""
    text = title.strip()
    if text.lower().startswith("báo cáo "):
        text = text[len("báo cáo ") :]
        text = text[:1].upper() + text[1:]
    if str(year) in text:
        return text
    return f"{text} {year}" if text.endswith(" năm") else f"{text} năm {year}"


def _period(deadline):
    return f"Từ ngày {deadline.period_start:%d/%m/%Y} đến ngày {deadline.period_end:%d/%m/%Y}"


def _common(deadline, issuer, number, date, recipients, signer_lines, signer_name, units, title_of):
    plan = deadline.rule.plan
    recipients = _recipient_lines(recipients)
    issuer_place = issuer.get_place() if issuer else ""
    with_difficulties = [
        {"unit": u["name"], "text": u["difficulties"]} for u in units if u["reported"] and u["difficulties"].strip()
    ]
    with_proposals = [
        {"unit": u["name"], "text": u["proposals"]} for u in units if u["reported"] and u["proposals"].strip()
    ]
    for u in units:
        for r in u["rows"]:
            if r["difficulties"].strip():
                with_difficulties.append({"unit": u["name"], "text": f"{r['task']}: {r['difficulties']}"})
            if r["proposals"].strip():
                with_proposals.append({"unit": u["name"], "text": f"{r['task']}: {r['proposals']}"})
    return {
        "governing_body": _upper(issuer.parent, short=True) if issuer and issuer.parent_id else "",
        # Under its governing body an issuer goes by its short name: "UBND TỈNH QUẢNG NGÃI / SỞ CÔNG THƯƠNG".
        "issuer": _upper(issuer, short=bool(issuer and issuer.parent_id)),
        "issuer_name": issuer.name if issuer else "",
        "number": number,
        "place": plan.place or issuer_place,
        "date": date,
        "place_date": vn_date_line(plan.place or issuer_place, date),
        "motto_nation": MOTTO_NATION,
        "motto": MOTTO,
        "title": "BÁO CÁO",
        "subtitle": title_of,
        "period": _period(deadline),
        "period_start": deadline.period_start,
        "period_end": deadline.period_end,
        "due_date": deadline.due_date,
        "plan_reference": _plan_reference(plan),
        "plan_title": plan.title,
        "intro": (
            f"Thực hiện {_plan_reference(plan)} về {plan.title[0].lower() + plan.title[1:]}, "
            f"{issuer.name if issuer else ''} báo cáo kết quả thực hiện "
            f"({_period(deadline).lower()}) như sau:"
        ),
        "units": units,
        "units_reported": [u for u in units if u["reported"]],
        "units_not_reported": [u for u in units if not u["reported"]],
        "difficulties": with_difficulties,
        "proposals": with_proposals,
        "recipients": recipients,
        # As printed: "- Sở Công Thương;" … "- Lưu: VT, KHTCTH." (NĐ 30/2020, Phụ lục I).
        "recipient_items": [f"- {line}{'.' if i == len(recipients) else ';'}" for i, line in enumerate(recipients, 1)],
        # The title block above the signature, one line each ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC").
        "signer_lines": signer_lines,
        "signer_title": " / ".join(signer_lines),
        "signer_name": signer_name,
        "generated_at": timezone.localtime(),
    }


def in_vietnamese(func):
    """The report to the province is a Vietnamese document whatever language the caller runs in."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return func(*args, **kwargs)

    return wrapper


@in_vietnamese
def build_consolidated_context(deadline, on=None):
    """Plain data of the consolidated report: accepted submissions, and the units that have not reported."""
    rule = deadline.rule
    plan = rule.plan
    issuer = plan.issuer
    # Where each unit stands, from the one home (a report not sent after the due date: "Quá hạn"); through
    # the related manager, so each submission knows its deadline without a query.
    statuses = deadline.unit_statuses(on=on, submissions=deadline.submissions.prefetch_related(_rows_prefetch()))
    entries = [_unit_entry(u, sub, state) for u, sub, state in statuses]
    recipients = [line.strip() for line in deadline.recipients.splitlines() if line.strip()] or [
        f"{issuer.parent.short_name or issuer.parent.name} (b/c)" if issuer.parent_id else "",
        f"Lãnh đạo {issuer.short_name or issuer.name}",
        "Các phòng, đơn vị có liên quan",
        f"Lưu: VT, {plan.focal_unit.abbreviation or plan.focal_unit.short_name or plan.focal_unit.name}"
        if plan.focal_unit_id
        else "Lưu: VT",
    ]
    signer_lines, signer_name = deadline.signature()
    context = _common(
        deadline,
        issuer,
        _number(deadline.report_number, issuer.abbreviation),
        deadline.report_date or on or timezone.localdate(),
        [r for r in recipients if r],
        signer_lines,
        signer_name,
        entries,
        _subtitle(rule.title, deadline.year),
    )
    context["targets"] = _targets(plan, deadline.year)
    context["kind"] = "consolidated"
    return context


@in_vietnamese
def build_unit_context(submission, on=None):
    """Plain data of one unit's report, whatever its status (the unit exports its own draft too)."""
    deadline = submission.deadline
    unit = submission.unit
    submission = Submission.objects.prefetch_related(_rows_prefetch()).get(pk=submission.pk)
    entry = _unit_entry(unit, submission, tracker_state(submission, deadline, on), include_unaccepted=True)
    agency = unit.agency
    signer = submission.submitted_by
    abbreviation = unit.abbreviation or (agency.abbreviation if agency else "")
    context = _common(
        deadline,
        unit,
        _number("", abbreviation),
        timezone.localdate(submission.submitted_at) if submission.submitted_at else on or timezone.localdate(),
        [deadline.rule.to_unit.name, "Lưu: VT"],
        [(signer.title if signer and signer.title else _g("Trưởng đơn vị")).upper()],
        signer.get_full_name() if signer else "",
        [entry],
        _subtitle(deadline.rule.title, deadline.year),
    )
    context["governing_body"] = _upper(agency, short=True) if agency and agency != unit else context["governing_body"]
    context["targets"] = []
    context["kind"] = "unit"
    return context


# --- Formatters: plain data in, bytes out, no database ------------------------------------------


def _noop(pct):
    pass


def render_pdf(context, progress=_noop):
    """A4 PDF in the layout of Nghị định 30/2020/NĐ-CP, with Liberation Serif embedded from static/fonts."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from pci_portal.pdf import url_fetcher  # only the portal's own static files

    progress(10)
    html = render_to_string("reporting/report_pdf.html", {**context, "font_url": FONT_DIR.resolve().as_uri()})
    progress(30)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=str(FONT_DIR), url_fetcher=url_fetcher()).render(font_config=font_config)
    progress(80)
    data = document.write_pdf()
    progress(100)
    return data


def _sheet_title(name, used):
    bad = "[]:*?/\\"
    title = "".join("-" if c in bad else c for c in name)[:28].strip() or "Đơn vị"
    base, n = title, 2
    while title.lower() in used:
        title = f"{base[:26]}~{n}"
        n += 1
    used.add(title.lower())
    return title


PRINTABLE_WIDTH = 145  # Excel width units (a digit of the default font) across A4 landscape inside 10 mm margins
LINE_HEIGHT = 15.75  # points per line of 12 pt text


def _wrapped_lines(text, width, bold=False):
    """How many lines `text` takes in a column `width` units wide, wrapping at spaces as Excel does
    (about 1.25 characters of Times New Roman 12 pt per unit: a little fewer than fit, never more)."""
    capacity = max(1, int(width * (1.05 if bold else 1.25)))
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > capacity:
                lines += 1
                used = 0
            while size > capacity:  # a word longer than the column breaks anywhere
                lines += 1
                size -= capacity
            used += size + (1 if used else 0)
    return lines


def _row_height(values, widths, bold=False):
    """Points for the tallest cell of a row once its text wraps in its column (a row a little too tall prints;
    one too short hides text under the next row)."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None or value == "":
            continue
        text = f"{value:%d/%m/%Y}" if isinstance(value, datetime.date) else str(value)
        lines = max(lines, _wrapped_lines(text, width, bold))
    return round(lines * LINE_HEIGHT + 4, 2)


def render_xlsx(context, progress=_noop):
    context = xml_safe_data(context)  # stored text may hold control characters openpyxl refuses
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="Times New Roman", bold=True, size=12)
    body_font = Font(name="Times New Roman", size=12)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def table(ws, top, headers, rows, widths, date_cols=()):
        # The widths add up to what A4 landscape holds at 100 % (PRINTABLE_WIDTH), so fitting the sheet one
        # page wide does not shrink the text.
        scale = min(1.0, PRINTABLE_WIDTH / sum(widths))
        widths = [max(4, round(w * scale, 1)) for w in widths]
        for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = ws.cell(row=top, column=col, value=header)
            cell.font, cell.fill, cell.border = head_font, fill, border
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[top].height = _row_height(headers, widths, bold=True)
        for r, values in enumerate(rows, start=top + 1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c)
                text_cell(cell, value)
                cell.font, cell.border, cell.alignment = body_font, border, wrap
                if c in date_cols and isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
            # Excel does not grow a row for wrapped text it did not lay out itself: say how tall it is.
            ws.row_dimensions[r].height = _row_height(values, widths)
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
        ws.print_title_rows = f"{top}:{top}"
        # Printed on A4 landscape, one page wide, the header row repeated on every page.
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "Trang &P/&N"

    def heading(ws, lines, widths):
        """Lines above a table, each across the table's width and wrapped, so none runs off the printed page."""
        span = min(sum(widths), PRINTABLE_WIDTH)
        for i, line in enumerate(lines, start=1):
            cell = ws.cell(row=i, column=1)
            text_cell(cell, line)
            cell.font = Font(name="Times New Roman", bold=i == 1, size=13 if i == 1 else 12)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(widths))
            ws.row_dimensions[i].height = _row_height([line], [span])
        return len(lines) + 2

    wb = Workbook()
    wb.properties.title = f"{context['title']} {context['subtitle']}".strip()
    wb.properties.creator = wb.properties.lastModifiedBy = context.get("issuer_name", "")
    wb.properties.subject = context.get("period", "")
    ws = wb.active
    ws.title = "Tổng hợp"
    summary_widths = [5, 30, 14, 11, 9, 9, 27, 20, 20]
    top = heading(
        ws,
        [
            f"{context['title']} {context['subtitle']}".strip(),
            context["issuer_name"],
            context["number"],
            context["place_date"],
            context["period"],
        ],
        summary_widths,
    )
    table(
        ws,
        top,
        ["TT", "Đơn vị", "Tình trạng", "Ngày gửi", "Số nhiệm vụ", "Hoàn thành", "Nội dung", "Khó khăn", "Đề xuất"],
        [
            [
                i,
                u["name"],
                u["state_label"] if u["reported"] else f"{u['state_label']} – chưa báo cáo",
                u["submitted_on"],
                len(u["rows"]),
                u["done"],
                u["summary"],
                u["difficulties"],
                u["proposals"],
            ]
            for i, u in enumerate(context["units"], start=1)
        ],
        summary_widths,
        date_cols=(4,),
    )
    if context["targets"]:
        wt = wb.create_sheet("Mục tiêu")
        target_widths = [34, 6, 23, 15, 21, 12, 34]
        t_top = heading(wt, ["Kết quả thực hiện các mục tiêu"], target_widths)
        table(
            wt,
            t_top,
            ["Mục tiêu", "Năm", "Chỉ tiêu", "Năm gốc", "Kết quả", "Đánh giá", "Lý do"],
            [
                [t["subject"], t["year"], t["goals"], t["baseline"], t["result"], t["verdict"], t["reasons"]]
                for t in context["targets"]
            ],
            target_widths,
        )
    progress(20)
    used = {"tổng hợp", "mục tiêu"}
    units = context["units"]
    for n, u in enumerate(units, start=1):
        wu = wb.create_sheet(_sheet_title(u["name"], used))
        unit_widths = [5, 16, 25, 10, 11, 12, 8, 28, 15, 15]
        u_top = heading(
            wu,
            [
                u["name"],
                f"Tình trạng: {u['state_label']}",
                f"Nội dung: {u['summary']}" if u["summary"] else "",
            ],
            unit_widths,
        )
        table(
            wu,
            u_top,
            [
                "TT",
                "Nhóm giải pháp",
                "Nhiệm vụ",
                "Thời gian",
                "Hạn",
                "Trạng thái",
                "Tiến độ (%)",
                "Kết quả đạt được",
                "Khó khăn, vướng mắc",
                "Đề xuất, kiến nghị",
            ],
            [
                [
                    r["no"],
                    r["section"],
                    r["task"],
                    r["timeframe"],
                    r["due_date"],
                    r["status"],
                    r["progress"],
                    r["results"],
                    r["difficulties"],
                    r["proposals"],
                ]
                for r in u["rows"]
            ],
            unit_widths,
            date_cols=(5,),
        )
        progress(20 + 70 * n // max(len(units), 1))
    buffer = io.BytesIO()
    wb.save(buffer)
    progress(100)
    return buffer.getvalue()


def render_docx(context, progress=_noop):
    """Word with the same content, Times New Roman 13 pt, for the office to edit before signing."""
    context = xml_safe_data(context)  # python-docx refuses control characters: never raise on stored text
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    def set_font(style_or_run, size=13):
        font = style_or_run.font
        font.name = "Times New Roman"
        font.size = Pt(size)
        rpr = style_or_run.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Times New Roman")

    normal = doc.styles["Normal"]
    set_font(normal, 13)
    normal.paragraph_format.space_after = Pt(4)

    def para(text="", bold=False, italic=False, align=None, size=13, cell=None, first_indent=False):
        p = cell.add_paragraph() if cell is not None else doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if first_indent:
            p.paragraph_format.first_line_indent = Mm(10)
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        set_font(run, size)
        return p

    def first_para(cell, text, **kwargs):
        p = cell.paragraphs[0]
        p.alignment = kwargs.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        run = p.add_run(text)
        run.bold = kwargs.get("bold", False)
        set_font(run, kwargs.get("size", 13))
        return p

    def fix_widths(table, widths):
        """Word reads the cells' widths, LibreOffice the table grid: set both, and no autofit."""
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right_cell = head.rows[0].cells
    first_para(left, context["governing_body"], size=13)
    para(context["issuer"], bold=True, align=center, cell=left)
    para("–––––––", align=center, cell=left)
    para(context["number"], align=center, cell=left)
    first_para(right_cell, context["motto_nation"], bold=True, size=12)
    para(context["motto"], bold=True, align=center, cell=right_cell, size=13)
    para("–––––––––––––––––", align=center, cell=right_cell)
    para(context["place_date"], italic=True, align=center, cell=right_cell)
    fix_widths(head, [65, 100])
    para()
    para(context["title"], bold=True, align=center, size=14)
    para(context["subtitle"], bold=True, align=center, size=14)
    para(f"({context['period']})", italic=True, align=center)
    _rule_under(para(), width_mm=45, text_width_mm=165)
    para(context["intro"], align=justify, first_indent=True)
    progress(10)

    def grid(headers, rows, widths):
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            first_para(cell, text, bold=True, size=12)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                if isinstance(value, datetime.date):
                    value = f"{value:%d/%m/%Y}"
                first_para(cell, "" if value is None else str(value), align=WD_ALIGN_PARAGRAPH.LEFT, size=12)
        fix_widths(table, widths)
        return table

    number = 0
    if context["targets"]:
        number += 1
        para(f"{_roman(number)}. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU", bold=True, align=justify)
        grid(
            ["Mục tiêu", "Chỉ tiêu", "Kết quả", "Đánh giá"],
            [[f"{t['subject']} ({t['year']})", t["goals"], t["result"], t["verdict"]] for t in context["targets"]],
            [55, 40, 40, 30],
        )
    number += 1
    para(f"{_roman(number)}. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True, align=justify)
    units = context["units"]
    for n, u in enumerate(units, start=1):
        para(f"{n}. {u['name']}", bold=True, align=justify)
        if not u["reported"]:
            para(f"Chưa báo cáo ({u['state_label'].lower()}).", italic=True, align=justify, first_indent=True)
            continue
        if u["summary"]:
            for line in u["summary"].splitlines():
                if line.strip():
                    para(line, align=justify, first_indent=True)
        if u["rows"]:
            grid(
                ["TT", "Nhiệm vụ", "Trạng thái", "Kết quả đạt được"],
                [
                    [
                        r["no"],
                        r["task"],
                        f"{r['status']}" + (f" ({r['progress']}%)" if r["progress"] is not None else ""),
                        r["results"],
                    ]
                    for r in u["rows"]
                ],
                [10, 60, 30, 65],
            )
        progress(10 + 80 * n // max(len(units), 1))
    for key, heading in (("difficulties", "KHÓ KHĂN, VƯỚNG MẮC"), ("proposals", "ĐỀ XUẤT, KIẾN NGHỊ")):
        number += 1
        para(f"{_roman(number)}. {heading}", bold=True, align=justify)
        if not context[key]:
            para("Không có.", align=justify, first_indent=True)
        for item in context[key]:
            para(f"- {item['unit']}: {item['text']}", align=justify, first_indent=True)
    if context["units_not_reported"]:
        para(
            "Các đơn vị chưa báo cáo: " + ", ".join(u["name"] for u in context["units_not_reported"]) + ".",
            italic=True,
            align=justify,
            first_indent=True,
        )
    last = para(f"Trên đây là báo cáo của {context['issuer_name']}./.", align=justify, first_indent=True)
    # The last paragraph stays on the page of "Nơi nhận" and the signature, which never splits.
    last.paragraph_format.keep_with_next = True
    foot = doc.add_table(rows=1, cols=2)
    _cant_split(foot.rows[0])
    recv, sign = foot.rows[0].cells
    p = first_para(recv, "Nơi nhận:", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.runs[0].italic = True
    for item in context["recipient_items"]:
        para(item, align=WD_ALIGN_PARAGRAPH.LEFT, size=11, cell=recv)
    lines = context["signer_lines"] or [""]
    first_para(sign, lines[0], bold=True, size=13)
    for line in lines[1:]:
        para(line, bold=True, align=center, cell=sign)
    for _ in range(3):
        para("", cell=sign)
    para(context["signer_name"], bold=True, align=center, cell=sign)
    fix_widths(foot, [80, 85])
    for paragraph in (*recv.paragraphs, *sign.paragraphs):
        paragraph.paragraph_format.keep_with_next = True
    _page_numbers(section)
    _properties(doc, context)
    buffer = io.BytesIO()
    doc.save(buffer)
    progress(100)
    return buffer.getvalue()


def _rule_under(paragraph, width_mm, text_width_mm):
    """A short centred rule (a bottom border on an empty, indented paragraph), as under a document's title."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    side = (text_width_mm - width_mm) / 2
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(8)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    for run in paragraph.runs:
        run.font.size = Pt(4)


def _cant_split(row):
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _page_numbers(section):
    """Page numbers centred in the top margin from page 2 (NĐ 30/2020), as a PAGE field Word and LibreOffice fill."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name, run.font.size = "Times New Roman", Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = "2"
            run._r.append(placeholder)


def _properties(doc, context):
    """Title, issuing body and date instead of python-docx's template ("python-docx", 2013)."""
    when = context.get("generated_at") or timezone.now()
    date = context.get("date")
    stamp = datetime.datetime.combine(date, datetime.time(8), tzinfo=datetime.UTC) if date else when
    props = doc.core_properties
    props.title = f"{context['title']} {context['subtitle']}".strip()
    props.subject = context.get("period", "")
    props.author = props.last_modified_by = context.get("issuer_name", "")
    props.keywords = "báo cáo, PCI"
    props.comments = context["number"].strip()
    props.category = "Báo cáo"
    props.language = "vi-VN"
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.identifier = context["number"].replace("Số:", "").strip()


def _roman(n):
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] if n <= 10 else str(n)


FORMATTERS = {"pdf": render_pdf, "xlsx": render_xlsx, "docx": render_docx}


@in_vietnamese
def render(context, fmt, progress=_noop):
    return FORMATTERS[fmt](context, progress)
