from django.core.management.base import BaseCommand
from django.db import transaction

from indicators.models import Index, Province
from indicators.reference import load_reference


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) dữ liệu tham chiếu: bộ chỉ số, chỉ số thành phần, chỉ tiêu, tỉnh thành."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_reference()
        self.stdout.write(
            self.style.SUCCESS(f"Đã nạp {Index.objects.count()} bộ chỉ số, {Province.objects.count()} tỉnh/thành.")
        )
