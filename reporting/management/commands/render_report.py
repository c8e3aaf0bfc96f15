"""Render the consolidated report of a deadline from the command line, as the Celery task does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Deadline, RenderedReport
from reporting.tasks import render_to_bytes


class Command(BaseCommand):
    help = "Liệt kê các hạn báo cáo (--list) hoặc xuất báo cáo tổng hợp của một hạn (--deadline ID --format --output)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Liệt kê hạn báo cáo, mỗi dòng một hạn, mã đứng đầu.")
        parser.add_argument("--deadline", type=int, help="Mã hạn báo cáo.")
        parser.add_argument("--format", choices=[f.value for f in RenderedReport.Format], default="pdf")
        parser.add_argument("--output", help="Tệp kết quả.")

    def handle(self, *args, **options):
        if options["list"]:
            for d in Deadline.objects.select_related("rule__plan").order_by("due_date", "id"):
                plan = d.rule.plan
                self.stdout.write(
                    f"{d.pk}\t{d.due_date:%d/%m/%Y}\t{plan.display_number or plan.key}\t{d.rule.title}\t"
                    f"{d.submissions.filter(status='accepted').count()}/{d.rule.reporting_units().count()}"
                )
            return
        if not options["deadline"] or not options["output"]:
            raise CommandError("Cần --list, hoặc --deadline ID --format pdf|xlsx|docx --output TỆP.")
        try:
            deadline = Deadline.objects.select_related("rule__plan").get(pk=options["deadline"])
        except Deadline.DoesNotExist:
            raise CommandError(f"Không có hạn báo cáo mã {options['deadline']}.")
        data = render_to_bytes(deadline, options["format"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} byte")
