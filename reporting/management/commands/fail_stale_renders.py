"""Mark as failed the report renders a dead worker left unfinished (beat runs the same function every 10 minutes)."""

from django.core.management.base import BaseCommand

from reporting.tasks import fail_stale_renders


class Command(BaseCommand):
    help = "Đánh dấu lỗi các tệp báo cáo bị kẹt ở 'Đang chờ'/'Đang tạo' (worker đã dừng) để có thể thử lại."

    def handle(self, *args, **options):
        count = fail_stale_renders()
        self.stdout.write(f"{count} tệp báo cáo bị kẹt đã được đánh dấu lỗi.")
