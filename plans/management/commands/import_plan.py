import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Unit
from plans.importing import Directory, ImportRefused, read_document
from plans.importing.describe import describe
from plans.importing.save import UnmatchedUnits, save_draft


class Command(BaseCommand):
    help = (
        "Đọc văn bản kế hoạch (.docx, .pdf có lớp văn bản, .txt, phụ lục .xlsx). Không có --commit: chỉ in những gì "
        "đọc được, không ghi gì. Có --commit: lưu thành kế hoạch như trang rà soát."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="In bản nháp dạng JSON.")
        parser.add_argument("--commit", action="store_true", help="Lưu thành kế hoạch.")
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="Với --commit: tạo cơ quan ban hành (dưới UBND tỉnh, tạo nếu chưa có) và các đơn vị chưa khớp.",
        )
        parser.add_argument("--focal-unit", metavar="CODE", help="Với --commit: mã đơn vị đầu mối.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Không thấy tệp {path}.")
        if (options["create_units"] or options["focal_unit"]) and not options["commit"]:
            raise CommandError("--create-units và --focal-unit chỉ dùng cùng --commit.")
        if options["focal_unit"] and not Unit.objects.filter(code=options["focal_unit"]).exists():
            raise CommandError(f"Không có đơn vị mã {options['focal_unit']}.")
        try:
            draft = read_document(path.read_bytes(), path.name, Directory.from_db())
        except ImportRefused as refused:
            raise CommandError(refused.message)
        if not options["commit"]:
            if options["json"]:
                data = draft.to_dict()
                data["unused_lines"] = [line for line in data["lines"] if line["use"] == "unused"]
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                self.stdout.write(describe(draft))
            return
        try:
            plan = save_draft(draft, create_units=options["create_units"], focal_unit=options["focal_unit"])
        except UnmatchedUnits as unmatched:
            names = "\n".join(f"  - {n}" for n in unmatched.names)
            raise CommandError(
                f"Chưa khớp được các đơn vị sau với cây đơn vị (không lưu gì):\n{names}\n"
                "Thêm các đơn vị này trong cổng, hoặc chạy lại với --create-units."
            )
        except ValueError:
            raise CommandError("Văn bản không cho biết năm/giai đoạn của kế hoạch (không lưu gì).")
        if options["json"]:
            self.stdout.write(json.dumps({"id": plan.pk, "number": plan.display_number}, ensure_ascii=False))
        else:
            self.stdout.write(f"Đã lưu kế hoạch id={plan.pk} số {plan.display_number or '(chưa có số)'}: {plan.title}")
