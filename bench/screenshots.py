#!/usr/bin/env python
"""Screenshots of the dashboard (desktop 1366 px, phone 390 px) and of the import preview.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pci_bench python bench/screenshots.py http://127.0.0.1:8016

Needs a running server on the scale data (`manage.py generate_scale_data`); writes docs/screenshots/*.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))
from devtools.bench_users import BENCH_USERS, PASSWORD  # noqa: E402


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def main(base):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
        for name, width, height in [("desktop", 1366, 900), ("phone", 390, 844)]:
            ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
            page = ctx.new_page()
            login(page, base, BENCH_USERS["focal"])
            page.goto(f"{base}/dashboard/?year=2025")
            page.wait_for_timeout(800)
            page.screenshot(path=OUT / f"dashboard-{name}.png", full_page=True)
            if name == "desktop":
                page.fill("#wi-score", "7,5")
                page.get_by_role("button", name="Tính PCI").click()
                page.wait_for_selector("#what-if-total")
                page.locator("section[aria-labelledby=h-whatif]").screenshot(path=OUT / "dashboard-what-if.png")
                page.emulate_media(media="print")
                page.screenshot(path=OUT / "dashboard-print.png", full_page=True)
                page.emulate_media(media="screen")
                page.goto(f"{base}/indicators/results/import/")
                page.set_input_files("#id_file", str(ROOT / "docs" / "examples" / "pci-2021-mau.xlsx"))
                page.fill("#id_year", "2021")
                page.get_by_role("button", name="Xem trước").click()
                page.wait_for_selector("#import-preview")
                page.screenshot(path=OUT / "import-preview.png", full_page=True)
                bad = ROOT / "var" / "pci-loi.csv"
                header = "Tỉnh/thành phố;PCI;Hạng;" + ";".join(f"CSTP{n};Hạng{n}" for n in range(1, 11))
                row = ";".join(["Quảng Ninh", "73,02", "1"] + ["7,5;"] * 10)
                bad.write_text(
                    "\n".join(
                        [
                            header,
                            row,
                            row.replace("Quảng Ninh", "Tỉnh Không Có"),
                            row.replace("73,02", "bảy ba").replace("Quảng Ninh", "Long An"),
                        ]
                    ),
                    encoding="utf-8",
                )
                page.set_input_files("#id_file", str(bad))
                page.get_by_role("button", name="Xem trước").click()
                page.wait_for_selector("#import-errors")
                page.screenshot(path=OUT / "import-errors.png", full_page=True)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8016")
