"""Import of published PCI results from a table laid out as VCCI publishes them.

One row a province: "Tỉnh/thành phố", the PCI score and rank, then for each CSTP 1–10 a
score/rank column pair (23 columns). Rows above the header (titles) are skipped. A blank
rank means "not published" (PCI 2023 published only the top 30) and is left empty, to be
entered by hand later. Parsing never writes; `save_results` writes everything or nothing.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from pci_portal.uploads import read_table_rows

from .models import Index, Province, Result, SubIndex
from .reference import names_2025

SUBINDEX_COUNT = 10
COLUMN_COUNT = 1 + 2 + 2 * SUBINDEX_COUNT

# Spellings seen in published tables for names the reference data writes differently.
ALIASES = {
    "ho chi minh": "thanh pho ho chi minh",
    "tp ho chi minh": "thanh pho ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "hcm": "thanh pho ho chi minh",
    "ho chi minh city": "thanh pho ho chi minh",
    "hue": "thua thien hue",
}


def normalize_name(name):
    """Lower case, no diacritics, no punctuation, no "tỉnh"/"thành phố"/"TP." prefix."""
    text = unicodedata.normalize("NFD", str(name or "").strip().lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^(tinh|tp|thanh pho)\s+", "", text)
    return ALIASES.get(text, text)


def parse_decimal(value):
    """A number written 73,02 or 73.02 (or a float from Excel); None when blank; ValueError when not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        value = str(value)  # an Excel NaN or infinity is refused below like the text "NaN"
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in ("", "-", "–"):
        return None
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
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text in ("", "-", "–"):
        return None
    if re.fullmatch(r"\d+([.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    raise ValueError(value)


@dataclass
class ImportRow:
    line: int
    name: str
    province_id: int | None = None
    province_name: str = ""
    # [(subindex number or None for the total, score, rank)]
    values: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def as_dict(self):
        return {
            "line": self.line,
            "province_id": self.province_id,
            "values": [[n, str(s) if s is not None else None, r] for n, s, r in self.values],
        }


@dataclass
class ImportPreview:
    year: int
    out_of: int
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # errors of the file as a whole

    @property
    def has_errors(self):
        return bool(self.errors) or any(r.errors for r in self.rows)

    @property
    def error_count(self):
        return len(self.errors) + sum(len(r.errors) for r in self.rows)


def read_table(uploaded):
    """The cells of the first sheet of an .xlsx, or of a .csv (UTF-8, comma or semicolon separated).

    Rows, columns and cell lengths are bounded by pci_portal.uploads (ValueError with a Vietnamese message).
    """
    return read_table_rows(uploaded, max_rows=1000, max_columns=4 * COLUMN_COUNT, max_cell_chars=1000)


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


def parse_results(uploaded, year, out_of):
    """Read the file into an ImportPreview: every row with its values or its errors (in Vietnamese)."""
    preview = ImportPreview(year=year, out_of=out_of)
    try:
        table = read_table(uploaded)
    except ValueError as e:
        preview.errors.append(str(e))
        return preview
    header_at = next((i for i, row in enumerate(table) if row and _is_header(row)), None)
    if header_at is None:
        preview.errors.append(_("Không tìm thấy dòng tiêu đề: ô đầu tiên của dòng tiêu đề phải là “Tỉnh/thành phố”."))
        return preview
    header = [c for c in table[header_at] if c not in (None, "")]
    if len(header) < COLUMN_COUNT:
        preview.errors.append(
            _("Bảng cần %(n)d cột (tỉnh, điểm và hạng PCI, điểm và hạng của 10 chỉ số thành phần); tệp có %(m)d.")
            % {"n": COLUMN_COUNT, "m": len(header)}
        )
        return preview
    matcher = ProvinceMatcher(out_of)
    seen = {}
    for i, raw in enumerate(table[header_at + 1 :], start=header_at + 2):
        cells = list(raw) + [None] * (COLUMN_COUNT - len(raw))
        if all(c in (None, "") for c in cells[:COLUMN_COUNT]):
            continue
        row = ImportRow(line=i, name=str(cells[0] or "").strip())
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
            row.province_id, row.province_name = province.pk, province.name
        for k, number in enumerate([None, *range(1, SUBINDEX_COUNT + 1)]):
            label = _("PCI") if number is None else _("CSTP %(n)d") % {"n": number}
            score_cell, rank_cell = cells[1 + 2 * k], cells[2 + 2 * k]
            score = rank = None
            try:
                score = parse_decimal(score_cell)
            except ValueError:
                row.errors.append(
                    _("Dòng %(line)d: điểm %(what)s “%(value)s” không phải là số.")
                    % {"line": i, "what": label, "value": score_cell}
                )
            top = 100 if number is None else 10
            if score is not None and not (0 <= score <= top):
                row.errors.append(
                    _("Dòng %(line)d: điểm %(what)s %(value)s nằm ngoài khoảng 0–%(top)d.")
                    % {"line": i, "what": label, "value": score_cell, "top": top}
                )
            try:
                rank = parse_rank(rank_cell)
            except ValueError:
                row.errors.append(
                    _("Dòng %(line)d: hạng %(what)s “%(value)s” không phải là số nguyên.")
                    % {"line": i, "what": label, "value": rank_cell}
                )
            if rank is not None and not (1 <= rank <= out_of):
                row.errors.append(
                    _("Dòng %(line)d: hạng %(what)s %(value)d nằm ngoài khoảng 1–%(out_of)d.")
                    % {"line": i, "what": label, "value": rank, "out_of": out_of}
                )
            row.values.append((number, score, rank))
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return preview


@transaction.atomic
def save_results(year, out_of, rows, source=""):
    """Write the previewed rows (ImportRow.as_dict() form): create or update each result, all or nothing.

    A blank rank in the file keeps a rank entered by hand earlier; a blank score keeps the stored score.
    """
    pci = Index.objects.get(code="PCI")
    subindices = {s.number: s for s in SubIndex.objects.filter(index=pci)}
    province_ids = [r["province_id"] for r in rows]
    existing = {
        (r.province_id, r.subindex_id): r
        for r in Result.objects.select_for_update().filter(
            index=pci, year=year, indicator__isnull=True, province_id__in=province_ids
        )
    }
    to_create, to_update = [], []
    for row in rows:
        for number, score, rank in row["values"]:
            subindex = subindices[number] if number is not None else None
            score = Decimal(score) if score is not None else None
            key = (row["province_id"], subindex.pk if subindex else None)
            result = existing.get(key)
            if result is None:
                to_create.append(
                    Result(
                        province_id=row["province_id"],
                        year=year,
                        index=pci,
                        subindex=subindex,
                        score=score,
                        rank=rank,
                        out_of=out_of,
                        source=source,
                    )
                )
                continue
            result.score = score if score is not None else result.score
            result.rank = rank if rank is not None else result.rank
            result.out_of = out_of
            result.source = source or result.source
            to_update.append(result)
    Result.objects.bulk_create(to_create, batch_size=500)
    Result.objects.bulk_update(to_update, ["score", "rank", "out_of", "source"], batch_size=500)
    return len(to_create), len(to_update)
