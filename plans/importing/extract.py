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
    numbering = _Numbering(document)
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _paragraph(Paragraph(child, document), blocks, numbering)
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


TYPED_NUMBER = re.compile(r"^([-+*•]|[IVX]+\.|\d+(\.\d+)*\.?|[a-zđ]\))\s")


def _paragraph(paragraph, blocks, numbering=None):
    text = paragraph.text
    label = numbering.label(paragraph) if numbering is not None else None
    for n, line in enumerate(text.split("\n")):
        if line.strip():
            line = clean_text(line)
            if label is not None and n == 0 and not TYPED_NUMBER.match(line):
                line = f"{label} {line}" if label else line
            blocks.append(Block(text=line))


ROMAN_DIGITS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")]
ROMAN_DIGITS += [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n):
    out = ""
    for value, digits in ROMAN_DIGITS:
        while n >= value:
            out, n = out + digits, n - value
    return out


def _letters(n):
    # Word: a…z, then aa…zz, aaa…
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    return alphabet[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else ""


NUMBER_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerLetter": _letters,
}


class _Numbering:
    """Word's automatic numbering (w:numPr → w:num → w:abstractNum) written back as text: "I.", "1.", "1.1.",
    "a)", and "-"/"+" for bullets, counted the way Word counts (lists of one abstract definition continue,
    a w:startOverride restarts them, a level restarts every level below it)."""

    def __init__(self, document):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.ns import qn

        self.qn = qn
        self.nums, self.abstracts, self.overrides = {}, {}, {}
        self.counters, self.started = {}, set()
        self.styles = {}
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):
            root = None
        if root is not None:
            for abstract in root.iter(qn("w:abstractNum")):
                levels = {}
                for lvl in abstract.iter(qn("w:lvl")):
                    levels[int(lvl.get(qn("w:ilvl"), 0))] = {
                        "fmt": self._val(lvl, "w:numFmt") or "decimal",
                        "text": self._val(lvl, "w:lvlText"),
                        "start": int(self._val(lvl, "w:start") or 1),
                        "legal": lvl.find(qn("w:isLgl")) is not None,
                    }
                self.abstracts[abstract.get(qn("w:abstractNumId"))] = levels
            for num in root.iter(qn("w:num")):
                num_id = num.get(qn("w:numId"))
                self.nums[num_id] = self._val(num, "w:abstractNumId")
                for override in num.iter(qn("w:lvlOverride")):
                    start = self._val(override, "w:startOverride")
                    if start is not None:
                        self.overrides[(num_id, int(override.get(qn("w:ilvl"), 0)))] = int(start)
        # Numbering a paragraph style carries ("List Number", a heading style linked to a list).
        try:
            for style in document.styles:
                ppr = getattr(style.element, "pPr", None)
                numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
                if numpr is not None:
                    self.styles[style.style_id] = (self._val(numpr, "w:numId"), int(self._val(numpr, "w:ilvl") or 0))
        except Exception:  # noqa: BLE001 - a style part we cannot read only costs the numbering of styles
            pass

    def _val(self, element, tag):
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def _numpr(self, paragraph):
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is not None:
            num_id = numpr.numId.val if numpr.numId is not None else None
            ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
            return (str(num_id) if num_id is not None else None), int(ilvl)
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        return self.styles.get(style_id, (None, 0))

    def label(self, paragraph):
        """The number Word shows before the paragraph ("II.", "1.2.", "a)", "-"), "" for none, None when the
        paragraph is not in a list."""
        num_id, ilvl = self._numpr(paragraph)
        if not num_id or num_id == "0":
            return None
        abstract_id = self.nums.get(num_id)
        levels = self.abstracts.get(abstract_id)
        if not levels:
            return "-"  # a list whose definition is missing: at least a bullet, as before
        level = levels.get(ilvl) or {"fmt": "decimal", "text": f"%{ilvl + 1}.", "start": 1, "legal": False}
        counters = self.counters.setdefault(abstract_id, {})
        if (num_id, ilvl) in self.overrides and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[ilvl] = self.overrides[(num_id, ilvl)] - 1
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level["fmt"] == "bullet":
            return {"+": "+", "*": "*"}.get((level["text"] or "").strip(), "-")
        if level["fmt"] == "none" or level["text"] is None:
            return ""

        def number(match):
            n = int(match.group(1)) - 1
            spec = levels.get(n) or {"fmt": "decimal", "start": 1}
            value = counters.get(n, spec["start"])
            fmt = "decimal" if level["legal"] else spec["fmt"]
            return NUMBER_FORMATS.get(fmt, str)(value)

        return re.sub(r"%(\d)", number, level["text"]).strip()


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
