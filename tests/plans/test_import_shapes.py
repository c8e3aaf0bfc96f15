# ruff: noqa: E501 - documents are written as a clerk types them, one paragraph a line
"""The importer on documents we wrote ourselves, in the other shapes plans come in."""

import io

import pytest

from accounts.models import Unit
from plans.importing import Directory, ImportRefused, read_document
from tests.factories import PersonFactory, UnitFactory

from .import_docs import to_docx, to_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org):
    """Quảng Ngãi's tree of the shared fixtures, with the units these documents name."""
    sct = org["sct"]
    UnitFactory(code="QNG-SCT-VP", name="Văn phòng Sở", kind="office", parent=sct)
    UnitFactory(code="QNG-SCT-TTKC", name="Trung tâm Khuyến công và Xúc tiến thương mại", kind="centre", parent=sct)
    district = UnitFactory(
        code="QNG-ST", name="Ủy ban nhân dân huyện Sơn Tịnh", kind="district", parent=org["ubnd"], abbreviation="UBND"
    )
    UnitFactory(code="QNG-ST-TCKH", name="Phòng Tài chính – Kế hoạch", kind="division", parent=district)
    UnitFactory(code="QNG-ST-KTHT", name="Phòng Kinh tế và Hạ tầng", kind="division", parent=district)
    UnitFactory(code="QNG-ST-VP", name="Văn phòng HĐND và UBND huyện", kind="office", parent=district)
    PersonFactory(key="tran-van-a", full_name="Trần Văn A", title="Chủ tịch", unit=district)
    return {**org, "district": district}


def _read(data, name):
    return read_document(data, name, Directory.from_db())


HEADER = [
    ["UBND TỈNH QUẢNG NGÃI\nSỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
    ["Số: 15/KH-SCT", "Quảng Ngãi, ngày 10 tháng 3 năm 2025"],
]

APPENDIX_PLAN = """KẾ HOẠCH
Triển khai các nhiệm vụ hỗ trợ doanh nghiệp năm 2025
Căn cứ Quyết định số 649/QĐ-UBND ngày 26/7/2021 của UBND tỉnh về ban hành Kế hoạch cải thiện PCI;
I. MỤC TIÊU
Phấn đấu năm 2025 Chỉ số thành phần 8 đạt từ 6,5 điểm trở lên.
II. NHIỆM VỤ CỤ THỂ
(Chi tiết tại Phụ lục kèm theo)
PHỤ LỤC: DANH MỤC NHIỆM VỤ
STT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tSản phẩm
I\tXúc tiến thương mại\t\t\t\t
1\tTổ chức hội chợ thương mại cấp tỉnh\tPhòng Quản lý thương mại\tTrung tâm Khuyến công và Xúc tiến thương mại\tQuý II/2025\tBáo cáo kết quả
2\tCập nhật cơ sở dữ liệu doanh nghiệp xuất khẩu\tPhòng Quản lý Xuất nhập khẩu\tVăn phòng Sở\tTrước ngày 30/6/2025\tCơ sở dữ liệu
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Võ Văn Rân
"""


def test_a_docx_with_the_nd30_header_table_and_an_appendix_table(tree):
    draft = _read(to_docx(APPENDIX_PLAN, header_table=HEADER), "ke-hoach-15.docx")
    assert (draft.number, draft.number_suffix, draft.date, draft.place) == (
        "15/KH-SCT",
        "KH-SCT",
        "2025-03-10",
        "Quảng Ngãi",
    )
    assert draft.body_above == "UBND TỈNH QUẢNG NGÃI" and draft.issuer.code == "QNG-SCT"
    assert draft.legal_basis[0].number == "649/QĐ-UBND" and draft.legal_basis[0].date == "2021-07-26"
    appendix = next(s for s in draft.sections if s.number.startswith("PL"))
    group = appendix.children[0]
    assert group.title == "Xúc tiến thương mại"
    first, second = group.tasks
    assert first.description == "Tổ chức hội chợ thương mại cấp tỉnh"
    assert (first.lead.code, [c.code for c in first.coordinating]) == ("QNG-SCT-QLTM", ["QNG-SCT-TTKC"])
    assert (first.timeframe, first.due, first.product) == ("once", "2025-06-30", "Báo cáo kết quả")
    assert (second.lead.code, second.due) == ("QNG-SCT-QLXNK", "2025-06-30")
    assert draft.targets[0].subindex == 8 and draft.targets[0].goals[0].kind == "score_gte"
    assert draft.targets[0].goals[0].value == 6.5 and draft.targets[0].year == 2025


def test_an_excel_appendix_with_its_header_on_the_second_sheet_in_any_order(tree):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Ghi chú"
    book.active["A1"] = "Phụ lục kèm theo Kế hoạch số 15/KH-SCT"
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(["DANH MỤC NHIỆM VỤ NĂM 2025"])
    sheet.append([])
    sheet.append(["TT", "Thời hạn hoàn thành", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp"])
    sheet.append(["1", "Hàng năm", "Khảo sát nhu cầu xúc tiến thương mại", "Báo cáo", "Phòng Quản lý thương mại", ""])
    sheet.append(
        [
            "2",
            "Thường xuyên",
            "Hỗ trợ doanh nghiệp tham gia sàn TMĐT",
            "",
            "Trung tâm khuyến công và XTTM",
            "Văn phòng Sở",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    draft = _read(out.getvalue(), "phu-luc.xlsx")
    tasks = draft.all_tasks()
    assert [t.description for t in tasks] == [
        "Khảo sát nhu cầu xúc tiến thương mại",
        "Hỗ trợ doanh nghiệp tham gia sàn TMĐT",
    ]
    assert [t.lead.code for t in tasks] == ["QNG-SCT-QLTM", "QNG-SCT-TTKC"]
    assert [t.timeframe for t in tasks] == ["annual", "regular"]
    assert [c.code for c in tasks[1].coordinating] == ["QNG-SCT-VP"]
    assert {line.use for line in draft.lines if "Phụ lục kèm theo" in line.text} == {"unused"}


def test_an_excel_file_without_a_task_table_is_refused(tree):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Tên", "Tuổi"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRefused, match="Không thấy bảng nhiệm vụ"):
        _read(out.getvalue(), "danh-sach.xlsx")


TARGETS = """KẾ HOẠCH
Nâng cao chỉ số PCI giai đoạn 2024-2025
I. MỤC TIÊU
1. Mục tiêu cụ thể
Chỉ số\tĐiểm năm 2022\tĐiểm năm 2023\tMục tiêu năm 2025
CSTP 8: Chính sách hỗ trợ doanh nghiệp\t6,1\t6,4\t≥ 7
Chỉ số PCI\t64,2\t65,0\t≥ 68
- Phấn đấu năm 2025 có 3 chỉ số thành phần (CSTP 2, 5 và 8) nằm trong top 20.
- Phấn đấu năm 2024 Chỉ số PCI thuộc nhóm Tốt, năm 2025 tăng 3 bậc so với năm 2023.
II. NHIỆM VỤ
1. Văn phòng Sở
- Theo dõi, tổng hợp.
"""


def test_a_target_table_with_two_baseline_years_and_targets_over_several_subindices(tree):
    draft = _read(TARGETS.encode(), "muc-tieu.txt")
    by_subject = {(t.index, t.subindex, tuple(t.subindices), t.year): t for t in draft.targets}
    cstp8 = by_subject[("PCI", 8, (), 2025)]
    assert (cstp8.baseline_year, cstp8.baseline_score) == (2023, 6.4)
    assert [(g.kind, g.value) for g in cstp8.goals] == [("score_gte", 7)]
    assert cstp8.text == "CSTP 8: Chính sách hỗ trợ doanh nghiệp — 6,1 (2022), 6,4 (2023) → ≥ 7 (2025)"
    pci = by_subject[("PCI", None, (), 2025)] if ("PCI", None, (), 2025) in by_subject else None
    assert pci is not None and pci.baseline_score == 65.0
    group = by_subject[("PCI", None, (2, 5, 8), 2025)]
    assert [(g.kind, g.value) for g in group.goals] == [("rank_lte", 20)]
    tier = by_subject[("PCI", None, (), 2024)]
    assert [(g.kind, g.tier) for g in tier.goals] == [("tier", "tot")]


DISTRICT = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH
Số: ……/KH-UBND
Sơn Tịnh, ngày    tháng 4 năm 2025
KẾ HOẠCH
Cải thiện Chỉ số năng lực cạnh tranh cấp huyện năm 2025
Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2025 của UBND tỉnh Quảng Ngãi về nâng cao PCI năm 2025;
I. NHIỆM VỤ, GIẢI PHÁP
1. Cải cách thủ tục hành chính
- Giao Phòng Tài chính – Kế hoạch chủ trì, phối hợp với Phòng Kinh tế và Hạ tầng rà soát thủ tục đầu tư. Thời gian: Quý III/2025.
- Văn phòng HĐND và UBND huyện công khai thủ tục hành chính trên cổng thông tin điện tử huyện.
II. TỔ CHỨC THỰC HIỆN
Các phòng, ban báo cáo kết quả thực hiện trước ngày 15 tháng 11 gửi Phòng Tài chính – Kế hoạch tổng hợp.
Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn A
"""


def test_a_plan_of_a_district_peoples_committee_with_no_number_yet(tree):
    draft = _read(to_pdf(DISTRICT), "son-tinh.pdf")
    assert draft.issuer.code == "QNG-ST" and draft.body_above == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert (draft.number, draft.number_suffix, draft.date, draft.place) == ("", "KH-UBND", None, "Sơn Tịnh")
    assert (draft.period_start, draft.period_end) == (2025, 2025)
    assert draft.parent.number == "45/KH-UBND" and draft.parent.issuer.code == "QNG-UBND"
    first, second = draft.all_tasks()
    assert (first.lead.code, [c.code for c in first.coordinating]) == ("QNG-ST-TCKH", ["QNG-ST-KTHT"])
    assert second.lead.code == "QNG-ST-VP"
    (rule,) = draft.reporting_rules
    assert (rule.day, rule.month, rule.to.code, rule.from_children_of) == (15, 11, "QNG-ST-TCKH", "QNG-ST")
    assert draft.signer.key == "tran-van-a" and draft.signer_title == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    assert Unit.objects.filter(code="QNG-ST").exists()


@pytest.mark.parametrize(
    "sentence, goals",
    [
        ("đạt từ 65 điểm trở lên", [("score_gte", 65)]),
        ("đạt trên 64 điểm", [("score_gt", 64)]),
        ("tăng 1,5 điểm so với năm 2023", [("score_up_by", 1.5)]),
        ("nằm trong top 30 cả nước", [("rank_lte", 30)]),
        ("xếp hạng trong khoảng 20-30/63 tỉnh", [("rank_band", (20, 30, 63))]),
        ("giữ vững vị trí xếp hạng", [("keep_rank", None)]),
        ("tăng 5 bậc so với năm 2023", [("rank_up_by", 5)]),
        ("nâng thứ hạng so với năm 2023", [("rank_improve", None)]),
        ("thuộc nhóm Tốt", [("tier", "tot")]),
        ("thuộc nhóm trên của nhóm Khá", [("tier", "kha")]),
        ("đứng thứ 3/14 tỉnh trong vùng Duyên hải miền Trung", [("top_in_region", (3, 14, "Duyên hải miền Trung"))]),
    ],
)
def test_the_ways_plans_write_a_goal(sentence, goals):
    from plans.importing import Directory
    from plans.importing.parser import Parser

    read = Parser([], Directory())._goals(sentence)
    got = []
    for g in read:
        detail = {
            "rank_band": (g.low, g.high, g.out_of),
            "tier": g.tier,
            "top_in_region": (g.value, g.region_size, g.region),
        }.get(g.kind, g.value)
        got.append((g.kind, detail))
    assert got == goals


ABOVE = """KẾ HOẠCH
Hỗ trợ doanh nghiệp năm 2025
I. NHIỆM VỤ
1. Xúc tiến thương mại
* Đơn vị chủ trì: Phòng Quản lý thương mại
* Thời gian thực hiện: Hàng năm
- Tổ chức hội chợ cấp tỉnh.
- Tổ chức phiên chợ hàng Việt.
2. Cải cách hành chính
- Rà soát thủ tục hành chính.
* Cơ quan chủ trì: Văn phòng Sở
"""


def test_a_line_that_applies_to_the_bullets_below_it_or_above_it(tree):
    draft = _read(ABOVE.encode(), "tren-duoi.txt")
    fair, market, review = draft.all_tasks()
    assert (fair.lead.code, fair.timeframe) == ("QNG-SCT-QLTM", "annual")
    assert (market.lead.code, market.timeframe_text) == ("QNG-SCT-QLTM", "Hàng năm")
    assert review.lead.code == "QNG-SCT-VP"
