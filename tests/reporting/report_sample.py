"""A consolidated report as plain data (what build_consolidated_context returns), for the formatters' layout tests.

The formatters never query the database, so their page layout is tested without one: fast, and with
as many rows as it takes to push the last paragraph to the bottom of a page.
"""

import datetime

TASKS = [
    "Tổ chức hội nghị đối thoại giữa lãnh đạo tỉnh với doanh nghiệp về thủ tục hành chính trong lĩnh vực công thương",
    "Hỗ trợ doanh nghiệp nhỏ và vừa tham gia hội chợ, triển lãm xúc tiến thương mại trong nước và quốc tế",
    "Cung cấp thông tin thị trường, cảnh báo phòng vệ thương mại cho doanh nghiệp xuất khẩu",
    "Rà soát, công khai thủ tục hành chính và đẩy mạnh dịch vụ công trực tuyến toàn trình",
]
RESULT = (
    "Đã tổ chức {n} hội chợ, thu hút 250 gian hàng của 180 doanh nghiệp; hỗ trợ 15 doanh nghiệp đăng ký nhãn hiệu, "
    "ký kết 32 biên bản ghi nhớ hợp tác với tổng giá trị ước đạt 120 tỷ đồng."
)
UNITS = [
    "Phòng Quản lý thương mại",
    "Phòng Quản lý Xuất nhập khẩu",
    "Phòng Kế hoạch – Tài chính – Tổng hợp",
    "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
]


def sample_context(rows_per_unit=4, units=3, number="", signer_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")):
    entries = []
    for u in range(units):
        reported = u < units - 1 or units == 1
        rows = [
            {
                "no": i,
                "section": "a) Nâng cao chất lượng dịch vụ hỗ trợ doanh nghiệp",
                "task": TASKS[(u + i) % len(TASKS)],
                "due_date": datetime.date(2025, 12, 5),
                "timeframe": "Hàng năm",
                "status": "Hoàn thành" if i % 2 else "Đang thực hiện",
                "progress": 100 if i % 2 else 60,
                "results": RESULT.format(n=i + 1),
                "difficulties": "Kinh phí xúc tiến thương mại còn hạn chế." if i == 1 else "",
                "proposals": "",
            }
            for i in range(1, rows_per_unit + 1)
        ]
        entries.append(
            {
                "name": UNITS[u % len(UNITS)],
                "code": f"U{u}",
                "state": "accepted" if reported else "not_submitted",
                "state_label": "Đã tiếp nhận" if reported else "Chưa gửi",
                "reported": reported,
                "on_time": True,
                "submitted_on": datetime.date(2025, 11, 12) if reported else None,
                "summary": "Phòng hoàn thành các nhiệm vụ được giao trong kỳ báo cáo." if reported else "",
                "difficulties": "",
                "proposals": "Đề nghị UBND tỉnh bố trí kinh phí xúc tiến thương mại." if u == 0 else "",
                "rows": rows if reported else [],
                "done": sum(r["status"] == "Hoàn thành" for r in rows) if reported else 0,
            }
        )
    recipients = ["UBND tỉnh (b/c);", "Lãnh đạo Sở;", "Các phòng, đơn vị có liên quan.", "Lưu: VT, KHTCTH."]
    return {
        "governing_body": "UBND TỈNH QUẢNG NGÃI",
        "issuer": "SỞ CÔNG THƯƠNG",
        "issuer_name": "Sở Công Thương",
        "number": f"Số: {number}" if number else "Số:       /BC-SCT",
        "place": "Quảng Ngãi",
        "date": datetime.date(2025, 11, 21),
        "place_date": "Quảng Ngãi, ngày 21 tháng 11 năm 2025",
        "motto_nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "title": "BÁO CÁO",
        "subtitle": "Kết quả thực hiện Kế hoạch nâng cao Chỉ số PCI năm 2025",
        "period": "Từ ngày 15/12/2024 đến ngày 14/11/2025",
        "period_start": datetime.date(2024, 12, 15),
        "period_end": datetime.date(2025, 11, 14),
        "due_date": datetime.date(2025, 11, 15),
        "plan_reference": "Kế hoạch ngày 21/09/2021 của Sở Công Thương",
        "plan_title": "Nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh",
        "intro": (
            "Thực hiện Kế hoạch ngày 21/09/2021 của Sở Công Thương về nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh "
            "(PCI) giai đoạn 2021 – 2025, Sở Công Thương báo cáo kết quả thực hiện (từ ngày 15/12/2024 đến ngày "
            "14/11/2025) như sau:"
        ),
        "targets": [
            {
                "subject": "Chỉ số thành phần 8: Chính sách hỗ trợ doanh nghiệp",
                "year": 2025,
                "goals": "xếp hạng ≤ 25",
                "baseline": "2023: hạng 32/63",
                "result": "6,85 điểm, hạng 21/34",
                "verdict": "Đạt",
                "verdict_state": "met",
                "reasons": "",
            }
        ],
        "units": entries,
        "units_reported": [e for e in entries if e["reported"]],
        "units_not_reported": [e for e in entries if not e["reported"]],
        "difficulties": [{"unit": UNITS[0], "text": "Kinh phí xúc tiến thương mại còn hạn chế."}],
        "proposals": [{"unit": UNITS[0], "text": "Đề nghị UBND tỉnh bố trí kinh phí xúc tiến thương mại."}],
        "recipients": [r.rstrip(";.") for r in recipients],
        "recipient_items": [
            f"- {r.rstrip(';.')}{'.' if i == len(recipients) else ';'}" for i, r in enumerate(recipients, 1)
        ],
        "signer_lines": list(signer_lines),
        "signer_title": " / ".join(signer_lines),
        "signer_name": "Võ Văn Rân",
        "generated_at": datetime.datetime(2025, 11, 21, 9, 0, tzinfo=datetime.UTC),
        "kind": "consolidated",
    }
