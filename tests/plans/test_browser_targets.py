"""In Chromium: the focal office enters "3 of these 7 sub-indices in the top 10" and a region goal, imports the
published results and reads the right verdicts on the plan page."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from indicators.models import Region, SubIndex
from tests.conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SUB_RANKS = {"Quảng Ngãi": [5, 8, 40, 9, 50, 12, 3, 20, 20, 20]}  # 4 of CSTP 1–7 in the top 10
TOTAL_RANKS = {"Đà Nẵng": 5, "Thừa Thiên Huế": 7, "Quảng Ngãi": 12}  # third in its region


def results_csv(path):
    region = Region.objects.get(code="btb-dhmt")
    header = "Tỉnh/thành phố;PCI;Hạng;" + ";".join(f"CSTP {n};Hạng {n}" for n in range(1, 11))
    lines = ["Kết quả PCI 2024", header]
    for i, p in enumerate(region.provinces.order_by("name")):
        ranks = SUB_RANKS.get(p.name, [""] * 10)
        total_rank = TOTAL_RANKS.get(p.name, 30 + i)
        # every sub-index 6,00: the total 60,00 is their weighted sum, so no warning stands in the way
        lines.append(";".join([p.name, "60,00", str(total_rank)] + [f"6,00;{r}" for r in ranks]))
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_focal_office_enters_group_and_region_goals_imports_results_and_sees_the_verdicts(
    page, live_server, reference, people, plan, tmp_path
):
    carol = people["carol"]
    carol.user_permissions.add(Permission.objects.get(codename="keep_results"))
    login(page, "carol")

    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Thêm mục tiêu").click()
    page.get_by_label("Bộ chỉ số").select_option(label="PCI")
    for n in range(1, 8):
        name = SubIndex.objects.get(index__code="PCI", number=n).name
        page.get_by_label(f"CSTP {n}: {name}").check()
    page.get_by_label("Năm mục tiêu").fill("2024")
    page.locator("[name=goals-0-kind]").select_option("rank_lte")
    page.locator("[name=goals-0-value]").fill("10")
    page.locator("[name=goals-0-min_count]").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#targets")).to_contain_text("ít nhất 3/7 chỉ số: xếp hạng ≤ 10")

    page.get_by_role("link", name="Thêm mục tiêu").click()
    page.get_by_label("Bộ chỉ số").select_option(label="PCI")
    page.get_by_label("Năm mục tiêu").fill("2024")
    page.locator("[name=goals-0-kind]").select_option("top_in_region")
    page.locator("[name=goals-0-value]").fill("3")
    page.locator("[name=goals-0-region]").select_option(
        label="Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh, đến năm 2024)"
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#targets")).to_contain_text("top 3 vùng Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh)")
    expect(page.locator("#targets .verdict-pending")).to_have_count(2)

    page.goto("/indicators/results/import/")
    page.get_by_label("Tệp kết quả (.xlsx hoặc .csv)").set_input_files(str(results_csv(tmp_path / "pci-2024.csv")))
    page.get_by_label("Năm của kết quả (năm PCI)").fill("2024")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_text("14 tỉnh, PCI 2024, xếp hạng trên 63: không có lỗi")).to_be_visible()
    page.get_by_role("button", name="Lưu tất cả").click()
    expect(page.get_by_text("Đã lưu kết quả PCI 2024: 154 kết quả mới")).to_be_visible()

    page.goto(f"/plans/{plan.pk}/")
    targets = page.locator("#targets")
    expect(targets.locator(".verdict-met")).to_have_count(2)
    expect(targets).to_contain_text("đạt 4/7")
    expect(targets).to_contain_text(
        "không đạt: CSTP 3 (xếp hạng 40/63), CSTP 5 (xếp hạng 50/63), CSTP 6 (xếp hạng 12/63)"
    )
    expect(targets).to_contain_text("hạng 3/14 trong vùng Bắc Trung Bộ và duyên hải miền Trung")
