"""Benchmark: the consolidated report of a plan with 500 tasks from 40 units, in PDF, Excel and Word.

Builds everything in a throwaway SQLite database in a temporary folder (or in the database given by
--database-url, e.g. postgres://postgres@127.0.0.1:5432/pci_bench, which is dropped and recreated),
then prints the seconds each step takes.

    python bench/render_report.py [--tasks 500] [--units 40] [--pdf-out report.pdf] [--profile pdf.txt]

Prints wall and CPU seconds (of this process: machine load hardly changes it) per format.
bench/reports.py runs it for 100, 500 and 2,000 tasks and prints the ratios.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = [
    "Tổ chức {n} hội nghị đối thoại với doanh nghiệp, tiếp nhận và trả lời {m} kiến nghị.",
    "Hỗ trợ {m} doanh nghiệp tham gia hội chợ, triển lãm trong và ngoài nước.",
    "Cập nhật {n} tin, bài về chính sách hỗ trợ doanh nghiệp trên Cổng thông tin điện tử.",
    "Giải quyết {m} hồ sơ thủ tục hành chính đúng hạn, không có hồ sơ trễ hẹn.",
]
TASKS = [
    "Đẩy mạnh xúc tiến thương mại, hỗ trợ doanh nghiệp mở rộng thị trường",
    "Nâng cao chất lượng dịch vụ công trực tuyến toàn trình",
    "Tuyên truyền, phổ biến các Hiệp định Thương mại tự do (FTA)",
    "Hỗ trợ doanh nghiệp nhỏ và vừa tiếp cận nguồn vốn ưu đãi",
    "Rà soát, cắt giảm thời gian giải quyết thủ tục hành chính",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--pdf-out", help="also keep the PDF here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--profile", help="write a pyinstrument profile of the PDF rendering here (text)")
    parser.add_argument("--html-out", help="also keep the HTML that WeasyPrint lays out")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="pci-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"

    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        _recreate_postgres_database(connection)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s ({connection.vendor})")

    deadline = build(args.tasks, args.units)
    from reporting.report import build_consolidated_context, render_docx, render_pdf, render_xlsx

    # A report worker imports WeasyPrint when it starts (reporting.tasks): a render does not pay for it.
    t0, c0 = time.perf_counter(), time.process_time()
    import weasyprint  # noqa: F401

    print(f"import weasyprint: {time.perf_counter() - t0:.2f} s, CPU {time.process_time() - c0:.2f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    context = build_consolidated_context(deadline, on=datetime.date(2025, 11, 21))
    print(f"context: {time.perf_counter() - t0:.2f} s, CPU {time.process_time() - c0:.2f} s")
    if args.html_out:
        from django.template.loader import render_to_string

        from reporting.report import FONT_DIR

        html = render_to_string("reporting/report_pdf.html", {**context, "font_url": FONT_DIR.resolve().as_uri()})
        Path(args.html_out).write_text(html)
    n_rows = sum(len(u["rows"]) for u in context["units"])
    print(f"tasks in report: {n_rows}, units: {len(context['units'])}, reported: {len(context['units_reported'])}")
    for name, fn in (("PDF", render_pdf), ("Excel", render_xlsx), ("Word", render_docx)):
        if args.profile and name == "PDF":
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        t0, c0 = time.perf_counter(), time.process_time()
        data = fn(context)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{name}: {seconds:.2f} s, CPU {cpu:.2f} s, {len(data) / 1024:.0f} KiB")
        if args.profile and name == "PDF":
            profiler.stop()
            Path(args.profile).write_text(profiler.output_text(show_all=bool(os.environ.get("PROFILE_ALL"))))
        if name == "PDF" and args.pdf_out:
            Path(args.pdf_out).write_bytes(data)
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def _recreate_postgres_database(connection):
    import psycopg

    settings = connection.settings_dict
    name = settings["NAME"]
    if not name.startswith("pci_bench"):
        raise SystemExit("Refusing to drop a database whose name does not start with pci_bench.")
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    connection.close()


def build(n_tasks, n_units):
    """A department with `n_units` divisions, a plan with `n_tasks` tasks, updates, and the units' reports."""
    import zoneinfo

    from django.utils import timezone

    from accounts.models import Person, Unit, User
    from indicators.models import Index, Province, Result, SubIndex
    from plans.models import Goal, Plan, Section, Target, Task, TaskUpdate
    from reporting import services
    from reporting.models import ReportingRule

    t0 = time.perf_counter()
    tz = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    province = Province.objects.get(name="Quảng Ngãi", valid_from__isnull=True)
    ubnd = Unit.objects.create(
        code="B-UBND", name="Ủy ban nhân dân tỉnh Quảng Ngãi", short_name="UBND tỉnh Quảng Ngãi",
        kind=Unit.Kind.PEOPLE_COMMITTEE, place="Quảng Ngãi", province=province,
    )  # fmt: skip
    sct = Unit.objects.create(code="B-SCT", name="Sở Công Thương", kind=Unit.Kind.DEPARTMENT, parent=ubnd)
    sct.abbreviation = "SCT"
    sct.save()
    office = Unit.objects.create(
        code="B-SCT-KHTCTH", name="Phòng Kế hoạch – Tài chính – Tổng hợp", abbreviation="KHTCTH",
        kind=Unit.Kind.DIVISION, parent=sct,
    )  # fmt: skip
    units = [
        Unit.objects.create(
            code=f"B-SCT-U{i:02d}", name=f"Phòng Quản lý chuyên ngành số {i}", kind=Unit.Kind.DIVISION, parent=sct
        )
        for i in range(1, n_units + 1)
    ]
    signer = Person.objects.create(key="b-signer", full_name="Võ Văn Rân", title="Giám đốc", unit=sct)
    plan = Plan.objects.create(
        key="bench", issuer=sct, number="125/KH-SCT", number_suffix="KH-SCT", date=datetime.date(2021, 9, 21),
        place="Quảng Ngãi", period_start=2021, period_end=2025, focal_unit=office, signer=signer,
        signer_title="Giám đốc",
        title="Thực hiện nhiệm vụ cải thiện, nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) giai đoạn 2021-2025",
    )  # fmt: skip
    pci = Index.objects.get(code="PCI")
    cstp8 = SubIndex.objects.get(index=pci, number=8)
    target = Target.objects.create(plan=plan, index=pci, subindex=cstp8, province=province, year=2025)
    Goal.objects.create(target=target, kind=Goal.Kind.RANK_LTE, value=25)
    Result.objects.get_or_create(
        province=province, year=2025, index=pci, subindex=cstp8, defaults={"score": 6.85, "rank": 21, "out_of": 34}
    )
    sections = [
        Section.objects.create(plan=plan, number=f"II.{i}", title=f"Nhóm giải pháp {i}: {TASKS[i % 5]}", order=i)
        for i in range(1, 6)
    ]
    head = User.objects.create(username="bench-head", full_name="Trần Văn Bình", role=User.Role.UNIT_HEAD, unit=sct)
    focal = User.objects.create(username="bench-focal", full_name="Lê Thị Cúc", role=User.Role.FOCAL, unit=office)
    tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                section=sections[i % 5],
                order=i,
                title=f"{TASKS[i % 5]} (nhiệm vụ {i + 1})",
                lead_unit=units[i % n_units],
                timeframe=Task.Timeframe.ANNUAL,
                due_date=datetime.date(2025, 12, 31) if i % 3 == 0 else None,
            )
            for i in range(n_tasks)
        ]
    )
    TaskUpdate.objects.bulk_create(
        [
            TaskUpdate(
                task=t,
                author=head,
                status=Task.Status.DONE if (i + k) % 3 == 0 else Task.Status.IN_PROGRESS,
                progress=40 + 30 * k,
                note=RESULTS[(i + k) % 4].format(n=i % 9 + 1, m=10 * (k + 1) + i % 50),
                created_at=datetime.datetime(2025, 3 + 4 * k, 1 + i % 27, 9, tzinfo=tz),
            )
            for i, t in enumerate(tasks)
            for k in range(2)
        ]
    )
    rule = ReportingRule.objects.create(
        plan=plan, kind=ReportingRule.Kind.UNIT_TO_FOCAL, title="Báo cáo kết quả thực hiện Kế hoạch", day=15,
        month=11, from_children_of=sct, to_unit=office,
    )  # fmt: skip
    deadline = rule.deadline_for(2025)
    deadline.report_number = "87/BC-SCT"
    deadline.save()
    for i, unit in enumerate(units):
        if i % 10 == 9:
            continue  # one unit in ten has not reported
        sub = services.start_submission(deadline, unit)
        services.save_draft(
            sub,
            head,
            {
                "summary": f"{unit.name} đã triển khai đầy đủ các nhiệm vụ được giao trong kỳ báo cáo.",
                "difficulties": "Kinh phí hỗ trợ doanh nghiệp còn hạn chế." if i % 4 == 0 else "",
                "proposals": "Đề nghị UBND tỉnh bổ sung kinh phí xúc tiến thương mại." if i % 5 == 0 else "",
            },
        )
        sub = services.submit_report(sub, head)
        services.accept_report(sub, focal)
    print(f"data: {time.perf_counter() - t0:.1f} s ({n_tasks} tasks, {n_units} units, {timezone.now():%Y-%m-%d})")
    return deadline


if __name__ == "__main__":
    main()
