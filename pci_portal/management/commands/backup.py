"""`make backup`: the database and the stored files into one timestamped archive (see pci_portal/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from pci_portal.backup import BackupError, backup_dir, create_backup, prune


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp (minh chứng, báo cáo) vào một tệp .tar.gz có dấu thời gian."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Thư mục chứa bản sao lưu (mặc định BACKUP_DIR hoặc var/backups).")
        parser.add_argument("--keep", type=int, help="Chỉ giữ N bản mới nhất trong thư mục.")

    def handle(self, *args, **options):
        try:
            archive = create_backup(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{archive} ({archive.stat().st_size} byte)")
        for old in prune(options["dir"] or backup_dir(), options["keep"]):
            self.stdout.write(f"đã xóa bản cũ {old}")
