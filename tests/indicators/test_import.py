"""Import of published PCI results: preview, Vietnamese row errors, all-or-nothing save, unpublished ranks."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.importing import normalize_name
from indicators.models import Province, Result

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "pci-2021-mau.xlsx"
HEADER = "Tỉnh/thành phố;PCI;Hạng;" + ";".join(f"CSTP{n};Hạng{n}" for n in range(1, 11))


def csv_file(*rows, name="pci.csv"):
    text = "\n".join(["Bảng xếp hạng PCI", HEADER, *rows])
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def qn_row(name="Quảng Ninh", total="73,02", rank="1", sub_rank=""):
    subs = ["7,98", "7,39", "6,31", "8,52", "7,85", "6,96", "7,74", "7,39", "7,27", "7,91"]
    return ";".join([name, total, rank] + [f"{s};{sub_rank}" for s in subs])


def upload(client, f, year=2021, out_of=63):
    return client.post("/indicators/results/import/", {"file": f, "year": year, "out_of": out_of, "preview": "1"})


@pytest.fixture
def carol_client(client, people):
    """The focal office, given the results-keeper right by an administrator."""
    from django.contrib.auth.models import Permission

    people["carol"].user_permissions.add(Permission.objects.get(codename="keep_results"))
    client.force_login(people["carol"])
    return client


@pytest.mark.parametrize(
    "name",
    ["TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "tp hồ chí minh", "TP.HCM", "Ho Chi Minh City"],
)
def test_spellings_of_ho_chi_minh_city_are_recognised(name):
    assert normalize_name(name) == normalize_name("Thành phố Hồ Chí Minh")


def test_thua_thien_hue_with_a_dash_is_recognised():
    assert normalize_name("Thừa Thiên - Huế") == normalize_name("Thừa Thiên Huế")
    assert normalize_name("THỪA THIÊN HUẾ") == normalize_name("Thừa Thiên Huế")


def test_example_file_previews_then_saves_every_result(carol_client):
    with open(EXAMPLE, "rb") as fh:
        response = upload(carol_client, SimpleUploadedFile(EXAMPLE.name, fh.read()))
    body = response.content.decode()
    assert "không có lỗi" in body
    assert "Thừa Thiên Huế" in body and "Thành phố Hồ Chí Minh" in body
    assert Result.objects.count() == 0  # a preview writes nothing
    # The example's illustrative sub-index scores do not add up to their totals: warnings to confirm.
    assert "khác tổng có trọng số của 10 chỉ số thành phần" in body
    carol_client.post("/indicators/results/import/", {"confirm": "1"}, follow=True)
    assert Result.objects.count() == 0  # not confirmed: nothing written

    response = carol_client.post("/indicators/results/import/", {"confirm": "1", "confirm_warnings": "1"}, follow=True)
    assert "Đã lưu kết quả PCI 2021: 77 kết quả mới" in response.content.decode()
    qn = Result.objects.get(province__name="Quảng Ninh", year=2021, subindex__isnull=True)
    assert (qn.score, qn.rank, qn.out_of) == (Decimal("73.02"), 1, 63)
    hue_cstp8 = Result.objects.get(province__name="Thừa Thiên Huế", year=2021, subindex__number=8)
    assert hue_cstp8.score == Decimal("6.40")  # written "6,40" with a decimal comma


def test_bad_rows_are_listed_in_vietnamese_and_nothing_is_saved(carol_client):
    rows = [
        qn_row(),
        qn_row(name="Tỉnh Không Tồn Tại", rank="2"),
        qn_row(name="Hải Phòng", total="bảy mươi", rank="3"),
        qn_row(name="Long An", rank="hai"),
        qn_row(name="Đồng Tháp", rank="70"),
    ]
    response = upload(carol_client, csv_file(*rows))
    body = response.content.decode()
    assert "không nhận ra tỉnh/thành phố “Tỉnh Không Tồn Tại”" in body
    assert "Dòng 5: điểm PCI “bảy mươi” không phải là số." in body
    assert "Dòng 6: hạng PCI “hai” không phải là số nguyên." in body
    assert "Dòng 7: hạng PCI 70 nằm ngoài khoảng 1–63." in body
    assert "Lưu tất cả" not in body

    carol_client.post("/indicators/results/import/", {"confirm": "1"})
    assert Result.objects.count() == 0


def test_a_province_twice_is_an_error(carol_client):
    body = upload(carol_client, csv_file(qn_row(), qn_row(name="QUẢNG NINH"))).content.decode()
    assert "Dòng 4: “QUẢNG NINH” đã có ở dòng 3." in body


def test_a_table_without_the_header_row_is_refused(carol_client):
    f = SimpleUploadedFile("pci.csv", b"a;b;c\n1;2;3\n")
    body = upload(carol_client, f).content.decode()
    assert "Không tìm thấy dòng tiêu đề" in body


def test_unpublished_rank_stays_empty_and_can_be_entered_by_hand(carol_client):
    upload(carol_client, csv_file(qn_row(name="Quảng Ngãi", rank="", sub_rank="")), year=2023)
    carol_client.post("/indicators/results/import/", {"confirm": "1"})
    total = Result.objects.get(province__name="Quảng Ngãi", year=2023, subindex__isnull=True)
    assert total.rank is None and total.rank_display == "chưa công bố"

    page = carol_client.get("/indicators/results/?year=2023").content.decode()
    assert f"/indicators/results/{total.pk}/edit/" in page
    carol_client.post(f"/indicators/results/{total.pk}/edit/", {"score": "73.02", "rank": "41", "out_of": "63"})
    total.refresh_from_db()
    assert total.rank == 41

    # Importing the same table again keeps the rank entered by hand; the changed total is shown and confirmed.
    body = upload(carol_client, csv_file(qn_row(name="Quảng Ngãi", total="73,50", rank="")), year=2023)
    assert "Quảng Ngãi, PCI: điểm 73,02 → 73,50" in body.content.decode()
    carol_client.post("/indicators/results/import/", {"confirm": "1", "confirm_warnings": "1"})
    total.refresh_from_db()
    assert (total.rank, total.score) == (41, Decimal("73.50"))


def test_hand_entered_rank_above_out_of_is_refused(carol_client, reference):
    from tests.factories import ResultFactory

    r = ResultFactory(year=2023, rank=None, score=Decimal("6.1"))
    body = carol_client.post(f"/indicators/results/{r.pk}/edit/", {"score": "6.1", "rank": "64", "out_of": "63"})
    assert "Hạng không được lớn hơn số tỉnh được xếp hạng." in body.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "eve"])
def test_only_administrators_and_results_keepers_import(client, people, who):
    client.force_login(people[who])
    assert client.get("/indicators/results/import/").status_code == 403
    assert client.get("/indicators/results/").status_code == 403


def test_administrator_may_import(client, people):
    client.force_login(people["admin"])
    assert client.get("/indicators/results/import/").status_code == 200


def test_a_34_province_table_matches_the_provinces_after_the_merger(carol_client):
    rows = [qn_row(name="Tuyên Quang", rank="1"), qn_row(name="Huế", rank="2"), qn_row(name="Hà Giang", rank="3")]
    body = upload(carol_client, csv_file(*rows), year=2025, out_of=34).content.decode()
    assert "không nhận ra tỉnh/thành phố “Hà Giang”" in body  # merged into Tuyên Quang
    assert "Dòng 3" not in body and "Dòng 4" not in body
    preview_rows = upload(carol_client, csv_file(*rows[:2]), year=2025, out_of=34).context["preview"].rows
    assert [r.province_id for r in preview_rows] == [
        Province.objects.get(code="TQ25").pk,
        Province.objects.get(code="HUE").pk,
    ]
