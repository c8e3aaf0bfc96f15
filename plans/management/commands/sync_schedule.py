import datetime

from django.core.management.base import BaseCommand, CommandError

from plans.schedule import run_daily


class Command(BaseCommand):
    help = "Lập các kỳ thực hiện của nhiệm vụ định kỳ và cập nhật kỳ hiện tại (chạy hằng đêm; chạy lại không sao)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ: {date!r} (cần dạng YYYY-MM-DD).")
        result = run_daily(on=on)
        self.stdout.write(
            f"Kỳ thực hiện đã lập/sửa: {result['occurrences_written']}; "
            f"nhiệm vụ cập nhật theo kỳ hiện tại: {result['tasks_refreshed']}"
        )
