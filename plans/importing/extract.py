"""Text out of a file: a list of Blocks (a paragraph, or a table row with its cells), in reading order.

.txt (UTF-8; a line with tabs is a table row), .docx (python-docx: paragraphs and tables in body order;
the header and signature tables of an NĐ30 document are read cell by cell as paragraphs), a PDF with
a text layer (pypdf, layout mode: paragraphs rebuilt from line ends and gaps, table columns from runs of
spaces) and .xlsx (openpyxl: every sheet's rows as table rows). Anything else is refused with a message.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from .errors import ImportRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # an OOXML package that inflates past this is refused (zip bomb)
MAX_BLOCKS = 5000


@dataclass
class Block:
    text: str
    cells: list[str] = field(default_factory=list)  # a table row when not empty
    table: int = 0  # which table a row belongs to (1, 2…); 0 for a paragraph

    @property
    def is_row(self):
        return bool(self.cells)


EMPHASIS = [
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"), r"\1"),
]


def clean_text(text):
    """Markdown emphasis of text exports (**…**, *…*) dropped; spaces made plain and single."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    for pattern, repl in EMPHASIS:
        text = pattern.sub(repl, text)
    return re.sub(r"[ \t]+", " ", text).strip()


def extract(data, filename):
    """Blocks of the file, or ImportRefused with what to do."""
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"Tệp quá lớn ({len(data) // 1024 // 1024} MB); dung lượng tối đa là {MAX_BYTES // 1024 // 1024} MB."
        )
    if not data.strip():
        raise ImportRefused("Tệp rỗng: hãy chọn tệp văn bản kế hoạch.")
    if name.endswith(".doc") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            "Tệp Word cũ (.doc) chưa đọc được: hãy mở bằng Word hoặc LibreOffice, lưu thành .docx rồi tải lên lại."
        )
    if name.endswith(".docx"):
        return _normalise(_docx(data))
    if name.endswith(".xlsx"):
        return _xlsx(data)
    if name.endswith(".pdf"):
        return _normalise(_pdf(data))
    if name.endswith(".txt") or name.endswith(".md"):
        return _normalise(_txt(data))
    raise ImportRefused("Chỉ nhận tệp .docx, .pdf (có lớp văn bản), .txt hoặc phụ lục .xlsx.")


# --- plain text -------------------------------------------------------------------------------------


def _txt(data):
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("Tệp .txt không ở mã UTF-8: hãy lưu lại tệp với mã UTF-8 rồi tải lên lại.")
    blocks, table = [], 0
    previous_row = False
    for line in text.splitlines():
        if "\t" in line and line.strip():
            if not previous_row:
                table += 1
            blocks.append(
                Block(
                    text=clean_text(line.replace("\t", " ")),
                    cells=[clean_text(c) for c in line.split("\t")],
                    table=table,
                )
            )
            previous_row = True
            continue
        previous_row = False
        if line.strip():
            blocks.append(Block(text=clean_text(line)))
    return blocks


# --- Word -------------------------------------------------------------------------------------------


def _check_package(data, kind):
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
        unpacked = sum(i.file_size for i in package.infolist())
    except zipfile.BadZipFile:
        raise ImportRefused(f"Tệp .{kind} bị hỏng hoặc không phải tệp .{kind} thật: hãy mở và lưu lại bằng Word/Excel.")
    if unpacked > MAX_UNPACKED:
        raise ImportRefused(f"Tệp .{kind} giải nén ra quá lớn; hãy kiểm tra lại tệp.")
    if any(n.lower().endswith((".bin", ".exe", ".dll")) and "vbaproject" in n.lower() for n in names):
        raise ImportRefused(f"Tệp .{kind} có chứa macro: hãy lưu lại thành tệp không có macro.")
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    if main not in names:
        raise ImportRefused(f"Tệp .{kind} bị hỏng hoặc không phải tệp .{kind} thật: hãy mở và lưu lại bằng Word/Excel.")


def _docx(data):
    _check_package(data, "docx")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds on a broken package
        raise ImportRefused("Tệp .docx bị hỏng: hãy mở bằng Word hoặc LibreOffice, lưu lại rồi tải lên lại.")
    blocks, table_no = [], 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _paragraph(Paragraph(child, document), blocks)
        elif tag == "tbl":
            table = Table(child, document)
            rows = _table_rows(table)
            flat = " ".join(" ".join(r) for r in rows)
            if re.search(r"CỘNG HÒA|CỘNG HOÀ|Số:|Nơi nhận|Độc lập", flat):
                # The NĐ30 header and signature blocks are laid out as tables: read cell by cell, column by column.
                for column in range(max(len(r) for r in rows)):
                    for r in rows:
                        if column < len(r):
                            for line in r[column].split("\n"):
                                if line.strip():
                                    blocks.append(Block(text=clean_text(line)))
                continue
            table_no += 1
            for r in rows:
                if any(c.strip() for c in r):
                    cells = [clean_text(c.replace("\n", " ")) for c in r]
                    blocks.append(Block(text=" ".join(c for c in cells if c), cells=cells, table=table_no))
        if len(blocks) > MAX_BLOCKS:
            raise ImportRefused("Văn bản quá dài để đọc tự động; hãy tách phụ lục ra tệp riêng.")
    return blocks


def _paragraph(paragraph, blocks):
    text = paragraph.text
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    for line in text.split("\n"):
        if line.strip():
            line = clean_text(line)
            if numbered and not re.match(r"^([-+*•]|[IVX]+\.|\d+(\.\d+)*\.?|[a-zđ]\))\s", line):
                line = "- " + line  # Word's automatic bullets carry no text of their own
            blocks.append(Block(text=line))


def _table_rows(table):
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell appears once per grid column it spans
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text for p in cell.paragraphs).strip())
        rows.append(cells)
    return rows


# --- PDF --------------------------------------------------------------------------------------------


def _pdf(data):
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.startswith(b"%PDF"):
        raise ImportRefused("Tệp không phải là PDF hợp lệ: hãy xuất lại tệp PDF hoặc tải bản .docx.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001
                ok = 0
            if not ok:
                raise ImportRefused("Tệp PDF được đặt mật khẩu: hãy bỏ mật khẩu hoặc tải bản .docx.")
        if len(reader.pages) > 200:
            raise ImportRefused("Tệp PDF quá nhiều trang (tối đa 200): hãy tách phụ lục ra tệp riêng.")
        pages, geometry = [], []
        for page in reader.pages:
            pages.append(page.extract_text(extraction_mode="layout") or "")
            geometry.append(_line_positions(page))
    except ImportRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise ImportRefused("Tệp PDF bị hỏng, không đọc được: hãy xuất lại tệp PDF hoặc tải bản .docx.")
    letters = sum(len(re.findall(r"\w", p)) for p in pages)
    if letters < 40 * max(1, len(pages)) // 2:
        raise ImportRefused(
            "Tệp PDF không có lớp văn bản (có thể là bản chụp/scan): hãy tải bản .docx, "
            "hoặc PDF xuất trực tiếp từ Word."
        )
    return _pdf_blocks(pages, geometry)


def _line_positions(page):
    """(x, y) of the start of each text line of a page, top to bottom, from the text operators' positions."""
    lines = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if lines and abs(lines[-1][1] - y) < 2:
            return
        lines.append((x, y))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - positions are a help for paragraphs, not a must
        return []
    return lines


def _pdf_blocks(pages, geometry=None):
    """Paragraphs and table rows from layout text: a line that starts a list item or follows a blank line or a
    short line (one that ends well before the right margin) starts a paragraph; runs of 3+ spaces split cells."""
    lines, breaks = [], []
    for n, page in enumerate(pages):
        page_lines = [line.rstrip() for line in page.split("\n") if line.strip()]
        positions = (geometry or [[]] * len(pages))[n]
        # Where the two readings agree line for line, a wider gap than between lines starts a paragraph.
        wide = [False] * len(page_lines)
        if len(positions) == len(page_lines) and len(positions) > 2:
            gaps = [positions[i - 1][1] - positions[i][1] for i in range(1, len(positions))]
            usual = (
                sorted(g for g in gaps if g > 0)[len([g for g in gaps if g > 0]) // 3]
                if any(g > 0 for g in gaps)
                else 0
            )
            left = min(x for x, _ in positions)
            for i in range(1, len(positions)):
                gap = positions[i - 1][1] - positions[i][1]
                indented = positions[i][0] - left > 12 and abs(positions[i - 1][0] - left) < 2
                wide[i] = (usual and gap > usual * 1.25) or indented
        for i, line in enumerate(page_lines):
            lines.append(line)
            breaks.append(wide[i])
        lines.append("\f")
        breaks.append(False)
    body = [len(line) for line in lines if line.strip() and line != "\f"]
    right = sorted(body)[int(len(body) * 0.9)] if body else 80
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip() and line != "\f"), default=0)
    blocks, current, current_end, gap, table = [], None, 0, True, 0
    previous_cells = False

    def flush():
        nonlocal current
        if current is not None and current.strip():
            blocks.append(Block(text=clean_text(current)))
        current = None

    for raw, wide in zip(lines, breaks, strict=True):
        if raw == "\f":
            continue  # a page break continues the paragraph it splits
        if wide:
            gap = True
        if not raw.strip():
            gap = True
            continue
        stripped = raw.strip()
        cells = [c for c in re.split(r"\s{3,}", stripped) if c]
        starts_col = len(raw) - len(raw.lstrip()) - indent
        if len(cells) >= 2 and not re.match(r"^([-+*•]|\d+\.|[a-z]\))\s", stripped):
            flush()
            if not previous_cells:
                table += 1
            starts = [m.start() for m in re.finditer(r"\S.*?(?=\s{3,}|$)", raw)]
            block = Block(text=clean_text(" ".join(cells)), cells=[clean_text(c) for c in cells], table=table)
            block.starts = starts
            blocks.append(block)
            previous_cells, gap = True, False
            continue
        previous_cells = False
        starts_item = bool(re.match(r"^([-+*•]|[IVX]+\.|\d+(\.\d+)*\.|[a-zđ]\)|Nơi nhận|Số:)\s?", stripped))
        if current is None or gap or starts_item or current_end < right * 0.8 or starts_col > 8:
            flush()
            current = stripped
        elif re.search(r"[\w][-/]$", current):
            current += stripped  # a number or word broken at a hyphen or slash ("839/STP-" / "HCTP&BTTP")
        else:
            current += " " + stripped
        current_end = len(raw)
        gap = False
    flush()
    _align_columns(blocks)
    return blocks


def _align_columns(blocks):
    """Rows of a PDF table with fewer cells than the widest: the first cell stays in the first column when it
    starts where that column starts, the others fill the columns from the right (as year columns do)."""
    tables = {}
    for b in blocks:
        if b.is_row:
            tables.setdefault(b.table, []).append(b)
    for rows in tables.values():
        widest = max(rows, key=lambda r: len(r.cells))
        width = len(widest.cells)
        for row in rows:
            n = len(row.cells)
            if n >= width:
                continue
            starts = getattr(row, "starts", [0] * n)
            left = abs(starts[0] - getattr(widest, "starts", [0])[0]) <= 3 if starts else True
            cells = [""] * width
            if left:
                cells[0] = row.cells[0]
                rest = row.cells[1:]
            else:
                rest = row.cells
            for i, value in enumerate(reversed(rest)):
                cells[width - 1 - i] = value
            row.cells = cells


# --- Excel ------------------------------------------------------------------------------------------


def _xlsx(data):
    _check_package(data, "xlsx")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001
        raise ImportRefused("Tệp .xlsx bị hỏng: hãy mở bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lại.")
    blocks = []
    for table, sheet in enumerate(book.worksheets, start=1):
        for n, row in enumerate(sheet.iter_rows(values_only=True)):
            if n > MAX_BLOCKS:
                raise ImportRefused("Bảng tính quá nhiều dòng (tối đa 5000).")
            cells = ["" if v is None else clean_text(str(v)) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                blocks.append(Block(text=" ".join(c for c in cells if c), cells=cells, table=table))
    book.close()
    return blocks


# --- common -----------------------------------------------------------------------------------------


LIST_START = re.compile(r"^([-+*•]\s|[IVX]+\.\s|\d+(\.\d+)*\.\s|[a-zđ]\)\s)")


def _normalise(blocks):
    """Join a paragraph split by a page break: a list item that does not end its sentence, followed by a
    paragraph that is no list item and starts in lower case or continues the clause."""
    out = []
    for block in blocks:
        if out and not block.is_row and not out[-1].is_row:
            prev = out[-1].text
            if (
                not LIST_START.match(block.text)
                and re.match(r"^[-+]\s", prev)
                and not re.search(r"[.;:!?]$", prev)
                and not block.text.isupper()
            ):
                out[-1] = Block(text=prev + " " + block.text)
                continue
        out.append(block)
    return out
