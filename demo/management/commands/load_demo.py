from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.activity import KEY, add_illustrative_activity
from demo.loader import load_demo
from demo.results import add_illustrative_results
from plans.models import Plan, Task


class Command(BaseCommand):
    help = (
        "Nạp hai kế hoạch nguồn và người dùng mẫu của mọi vai trò (chạy lại nhiều lần vẫn cho cùng dữ liệu). "
        "Chỉ chạy khi DEBUG bật, hoặc với --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Nạp cả khi DEBUG tắt: tạo/đặt lại tài khoản quản trị 'admin' và các tài khoản mẫu với mật khẩu "
            "ai cũng biết. Không dùng trên máy chủ thật.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            if not options["force"]:
                raise CommandError(
                    "DEBUG đang tắt: load_demo tạo tài khoản quản trị 'admin' và các tài khoản mẫu với mật khẩu "
                    "ai cũng biết, nên không chạy trên máy chủ thật. Bật DEBUG=1 (máy thử) hoặc thêm --force."
                )
            self.stderr.write(
                self.style.WARNING(
                    "CẢNH BÁO: DEBUG đang tắt mà vẫn nạp dữ liệu mẫu (--force): tài khoản 'admin' và các tài khoản "
                    "mẫu có mật khẩu ai cũng biết. Khóa hoặc xóa chúng trước khi mở cổng cho người dùng."
                )
            )
        users = load_demo()
        illustrative = add_illustrative_activity()
        years, results = add_illustrative_results()
        for plan in Plan.objects.tracked().exclude(key=KEY).order_by("key"):
            count = Task.objects.filter(plan=plan).count()
            self.stdout.write(f"Kế hoạch {plan.display_number} ({plan.issuer}): {count} nhiệm vụ")
        if illustrative is not None:
            count = Task.objects.filter(plan=illustrative).count()
            self.stdout.write(
                f"Kế hoạch minh họa (dữ liệu mẫu quanh ngày hôm nay, không phải văn bản thật): {count} nhiệm vụ"
            )
        if results:
            self.stdout.write(
                f"Kết quả PCI minh họa {years[0]}–{years[-1]} (số liệu giả định, không phải kết quả VCCI công bố): "
                f"{results} dòng"
            )
        self.stdout.write("\nTài khoản mẫu (tên đăng nhập / mật khẩu / vai trò / đơn vị):")
        for user, password in users:
            unit = user.unit or "—"
            self.stdout.write(f"  {user.username:<22} {password:<12} {user.get_role_display():<16} {unit}")
