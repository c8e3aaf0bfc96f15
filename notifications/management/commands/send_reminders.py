import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc việc (hạn báo cáo, hạn nhiệm vụ) của một ngày; --dry-run chỉ in ra, không gửi."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in các thư nhắc sẽ gửi, không thay đổi gì.")
        parser.add_argument("--date", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, dry_run=False, date=None, **options):
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ: {date!r} (cần dạng YYYY-MM-DD).")
        result = send_reminders(on=on, dry_run=dry_run)
        title = "Thử (không gửi)" if dry_run else "Đã gửi"
        self.stdout.write(f"{title} – ngày {result.on:%d/%m/%Y}")
        for line in result.lines:
            self.stdout.write(line)
        self.stdout.write(
            f"{'Sẽ gửi' if dry_run else 'Đã gửi'}: {result.sent} nhắc việc"
            + ("" if dry_run else f" trong {result.emails} thư")
            + f"; bỏ qua: {result.skipped}; lỗi: {len(result.errors)}"
        )
        for error in result.errors:
            self.stderr.write(f"Lỗi: {error}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} thư gửi lỗi; chạy lại sẽ gửi lại các thư này.")
