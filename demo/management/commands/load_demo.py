from django.core.management.base import BaseCommand

from demo.activity import KEY, add_illustrative_activity
from demo.loader import load_demo
from plans.models import Plan, Task


class Command(BaseCommand):
    help = "Nạp hai kế hoạch nguồn và người dùng mẫu của mọi vai trò (chạy lại nhiều lần vẫn cho cùng dữ liệu)."

    def handle(self, *args, **options):
        users = load_demo()
        illustrative = add_illustrative_activity()
        for plan in Plan.objects.tracked().exclude(key=KEY).order_by("key"):
            count = Task.objects.filter(plan=plan).count()
            self.stdout.write(f"Kế hoạch {plan.display_number} ({plan.issuer}): {count} nhiệm vụ")
        if illustrative is not None:
            count = Task.objects.filter(plan=illustrative).count()
            self.stdout.write(
                f"Kế hoạch minh họa (dữ liệu mẫu quanh ngày hôm nay, không phải văn bản thật): {count} nhiệm vụ"
            )
        self.stdout.write("\nTài khoản mẫu (tên đăng nhập / mật khẩu / vai trò / đơn vị):")
        for user, password in users:
            unit = user.unit or "—"
            self.stdout.write(f"  {user.username:<22} {password:<12} {user.get_role_display():<16} {unit}")
