"""`make restore ARCHIVE=…`: the database and files of a backup archive into an empty database and storage."""

from django.core.management.base import BaseCommand, CommandError

from pci_portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu (.tar.gz của lệnh backup) vào cơ sở dữ liệu trống và kho tệp hiện cấu hình."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Ghi đè cả khi cơ sở dữ liệu đích không trống.")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"], force=options["force"])
        except (BackupError, OSError, KeyError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {manifest['created']}: cơ sở dữ liệu {manifest['database']['engine']}, "
            f"{len(manifest['files'])} tệp."
        )
