"""The results importer never takes wrong figures: dialects, encodings, unpublished cells, formulas and merged
cells, warnings to confirm, a cell-by-cell diff on re-import, the results-keeper right and the history."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.importing import parse_results, save_results
from indicators.models import Index, Province, Result

from .test_import import HEADER

pytestmark = pytest.mark.django_db
SUBS = ["7,98", "7,39", "6,31", "8,52", "7,85", "6,96", "7,74", "7,39", "7,27", "7,91"]  # Quảng Ninh 2021


def table(rows, delimiter=";", decimal=",", header=HEADER):
    head = header.replace(";", delimiter)
    body = [delimiter.join(cell.replace(",", decimal) if decimal != "," else cell for cell in r) for r in rows]
    return "\n".join(["Bảng xếp hạng PCI 2021", head, *body])


def row(name="Quảng Ninh", total="73,02", rank="1", sub_rank=""):
    return [name, total, rank] + [c for s in SUBS for c in (s, sub_rank)]


def preview(text, year=2021, encoding="utf-8", name="pci.csv", index="PCI"):
    return parse_results(SimpleUploadedFile(name, text.encode(encoding)), year, None, index)


def total_of(p, province="Quảng Ninh"):
    r = next(r for r in p.rows if r.province_name == province)
    return r.values[0][1], r.values[0][2]


@pytest.mark.parametrize(
    "delimiter,decimal",
    [(";", ","), ("\t", ","), ("\t", "."), (",", "."), (";", ".")],
)
def test_the_dialect_is_found_by_itself(reference, delimiter, decimal):
    p = preview(table([row()], delimiter=delimiter, decimal=decimal))
    assert not p.has_errors, p.all_errors()
    assert total_of(p) == (Decimal("73.02"), 1)


def test_a_comma_separated_file_with_quoted_decimal_commas_reads_right(reference):
    cells = [f'"{c}"' if "," in c else c for c in row(total="70,35", rank="9")]
    p = preview("\n".join([HEADER.replace(";", ","), ",".join(cells)]))
    assert total_of(p) == (Decimal("70.35"), 9)


def test_unquoted_decimal_commas_in_a_comma_separated_file_are_an_error_not_score_70_rank_35(reference):
    text = "\n".join([HEADER.replace(";", ","), ",".join(row(total="70,35", rank="9"))])
    p = preview(text)
    assert p.has_errors
    assert "số thập phân viết dấu phẩy trong tệp phân cách bằng dấu phẩy" in " ".join(p.all_errors())


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """Text as Vietnamese Windows stores it: letters with ^, ˘, ơ, ư precomposed, tone marks combining."""
    import unicodedata

    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
            out.append(base + "".join(c for c in d if c in TONES))
    return "".join(out)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_encodings_give_the_right_names(reference, encoding):
    text = table([row(), row(name="Thừa Thiên Huế", rank="2"), row(name="Đồng Tháp", rank="3")])
    if encoding == "cp1258":
        text = windows_1258(text)
    p = preview(text, encoding=encoding)
    assert not p.has_errors, p.all_errors()
    assert [r.province_name for r in p.rows] == ["Quảng Ninh", "Thừa Thiên Huế", "Đồng Tháp"]


def test_bytes_in_no_known_encoding_are_a_clear_error(reference):
    p = parse_results(SimpleUploadedFile("pci.csv", b"\x81\x8a\x9f;\xff\xfe\x00"), 2021, None)
    assert p.has_errors


@pytest.mark.parametrize("cell", ["N/A", "-", "—", "", "n/a"])
def test_n_a_dashes_and_blank_read_as_unpublished(reference, cell):
    p = preview(table([row(rank=cell)]))
    assert not p.has_errors
    assert total_of(p) == (Decimal("73.02"), None)


def test_rank_written_2_of_62_reads_rank_2_and_warns_about_the_edition(reference):
    p = preview(table([row(rank="2/62")]))
    assert total_of(p) == (Decimal("73.02"), 2)
    assert any("“2/62”" in w and "63 tỉnh" in w for w in p.warnings)
    assert not preview(table([row(rank="2/63")])).warnings


def workbook(rows, formula_at=None, merge=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if formula_at:
        ws[formula_at] = "=B4+1"
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stores no computed value for a formula: as a file saved by a script
    return SimpleUploadedFile("pci.xlsx", buf.getvalue())


def xlsx_rows():
    subs = [float(s.replace(",", ".")) for s in SUBS]
    return [
        ["Bảng xếp hạng PCI 2021"],
        HEADER.split(";"),
        ["Quảng Ninh", 73.02, 1] + [x for s in subs for x in (s, None)],
        ["Đồng Tháp", 70.53, 3] + [x for s in subs for x in (s, None)],
    ]


def test_a_formula_cell_without_a_computed_value_is_an_error_not_a_blank(reference):
    p = parse_results(workbook(xlsx_rows(), formula_at="C4"), 2021, None)
    assert "Ô C4 là công thức chưa có giá trị đã tính" in " ".join(p.errors)


def test_merged_cells_in_the_table_are_an_error(reference):
    p = parse_results(workbook(xlsx_rows(), merge="D3:D4"), 2021, None)
    assert "Ô gộp D3:D4" in " ".join(p.errors)
    assert not parse_results(workbook(xlsx_rows(), merge="A1:F1"), 2021, None).errors  # the title may be merged


def test_warnings_ranks_out_of_score_order_shared_rank_and_a_total_off_its_sub_indices(reference):
    rows = [
        row(name="Quảng Ninh", total="73,02", rank="2"),
        row(name="Đồng Tháp", total="73,50", rank="3"),  # higher score, worse rank; total 0,46 off
        row(name="Long An", total="72,00", rank="3"),  # shares rank 3
    ]
    p = preview(table(rows))
    assert not p.has_errors
    text = " ".join(p.warnings)
    assert "Đồng Tháp điểm 73,50 hạng 3 nhưng Quảng Ninh điểm thấp hơn (73,02) lại hạng 2" in text
    assert "Đồng Tháp, Long An cùng hạng 3" in text
    assert "điểm PCI 73,50 khác tổng có trọng số của 10 chỉ số thành phần (73,04) hơn 0,1 điểm" in text
    assert "điểm PCI 73,02 khác" not in text  # 0,02 off: rounding


def test_the_edition_follows_the_year_and_a_mismatch_is_refused(reference):
    text = table([row(name="Tuyên Quang")])
    p = parse_results(SimpleUploadedFile("pci.csv", text.encode()), 2025, 63)
    assert "Kết quả năm 2025 xếp hạng trên 34 tỉnh, thành phố, không phải 63." in p.errors
    p = preview(text, year=2025)
    assert p.out_of == 34 and not p.has_errors


def test_a_rank_beyond_the_edition_is_an_error(reference):
    p = preview(table([row(name="Tuyên Quang", rank="40")]), year=2025)
    assert "hạng PCI 40 nằm ngoài khoảng 1–34" in " ".join(p.all_errors())


def test_re_import_lists_each_changed_cell_and_writes_only_what_is_confirmed(reference):
    first = preview(table([row()]))
    save_results(2021, 63, [r.as_dict() for r in first.rows])
    second = preview(table([row(total="73,10", rank="2")]))
    assert [str(c) for c in second.changes] == ["Quảng Ninh, PCI: điểm 73,02 → 73,10", "Quảng Ninh, PCI: hạng 1 → 2"]
    assert second.needs_confirmation
    assert Result.objects.get(province__name="Quảng Ninh", subindex__isnull=True).score == Decimal("73.02")


def test_papi_with_its_band_column(reference):
    header = "Tỉnh/thành phố;PAPI;Hạng;Nhóm"
    text = "\n".join([header, "Quảng Ninh;45,12;3;Cao nhất", "Đồng Tháp;43,01;10;Trung bình cao"])
    p = preview(text, index="PAPI")
    assert not p.has_errors, p.all_errors()
    created, _updated = save_results(2021, 63, [r.as_dict() for r in p.rows], index_code="PAPI")
    assert created == 2
    r = Result.objects.get(index__code="PAPI", province__name="Đồng Tháp")
    assert (r.score, r.rank, r.tier, r.tier_label) == (Decimal("43.01"), 10, "trung_binh_cao", "Trung bình cao")
    bad = preview("\n".join([header, "Quảng Ninh;45,12;3;Khá"]), index="PAPI")
    assert "nhóm “Khá” không thuộc thang xếp loại của PAPI năm 2021" in " ".join(bad.all_errors())


def test_sipas_in_percent_above_100_is_an_error(reference):
    text = "\n".join(["Tỉnh/thành phố;SIPAS;Hạng", "Quảng Ninh;86,5 %;1", "Đồng Tháp;101;2"])
    p = preview(text, index="SIPAS")
    assert p.rows[0].values[0][1] == Decimal("86.50")
    assert "điểm SIPAS 101 nằm ngoài khoảng 0–100" in " ".join(p.all_errors())


# --- The results-keeper right and the change history -----------------------------------------------


def test_a_focal_office_without_the_right_cannot_change_a_result(client, people, reference):
    r = Result.objects.create(province=Province.objects.get(code="QNI"), year=2021, index=Index.objects.get(code="PCI"))
    client.force_login(people["carol"])
    assert (
        client.post(f"/indicators/results/{r.pk}/edit/", {"score": "1", "rank": "1", "out_of": "63"}).status_code == 403
    )


def test_every_change_is_recorded_and_shown_on_the_result(client, people, reference):
    keeper = people["carol"]
    keeper.user_permissions.add(Permission.objects.get(codename="keep_results"))
    p = preview(table([row()]))
    save_results(2021, 63, [r.as_dict() for r in p.rows], user=people["admin"])
    result = Result.objects.get(province__name="Quảng Ninh", subindex__isnull=True)
    client.force_login(keeper)
    client.post(f"/indicators/results/{result.pk}/edit/", {"score": "73,10", "rank": "2", "out_of": "63"})
    history = list(result.history.order_by("history_date"))
    assert [h.history_user for h in history] == [people["admin"], keeper]
    page = client.get(f"/indicators/results/{result.pk}/edit/").content.decode()
    assert "Lê Thị Cúc" in page and "73.02 → 73.10" in page.replace(",", ".") and "1 → 2" in page


# --- The command line ------------------------------------------------------------------------------


def run(tmp_path, text, *args, name="pci.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    try:
        from io import StringIO

        out = StringIO()
        call_command("import_results", str(path), *args, stdout=out)
        return 0, out.getvalue()
    except SystemExit as e:
        return e.code, out.getvalue()


def test_command_dry_run_writes_nothing(reference, tmp_path):
    code, out = run(tmp_path, table([row()]), "--year", "2021", "--dry-run")
    assert code == 0 and "Chạy thử" in out and Result.objects.count() == 0


def test_command_with_errors_writes_nothing_and_exits_1(reference, tmp_path):
    code, out = run(tmp_path, table([row(name="Không Có")]), "--year", "2021", "--yes")
    assert code == 1 and "LỖI: Dòng 3: không nhận ra tỉnh/thành phố “Không Có”." in out
    assert Result.objects.count() == 0


def test_command_with_warnings_needs_yes(reference, tmp_path):
    text = table([row(total="75,00")])
    code, out = run(tmp_path, text, "--year", "2021")
    assert code == 2 and "CẢNH BÁO:" in out and Result.objects.count() == 0
    code, out = run(tmp_path, text, "--year", "2021", "--yes")
    assert code == 0 and "Đã ghi: 11 kết quả mới" in out
    assert Result.objects.filter(year=2021).count() == 11


def test_command_clean_file_is_written_without_yes(reference, tmp_path):
    code, out = run(tmp_path, table([row()]), "--year", "2021")
    assert code == 0 and "Đã ghi: 11 kết quả mới, 0 kết quả cập nhật." in out
