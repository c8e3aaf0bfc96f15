"""Import published results from the command line, exactly as the web import does.

Exit codes: 0 written (or --dry-run with no error), 1 errors (nothing written), 2 warnings or changes to
published figures not confirmed with --yes (nothing written).
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.utils import translation

from indicators.importing import parse_results, save_results

INDICES = ["PCI", "PGI", "PAPI", "SIPAS", "PAR_INDEX", "DDCI"]


class Command(BaseCommand):
    help = "Nhập kết quả công bố từ tệp .xlsx/.csv: in lỗi, cảnh báo, thay đổi; chỉ ghi khi không lỗi và đã xác nhận."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--year", type=int, required=True, help="năm của kết quả (năm PCI)")
        parser.add_argument("--index", default="PCI", choices=INDICES, help="bộ chỉ số (mặc định PCI)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in, không ghi gì")
        parser.add_argument("--yes", action="store_true", help="xác nhận các cảnh báo và thay đổi, rồi ghi")

    def handle(self, *args, file, year, index, dry_run, yes, **options):
        translation.activate("vi")
        path = Path(file)
        if not path.is_file():
            self.stderr.write(f"Không tìm thấy tệp {file}.")
            sys.exit(1)
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            self.stderr.write(f"Tệp quá lớn: tối đa {settings.IMPORT_MAX_BYTES} byte.")
            sys.exit(1)
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        preview = parse_results(upload, year, None, index)
        for error in preview.all_errors():
            self.stdout.write(f"LỖI: {error}")
        for warning in preview.warnings:
            self.stdout.write(f"CẢNH BÁO: {warning}")
        for change in preview.changes:
            self.stdout.write(f"THAY ĐỔI: {change}")
        if preview.has_errors:
            self.stdout.write(f"Không ghi gì: {preview.error_count} lỗi.")
            sys.exit(1)
        summary = (
            f"{len(preview.rows)} tỉnh, {index.replace('_', ' ')} {year}, xếp hạng trên {preview.out_of}: "
            f"{preview.new_count} kết quả mới, {len(preview.changes)} số liệu thay đổi, "
            f"{len(preview.warnings)} cảnh báo."
        )
        self.stdout.write(summary)
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì.")
            return
        if preview.needs_confirmation and not yes:
            self.stdout.write("Không ghi gì: hãy kiểm tra các cảnh báo và thay đổi ở trên rồi chạy lại với --yes.")
            sys.exit(2)
        source = f"Nhập từ tệp {path.name} (dòng lệnh)"
        rows = [r.as_dict() for r in preview.rows]
        created, updated = save_results(year, preview.out_of, rows, source, index)
        self.stdout.write(f"Đã ghi: {created} kết quả mới, {updated} kết quả cập nhật.")
