"""Import of published results (PCI, PGI, PAPI, SIPAS, PAR INDEX…) from a table laid out as publishers do.

One row a province: "Tỉnh/thành phố", then the index's score and rank, then per sub-index a score/rank
column pair (PCI: 23 columns), optionally a tier column ("Nhóm điều hành", "Xếp loại"). Rows above the
header (titles) are skipped. A column's sub-index is read from its header ("CSTP 8", "Hạng 8"), else from
its place. The edition (out of 63, or 34 from 2025) follows from the year.

It never takes wrong figures: the file's encoding (UTF-8 with or without BOM, UTF-16, Windows-1258) and
CSV dialect (comma, semicolon, tab; decimal comma or point) are found, a row with more cells than the
header (a decimal comma in a comma-separated file) is an error, formula cells without a stored value and
merged cells are errors, "N/A", "-", "—" and blank read as unpublished and "2/62" as rank 2 of 62.
Suspicious tables raise warnings the person must confirm (ranks out of score order, two provinces with
one rank, a total that differs from its weighted sub-indices, a rank above "out of", a table that does
not match the edition), and a re-import lists every cell it changes (old → new).

Parsing never writes: `parse_results` gives an ImportPreview that the review page and
`manage.py import_results` both print; `save_results` writes it all or nothing, with history.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pci_portal.uploads import TableError, extension, read_table_rows

from .models import Index, Province, Result, SubIndex, edition_size, tier_scale, weighted_total
from .reference import names_2025

SUBINDEX_COUNT = 10
COLUMN_COUNT = 1 + 2 + 2 * SUBINDEX_COUNT
MAX_COLUMNS = 4 * COLUMN_COUNT
MAX_CELL_CHARS = 1000
TOTAL_TOLERANCE = Decimal("0.1")  # a PCI total may differ from its weighted sub-indices by rounding only

# Spellings seen in published tables for names the reference data writes differently.
ALIASES = {
    "ho chi minh": "thanh pho ho chi minh",
    "tp ho chi minh": "thanh pho ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "hcm": "thanh pho ho chi minh",
    "ho chi minh city": "thanh pho ho chi minh",
    "hue": "thua thien hue",
}
UNPUBLISHED = {"", "-", "–", "—", "−", "n/a", "na", "n.a", "n.a.", "#n/a", "x", "..", "...", "kcb", "khong cong bo"}


def normalize_name(name):
    """Lower case, no diacritics, no punctuation, no "tỉnh"/"thành phố"/"TP." prefix."""
    text = unicodedata.normalize("NFD", str(name or "").strip().lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^(tinh|tp|thanh pho)\s+", "", text)
    return ALIASES.get(text, text)


def _is_unpublished(value):
    if value is None:
        return True
    text = unicodedata.normalize("NFD", str(value).strip().lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")
    return text in UNPUBLISHED


def parse_decimal(value):
    """A number written 73,02 or 73.02 (or a float from Excel); None when unpublished; ValueError when not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    if _is_unpublished(value):
        return None
    if isinstance(value, int | float):
        value = str(value)  # an Excel NaN or infinity is refused below like the text "NaN"
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
        if not number.is_finite():  # "NaN", "Infinity" parse as Decimals but compare with nothing
            raise ValueError(value)
        return number.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(value)


def parse_rank(value):
    """(rank, out_of) from "12", "12.0", 12 or "2/62" (out_of None when not written); (None, None) unpublished."""
    if isinstance(value, bool):
        raise ValueError(value)
    if _is_unpublished(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, int):
        return value, None
    text = str(value).strip().replace(" ", "")
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if m:
        return int(m.group(1)), int(m.group(2))
    if re.fullmatch(r"\d+([.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0]), None
    raise ValueError(value)


# --- Reading the file ------------------------------------------------------------------------------


def looks_utf16(head):
    """A BOM of UTF-16, or every other byte NUL (UTF-16 of mostly ASCII text)."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 4 and head.count(b"\x00") * 3 > len(head))


def decode_text(data):
    """Text of a CSV in UTF-8 (with or without BOM), UTF-16 (with BOM, or without and mostly ASCII) or
    Windows-1258 (Vietnamese Windows; its combining tone marks are composed to NFC). TableError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError(_("Tệp CSV ghi bảng mã UTF-16 nhưng bị lỗi mã hóa."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TableError(_("Tệp CSV ghi bảng mã UTF-8 nhưng bị lỗi mã hóa."))
    head = data[:2000]
    if len(head) > 4 and head.count(b"\x00") * 3 > len(head):  # UTF-16 without BOM: every other byte NUL
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            raise TableError(_("Không nhận ra bảng mã của tệp CSV (UTF-16?)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        raise TableError(_("Không nhận ra bảng mã của tệp CSV: hãy lưu lại dưới dạng “CSV UTF-8”."))


def sniff_delimiter(text):
    """The separator of a CSV: the one (semicolon, tab, comma) that splits the header-like lines evenly."""
    lines = [line for line in text.splitlines() if line.strip()][:30]
    best, best_score = ",", -1
    for delimiter in (";", "\t", ","):
        try:
            counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        except csv.Error:  # a field over the csv module's bound: the bounded reader reports it
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        # Most lines with the same (largest) number of cells wins; a decimal comma makes comma lines uneven.
        common = max(set(wide), key=lambda c: (wide.count(c), c))
        score = wide.count(common) * 1000 + common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _bounded(rows_iter, max_rows):
    rows = []
    for row in rows_iter:
        if len(rows) >= max_rows:
            raise TableError(_("Tệp có quá nhiều dòng: tối đa %(n)d dòng.") % {"n": max_rows})
        cells = list(row[:MAX_COLUMNS])
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise TableError(
                    _("Dòng %(line)d có ô dài quá %(n)d ký tự.") % {"line": len(rows) + 1, "n": MAX_CELL_CHARS}
                )
        rows.append(cells)
    return rows


@dataclass
class Table:
    rows: list
    delimiter: str = ""
    encoding_note: str = ""
    merged: list = field(default_factory=list)  # [(min_row, max_row, "A5:A6")], 1-based rows
    formulas: list = field(default_factory=list)  # [(row, "C5")]: formula cells without a stored value


def read_table(uploaded):
    """The cells of the first sheet of an .xlsx, or of a .csv/.tsv/.txt; TableError with a Vietnamese message."""
    max_rows = getattr(settings, "IMPORT_MAX_ROWS", 5000)
    ext = extension(uploaded.name or "")
    uploaded.seek(0)
    data = uploaded.read()
    if ext == "xlsx":
        from openpyxl import load_workbook

        # Values through the bounded reader every importer shares; then the sheet once more, in full, for
        # what a values-only read hides: merged cells and formulas Excel never computed (read as blanks).
        rows = read_table_rows(uploaded, max_rows=max_rows, max_columns=MAX_COLUMNS, max_cell_chars=MAX_CELL_CHARS)
        table = Table(rows=rows)
        try:
            ws = load_workbook(io.BytesIO(data), data_only=False).worksheets[0]
        except Exception:  # already read once: a workbook only the full reader rejects
            raise TableError(_("Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại."))
        for rng in ws.merged_cells.ranges:
            table.merged.append((rng.min_row, rng.max_row, rng.coord))
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    value = rows[cell.row - 1][cell.column - 1] if cell.row <= len(rows) else None
                    if value is None:
                        table.formulas.append((cell.row, cell.coordinate))
        return table
    if ext in ("csv", "tsv", "txt"):
        text = decode_text(data)
        if "\x00" in text:
            raise TableError(_("Tệp CSV chứa ký tự không hợp lệ (NUL)."))
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            rows = _bounded(reader, max_rows)
        except csv.Error:
            raise TableError(
                _("Tệp CSV bị lỗi định dạng hoặc có ô dài quá %(n)d ký tự (dòng %(line)d).")
                % {"n": MAX_CELL_CHARS, "line": reader.line_num}
            )
        return Table(rows=rows, delimiter=delimiter)
    raise TableError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


# --- The preview -----------------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    name: str
    province_id: int | None = None
    province_name: str = ""
    # [(subindex number or None for the total, score, rank)]
    values: list = field(default_factory=list)
    tier: str = ""
    errors: list = field(default_factory=list)

    def as_dict(self):
        return {
            "line": self.line,
            "province_id": self.province_id,
            "values": [[n, str(s) if s is not None else None, r] for n, s, r in self.values],
            "tier": self.tier,
        }


@dataclass
class Change:
    """One published figure a re-import changes: "Quảng Ninh, PCI: điểm 73,02 → 73,50"."""

    province: str
    subject: str
    field: str
    old: object
    new: object

    def __str__(self):
        return f"{self.province}, {self.subject}: {self.field} {_fmt(self.old)} → {_fmt(self.new)}"


def _fmt(value):
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


@dataclass
class ImportPreview:
    year: int
    out_of: int
    index_code: str = "PCI"
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # errors of the file as a whole
    warnings: list = field(default_factory=list)  # to confirm before saving
    changes: list = field(default_factory=list)  # figures already stored that a save would change
    new_count: int = 0  # results a save would create
    delimiter: str = ""

    @property
    def has_errors(self):
        return bool(self.errors) or any(r.errors for r in self.rows)

    @property
    def error_count(self):
        return len(self.errors) + sum(len(r.errors) for r in self.rows)

    @property
    def needs_confirmation(self):
        return bool(self.warnings or self.changes)

    def all_errors(self):
        return [*self.errors, *(e for r in self.rows for e in r.errors)]

    def as_session(self, source):
        return {
            "year": self.year,
            "out_of": self.out_of,
            "index": self.index_code,
            "source": source,
            "rows": [r.as_dict() for r in self.rows],
            "warnings": self.warnings,
        }


class ProvinceMatcher:
    """Finds the province a published name means, among those that existed in the table's edition."""

    def __init__(self, out_of):
        provinces = Province.objects.all()
        # Editions of 34 provinces list the merged ones; editions of 63 the former ones.
        if out_of <= 34:
            provinces = provinces.filter(valid_to__isnull=True)
        else:
            provinces = provinces.filter(valid_from__isnull=True)
        self.by_name = {}
        renamed = names_2025() if out_of <= 34 else {}  # Thừa Thiên Huế is published as "Huế" from 2025
        for p in provinces:
            if p.code in renamed:
                self.by_name.setdefault(normalize_name(renamed[p.code]), p)
            self.by_name.setdefault(normalize_name(p.name), p)
            if p.name_en:
                self.by_name.setdefault(normalize_name(p.name_en), p)

    def find(self, name):
        return self.by_name.get(normalize_name(name))


def _is_header(row):
    first = normalize_name(row[0] if row else "")
    return first.startswith("tinh") or first.startswith("thanh pho") or first in ("dia phuong", "province")


def _columns(header, index, subindex_numbers):
    """[(column, subject number or None, "score"|"rank"|"tier")] from the header row."""
    columns = []
    current = None
    position = 0  # how many score columns seen: the first is the total, then sub-index 1, 2…
    for col, cell in enumerate(header[1:], start=1):
        text = normalize_name(cell)
        if not text:
            continue
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        number = next((n for n in numbers if n in subindex_numbers), None)
        if text.startswith("nhom") or text.startswith("xep loai") or text == "tier":
            columns.append((col, None, "tier"))
            continue
        is_rank = text.startswith("hang") or text.endswith("hang") or text.startswith("rank")
        if is_rank:
            subject = number if number is not None else current
            columns.append((col, subject, "rank"))
            continue
        subject = number if number is not None else (None if position == 0 else position)
        if index.code == "PCI" and number is None and text.startswith("pci"):
            subject = None
        position += 1
        current = subject
        columns.append((col, subject, "score"))
    return columns


def parse_results(uploaded, year, out_of=None, index_code="PCI"):
    """Read the file into an ImportPreview: rows with their values or errors, warnings and changes (Vietnamese)."""
    expected = edition_size(year)
    preview = ImportPreview(year=year, out_of=expected, index_code=index_code)
    index = Index.objects.filter(code=index_code).first()
    if index is None:
        preview.errors.append(_("Không có bộ chỉ số “%s”.") % index_code)
        return preview
    if out_of is not None and out_of != expected:
        preview.errors.append(
            _("Kết quả năm %(year)d xếp hạng trên %(expected)d tỉnh, thành phố, không phải %(out_of)d.")
            % {"year": year, "expected": expected, "out_of": out_of}
        )
        return preview
    try:
        table = read_table(uploaded)
    except TableError as e:
        preview.errors.append(str(e))
        return preview
    preview.delimiter = table.delimiter
    rows = table.rows
    header_at = next((i for i, row in enumerate(rows) if row and _is_header(row)), None)
    if header_at is None:
        preview.errors.append(_("Không tìm thấy dòng tiêu đề: ô đầu tiên của dòng tiêu đề phải là “Tỉnh/thành phố”."))
        return preview
    header_line = header_at + 1
    for _first, last, coord in table.merged:
        if last >= header_line:
            preview.errors.append(
                _("Ô gộp %(cells)s trong bảng: hãy bỏ gộp ô và ghi giá trị vào từng ô.") % {"cells": coord}
            )
    for line, coord in table.formulas:
        if line >= header_line:
            preview.errors.append(
                _(
                    "Ô %(cell)s là công thức chưa có giá trị đã tính: hãy mở tệp bằng Excel, lưu lại "
                    "(hoặc dán giá trị) rồi tải lên."
                )
                % {"cell": coord}
            )
    subindices = {s.number: s for s in SubIndex.objects.filter(index=index)}
    header = [c for c in rows[header_at]]
    while header and header[-1] in (None, ""):
        header.pop()
    columns = _columns(header, index, set(subindices))
    scores = [c for c in columns if c[2] == "score"]
    if not scores:
        preview.errors.append(_("Bảng không có cột điểm nào sau cột tỉnh/thành phố."))
        return preview
    if index.code == "PCI" and len(header) < COLUMN_COUNT:
        preview.errors.append(
            _("Bảng cần %(n)d cột (tỉnh, điểm và hạng PCI, điểm và hạng của 10 chỉ số thành phần); tệp có %(m)d.")
            % {"n": COLUMN_COUNT, "m": len(header)}
        )
        return preview
    bad_subjects = sorted({s for _c, s, _k in columns if s is not None and s not in subindices})
    if bad_subjects:
        preview.errors.append(
            _("%(index)s không có chỉ số thành phần số %(numbers)s (cột thứ tự trong tiêu đề).")
            % {"index": index, "numbers": ", ".join(map(str, bad_subjects))}
        )
        return preview
    if preview.errors:
        return preview
    subjects = [None, *sorted({s for _c, s, k in columns if s is not None})]
    tiers, tier_names = tier_scale(index, year)
    tier_by_name = {normalize_name(n): code for code, n in tier_names.items()} | {c: c for c in tiers}
    matcher = ProvinceMatcher(expected)
    seen = {}
    for i, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = list(raw)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if not cells or all(c in (None, "") for c in cells):
            continue
        row = ImportRow(line=i, name=str(cells[0] or "").strip())
        if len(cells) > len(header):
            row.errors.append(
                _(
                    "Dòng %(line)d có %(n)d ô nhưng tiêu đề có %(m)d cột: số thập phân viết dấu phẩy trong tệp "
                    "phân cách bằng dấu phẩy? Hãy lưu CSV phân cách bằng dấu chấm phẩy."
                )
                % {"line": i, "n": len(cells), "m": len(header)}
            )
            preview.rows.append(row)
            continue
        cells += [None] * (len(header) - len(cells))
        province = matcher.find(row.name) if row.name else None
        if not row.name:
            row.errors.append(_("Dòng %(line)d: thiếu tên tỉnh/thành phố.") % {"line": i})
        elif province is None:
            row.errors.append(
                _("Dòng %(line)d: không nhận ra tỉnh/thành phố “%(name)s”.") % {"line": i, "name": row.name}
            )
        elif province.pk in seen:
            row.errors.append(
                _("Dòng %(line)d: “%(name)s” đã có ở dòng %(other)d.")
                % {"line": i, "name": row.name, "other": seen[province.pk]}
            )
        else:
            seen[province.pk] = i
            row.province_id, row.province_name = province.pk, province.name_in(year)
        values = {s: [None, None] for s in subjects}
        for col, subject, kind in columns:
            cell = cells[col]
            label = str(index) if subject is None else _subject_label(index, subject)
            if kind == "tier":
                if _is_unpublished(cell):
                    continue
                code = tier_by_name.get(normalize_name(cell))
                if code is None:
                    row.errors.append(
                        _("Dòng %(line)d: nhóm “%(value)s” không thuộc thang xếp loại của %(index)s năm %(year)d.")
                        % {"line": i, "value": cell, "index": index, "year": year}
                    )
                else:
                    row.tier = code
                continue
            if kind == "score":
                try:
                    score = parse_decimal(cell)
                except ValueError:
                    row.errors.append(
                        _("Dòng %(line)d: điểm %(what)s “%(value)s” không phải là số.")
                        % {"line": i, "what": label, "value": cell}
                    )
                    continue
                top = _score_max(index, subject)
                if score is not None and (score < 0 or (top is not None and score > top)):
                    row.errors.append(
                        _("Dòng %(line)d: điểm %(what)s %(value)s nằm ngoài khoảng 0–%(top)s.")
                        % {"line": i, "what": label, "value": cell, "top": _fmt_int(top)}
                    )
                    continue
                values[subject][0] = score
                continue
            try:
                rank, written_out_of = parse_rank(cell)
            except ValueError:
                row.errors.append(
                    _("Dòng %(line)d: hạng %(what)s “%(value)s” không phải là số nguyên.")
                    % {"line": i, "what": label, "value": cell}
                )
                continue
            if rank is not None and rank < 1:
                row.errors.append(
                    _("Dòng %(line)d: hạng %(what)s %(value)d nằm ngoài khoảng 1–%(out_of)d.")
                    % {"line": i, "what": label, "value": rank, "out_of": expected}
                )
                continue
            if written_out_of is not None and written_out_of != expected:
                preview.warnings.append(
                    _("Dòng %(line)d: hạng %(what)s ghi “%(value)s” nhưng kết quả năm %(year)d xếp trên %(n)d tỉnh.")
                    % {"line": i, "what": label, "value": cell, "year": year, "n": expected}
                )
            if rank is not None and rank > expected:
                row.errors.append(
                    _("Dòng %(line)d: hạng %(what)s %(value)d nằm ngoài khoảng 1–%(out_of)d.")
                    % {"line": i, "what": label, "value": rank, "out_of": expected}
                )
                continue
            values[subject][1] = rank
        row.values = [(s, values[s][0], values[s][1]) for s in subjects]
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        return preview
    _warn(preview, index, subindices)
    if not preview.has_errors:
        _diff(preview, index, subindices)
    return preview


def _subject_label(index, number):
    return _("CSTP %(n)d") % {"n": number} if index.code == "PCI" else f"{index} – {number}"


def _score_max(index, subject):
    if subject is not None:
        return Decimal(10) if index.code in ("PCI", "PAPI") else None
    return Decimal(index.score_max) if index.score_max else (Decimal(100) if index.unit == "%" else None)


def _fmt_int(value):
    return str(int(value)) if value is not None and value == int(value) else str(value)


def _warn(preview, index, subindices):
    """The warnings a person must confirm: figures that contradict one another or the edition."""
    good = [r for r in preview.rows if not r.errors]
    expected = preview.out_of
    if good and len(preview.rows) != expected and len(preview.rows) > expected // 2:
        preview.warnings.append(
            _("Bảng có %(n)d tỉnh, thành phố nhưng kết quả năm %(year)d xếp hạng %(expected)d.")
            % {"n": len(preview.rows), "year": preview.year, "expected": expected}
        )
    subjects = [v[0] for v in good[0].values] if good else []
    for k, subject in enumerate(subjects):
        label = str(index) if subject is None else _subject_label(index, subject)
        entries = [(r, r.values[k][1], r.values[k][2]) for r in good]
        by_rank = {}
        for r, _score, rank in entries:
            if rank is not None:
                by_rank.setdefault(rank, []).append(r)
        for rank, holders in sorted(by_rank.items()):
            if len(holders) > 1:
                scores = {h.values[k][1] for h in holders}
                if len(scores) > 1 or None in scores:
                    preview.warnings.append(
                        _("%(what)s: %(names)s cùng hạng %(rank)d.")
                        % {"what": label, "names": ", ".join(h.province_name for h in holders), "rank": rank}
                    )
        ranked = sorted(
            [(s, rank, r) for r, s, rank in entries if s is not None and rank is not None], key=lambda e: -e[0]
        )
        for (s1, r1, a), (s2, r2, b) in zip(ranked, ranked[1:], strict=False):
            if s1 > s2 and r1 > r2:
                preview.warnings.append(
                    _("%(what)s: %(a)s điểm %(s1)s hạng %(r1)d nhưng %(b)s điểm thấp hơn (%(s2)s) lại hạng %(r2)d.")
                    % {
                        "what": label,
                        "a": a.province_name,
                        "s1": _fmt(s1),
                        "r1": r1,
                        "b": b.province_name,
                        "s2": _fmt(s2),
                        "r2": r2,
                    }
                )
    if index.code == "PCI":
        weights = {s.number: s.weight for s in subindices.values() if s.weight is not None}
        for r in good:
            scores = {n: s for n, s, _rank in r.values if n is not None and s is not None}
            total = next((s for n, s, _rank in r.values if n is None), None)
            if total is None or set(weights) - set(scores):
                continue
            computed = weighted_total(scores, weights)
            if abs(computed - total) > TOTAL_TOLERANCE:
                preview.warnings.append(
                    _(
                        "Dòng %(line)d (%(name)s): điểm PCI %(total)s khác tổng có trọng số của 10 chỉ số thành "
                        "phần (%(computed)s) hơn 0,1 điểm."
                    )
                    % {"line": r.line, "name": r.province_name, "total": _fmt(total), "computed": _fmt(computed)}
                )


def _diff(preview, index, subindices):
    """Cell by cell, what a save would change in results already stored (old → new), and how many are new."""
    existing = {
        (r.province_id, r.subindex.number if r.subindex_id else None): r
        for r in Result.objects.filter(
            index=index,
            year=preview.year,
            indicator__isnull=True,
            province_id__in=[r.province_id for r in preview.rows],
        ).select_related("subindex")
    }
    for row in preview.rows:
        for number, score, rank in row.values:
            old = existing.get((row.province_id, number))
            subject = str(index) if number is None else _subject_label(index, number)
            if old is None:
                if score is not None or rank is not None:
                    preview.new_count += 1
                continue
            if score is not None and old.score is not None and Decimal(old.score) != score:
                preview.changes.append(Change(row.province_name, subject, _("điểm"), Decimal(old.score), score))
            if rank is not None and old.rank is not None and old.rank != rank:
                preview.changes.append(Change(row.province_name, subject, _("hạng"), old.rank, rank))
            if number is None and row.tier and old.tier and old.tier != row.tier:
                preview.changes.append(Change(row.province_name, subject, _("nhóm"), old.tier, row.tier))


@transaction.atomic
def save_results(year, out_of, rows, source="", index_code="PCI", user=None):
    """Write the previewed rows (ImportRow.as_dict() form): create or update each result, all or nothing.

    A blank rank in the file keeps a rank entered by hand earlier; a blank score keeps the stored score.
    Every created or changed result gets a history record (who, when, old → new).
    """
    index = Index.objects.get(code=index_code)
    subindices = {s.number: s for s in SubIndex.objects.filter(index=index)}
    province_ids = [r["province_id"] for r in rows]
    existing = {
        (r.province_id, r.subindex_id): r
        for r in Result.objects.select_for_update().filter(
            index=index, year=year, indicator__isnull=True, province_id__in=province_ids
        )
    }
    created = updated = 0
    for row in rows:
        for number, score, rank in row["values"]:
            subindex = subindices[number] if number is not None else None
            score = Decimal(score) if score is not None else None
            tier = row.get("tier", "") if number is None else ""
            key = (row["province_id"], subindex.pk if subindex else None)
            result = existing.get(key)
            if result is None:
                if score is None and rank is None and not tier:
                    continue
                result = Result(
                    province_id=row["province_id"], year=year, index=index, subindex=subindex, out_of=out_of
                )
                created += 1
            else:
                before = (result.score, result.rank, result.out_of, result.tier)
                after = (
                    score if score is not None else result.score,
                    rank if rank is not None else result.rank,
                    out_of,
                    tier or result.tier,
                )
                if before == after:
                    continue
                updated += 1
            result.score = score if score is not None else result.score
            result.rank = rank if rank is not None else result.rank
            result.tier = tier or result.tier
            result.out_of = out_of
            result.source = source or result.source
            result.illustrative = False  # figures read from a file replace the demo's made-up ones
            if user is not None:
                result._history_user = user
            result.save()
    return created, updated
