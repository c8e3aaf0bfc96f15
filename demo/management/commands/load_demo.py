from django.core.management.base import BaseCommand

from demo.loader import load_demo
from plans.models import Plan, Task


class Command(BaseCommand):
    help = "Nạp hai kế hoạch nguồn và người dùng mẫu của mọi vai trò (chạy lại nhiều lần vẫn cho cùng dữ liệu)."

    def handle(self, *args, **options):
        users = load_demo()
        for plan in Plan.objects.tracked().order_by("key"):
            count = Task.objects.filter(plan=plan).count()
            self.stdout.write(f"Kế hoạch {plan.display_number} ({plan.issuer}): {count} nhiệm vụ")
        self.stdout.write("\nTài khoản mẫu (tên đăng nhập / mật khẩu / vai trò / đơn vị):")
        for user, password in users:
            unit = user.unit or "—"
            self.stdout.write(f"  {user.username:<22} {password:<12} {user.get_role_display():<16} {unit}")
