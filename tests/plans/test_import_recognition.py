# ruff: noqa: E501 - documents are written as a clerk types them, one paragraph a line
"""What the importer reads beyond the two seeds: goals about a region, the upper part of a tier, half-yearly and
monthly work, and lists Word numbers by itself (the numbers are in the numbering part, not in the text)."""

import pytest

from plans.importing import Directory, read_document
from plans.importing.save import save_draft
from plans.models import Goal
from tests.factories import UnitFactory

from .import_docs import to_docx, to_numbered_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org):
    UnitFactory(code="QNG-SCT-VP", name="Văn phòng Sở", kind="office", parent=org["sct"])
    return org


def _read(data, name):
    return read_document(data, name, Directory.from_db())


REGIONS = """UBND TỈNH QUẢNG NGÃI
SỞ CÔNG THƯƠNG
Số: 20/KH-SCT
Quảng Ngãi, ngày 02 tháng 01 năm 2024
KẾ HOẠCH
Nâng hạng chỉ số PCI giai đoạn 2024-2025
I. MỤC TIÊU
1. Mục tiêu cụ thể
- Phấn đấu năm 2024 Chỉ số PCI đứng thứ 3/14 tỉnh trong vùng Duyên hải miền Trung.
- Phấn đấu năm 2025 Chỉ số PCI đứng thứ 2/8 trong vùng.
- Phấn đấu năm 2025 Chỉ số PCI thuộc nhóm trên của nhóm Khá.
II. NHIỆM VỤ
1. Văn phòng Sở
- Theo dõi, tổng hợp tình hình thực hiện. Thời gian: định kỳ 6 tháng.
"""


def test_a_goal_in_the_region_keeps_the_region_named_or_the_provinces_region_of_that_year(tree):
    draft = _read(REGIONS.encode(), "vung.txt")
    goals = {(t.year, g.kind): g for t in draft.targets for g in t.goals}
    named, unnamed = goals[(2024, "top_in_region")], goals[(2025, "top_in_region")]
    assert (named.value, named.region_size, named.region, named.region_code) == (
        3,
        14,
        "Duyên hải miền Trung",
        "btb-dhmt",
    )
    # No name: Quảng Ngãi's region in the 2025 edition (the 34 units; Quảng Ngãi merged with Kon Tum).
    assert (unnamed.value, unnamed.region_size, unnamed.region_code) == (2, 8, "btb-dhmt-2025")
    assert goals[(2025, "tier")].tier == "kha"
    assert not [w for w in draft.warnings if "Vùng" in w]

    plan = save_draft(draft, key="vung")
    saved = {
        (g.target.year, g.kind): g for g in Goal.objects.filter(target__plan=plan).select_related("target", "region")
    }
    assert saved[(2024, "top_in_region")].region.code == "btb-dhmt"
    assert saved[(2025, "top_in_region")].region.code == "btb-dhmt-2025"
    assert saved[(2025, "tier")].tier == "kha"
    assert (
        saved[(2024, "top_in_region")].target.goals_label == "top 3 vùng Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh)"
    )


def test_a_region_of_another_size_than_written_is_flagged_for_the_reviewer(tree):
    text = REGIONS.replace(
        "năm 2025 Chỉ số PCI đứng thứ 2/8 trong vùng.", "năm 2025 Chỉ số PCI đứng thứ 2/14 trong vùng."
    )
    draft = _read(text.encode(), "vung.txt")
    assert any("Vùng Bắc Trung Bộ và duyên hải miền Trung năm 2025 có 8 tỉnh" in w for w in draft.warnings)


@pytest.mark.parametrize(
    "written, timeframe, due",
    [
        ("định kỳ 6 tháng", "half_yearly", None),
        ("6 tháng một lần", "half_yearly", None),
        ("Định kỳ 6 tháng, hằng năm", "half_yearly", None),
        ("hằng tháng", "monthly", None),
        ("Hàng tháng", "monthly", None),
        ("6 tháng đầu năm 2025", "once", "2025-06-30"),
        ("Hằng năm", "annual", None),
        ("Quý II/2025", "once", "2025-06-30"),
    ],
)
def test_half_yearly_and_monthly_work_is_read_as_such(tree, written, timeframe, due):
    text = REGIONS.replace("Thời gian: định kỳ 6 tháng.", "").rstrip() + f"\n* Thời gian thực hiện: {written}\n"
    (task,) = _read(text.encode(), "thoi-gian.txt").all_tasks()
    assert (task.timeframe, task.due, task.timeframe_text) == (timeframe, due, written)


NUMBERED = """UBND TỈNH QUẢNG NGÃI
SỞ CÔNG THƯƠNG
Số: 21/KH-SCT
Quảng Ngãi, ngày 02 tháng 01 năm 2025
KẾ HOẠCH
Hỗ trợ doanh nghiệp năm 2025
#0 MỤC TIÊU
Phấn đấu năm 2025 Chỉ số thành phần 8 đạt từ 6,5 điểm trở lên.
#0 NHIỆM VỤ, GIẢI PHÁP
#1 Xúc tiến thương mại
#2 Hội chợ, triển lãm
#3 Tổ chức hội chợ thương mại cấp tỉnh.
#3 Tổ chức phiên chợ hàng Việt về nông thôn.
#2 Thương mại điện tử
#3 Hỗ trợ doanh nghiệp tham gia sàn thương mại điện tử.
#1 Cải cách hành chính
#3 Rà soát thủ tục hành chính của Sở.
#0 TỔ CHỨC THỰC HIỆN
#1 Văn phòng Sở
#3 Theo dõi, tổng hợp kết quả thực hiện.
"""


def test_lists_word_numbers_by_itself_keep_their_numbering(tree):
    """The numbers I., 1., a) and the bullets are not in the paragraphs' text: Word draws them from the numbering
    part. The sections and tasks come out as from the same document typed with its numbers."""
    typed = (
        NUMBERED.replace("#0 MỤC", "I. MỤC")
        .replace("#0 NHIỆM", "II. NHIỆM")
        .replace("#0 TỔ", "III. TỔ")
        .replace("#1 Xúc", "1. Xúc")
        .replace("#1 Cải", "2. Cải")
        .replace("#1 Văn", "1. Văn")
        .replace("#2 Hội", "a) Hội")
        .replace("#2 Thương", "b) Thương")
        .replace("#3 ", "- ")
    )
    auto = _read(to_numbered_docx(NUMBERED), "tu-dong.docx")
    by_hand = _read(to_docx(typed), "go-tay.docx")

    def shape(draft):
        return [(s.number, s.title, [t.description for t in s.tasks]) for s in draft.all_sections()]

    assert shape(auto) == shape(by_hand)
    assert [s.number for s in auto.all_sections()] == ["II", "II.1", "II.1.a", "II.1.b", "II.2", "III", "III.1"]
    assert [line.text for line in auto.lines if line.text.startswith(("I.", "II.", "III."))] == [
        "I. MỤC TIÊU",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    assert auto.targets[0].subindex == 8


def test_a_list_restarted_in_word_starts_again_at_one(tree):
    text = NUMBERED.replace("#1 Văn phòng Sở", "#1 Văn phòng Sở (danh sách mới)")
    restart = next(n for n, line in enumerate(text.splitlines()) if "danh sách mới" in line)
    draft = _read(to_numbered_docx(text, restart_at={restart}), "tu-dong.docx")
    assert "1. Văn phòng Sở (danh sách mới)" in [line.text for line in draft.lines]


GROUP = """UBND TỈNH QUẢNG NGÃI
SỞ CÔNG THƯƠNG
Số: 21/KH-SCT
Quảng Ngãi, ngày 02 tháng 01 năm 2024
KẾ HOẠCH
Cải thiện các chỉ số thành phần PCI năm 2024
I. MỤC TIÊU
1. Mục tiêu cụ thể
- Phấn đấu năm 2024 có 3 trong 5 chỉ số thành phần (CSTP 2, 5, 8, 9, 10) nằm trong top 20 của cả nước.
- Năm 2024 các chỉ số thành phần (CSTP 1, 3) tăng 5 bậc so với năm 2023.
II. NHIỆM VỤ
1. Văn phòng Sở
- Theo dõi, tổng hợp tình hình thực hiện. Thời gian: Năm 2024.
"""


def test_n_of_these_sub_indices_in_the_top_m_is_read_with_its_count_and_saved(tree):
    draft = _read(GROUP.encode(), "nhom.txt")
    by_group = {tuple(t.subindices): t for t in draft.targets}
    some, each = by_group[(2, 5, 8, 9, 10)], by_group[(1, 3)]
    assert [(g.kind, g.value, g.min_count) for g in some.goals] == [("rank_lte", 20, 3)]
    # No number before the sub-indices: every member must meet the goal.
    assert [(g.kind, g.value, g.min_count) for g in each.goals] == [("rank_up_by", 5, None)]

    plan = save_draft(draft, key="nhom")
    saved = {g.kind: g for g in Goal.objects.filter(target__plan=plan)}
    assert (saved["rank_lte"].min_count, saved["rank_up_by"].min_count) == (3, None)
    assert saved["rank_lte"].target.goals_label == "ít nhất 3/5 chỉ số: xếp hạng ≤ 20"
