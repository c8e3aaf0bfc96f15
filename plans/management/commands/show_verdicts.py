"""One line per target: plan number, index and sub-index, year, goal, result, verdict and its reason."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from plans.models import Target


class Command(BaseCommand):
    help = "In đánh giá mục tiêu của các kế hoạch (tiếng Việt), mỗi mục tiêu một dòng."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="mã số (id) hoặc số, ký hiệu của kế hoạch, ví dụ 253/KH-UBND")
        parser.add_argument("--year", type=int, help="chỉ các mục tiêu của năm này")

    def handle(self, *args, plan=None, year=None, **options):
        translation.activate("vi")
        targets = Target.objects.select_related("plan", "index", "subindex", "indicator", "province").order_by(
            "plan_id", "year", "order", "id"
        )
        if plan:
            match = Q(plan__number__iexact=plan) | Q(plan__key=plan)
            if plan.isdigit():
                match |= Q(plan_id=int(plan))
            targets = targets.filter(match)
            if not targets.exists():
                raise CommandError(f"Không tìm thấy kế hoạch “{plan}” có mục tiêu.")
        if year:
            targets = targets.filter(year=year)
        count = 0
        for target in targets:
            a = target.assess()
            number = target.plan.display_number or f"#{target.plan_id}"
            self.stdout.write(
                f"{number} | {a.subject} | {a.year} | {a.goal_text} | {a.result_text} | {a.label}: {a.reasons_text}"
            )
            count += 1
        if not count:
            self.stdout.write("Không có mục tiêu nào.")
