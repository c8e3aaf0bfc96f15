from django.core.management.base import BaseCommand, CommandError

from devtools.scale import BENCH_USERS, PASSWORD, AlreadyGenerated, analyze, generate


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu ở quy mô một tỉnh (60 cơ quan, 400 đơn vị, 3.000 người dùng, 100 kế hoạch, "
        "10.000 nhiệm vụ, 50.000 cập nhật, kết quả PCI 63 tỉnh trong 10 năm) để đo hiệu năng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Hệ số thu nhỏ, ví dụ 0.1 (mặc định 1).")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 5:
            raise CommandError("--scale phải lớn hơn 0 và không quá 5.")
        try:
            generate(scale=scale, seed=seed, log=lambda m: self.stdout.write(m))
        except AlreadyGenerated as e:
            raise CommandError(str(e))
        analyze(log=lambda m: self.stdout.write(m))
        users = ", ".join(BENCH_USERS.values())
        self.stdout.write(self.style.SUCCESS(f"Xong. Đăng nhập thử: {users} (mật khẩu {PASSWORD})."))
