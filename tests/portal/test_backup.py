"""`make backup` / `make restore`: an archive restored into an empty database gives the same rows and files."""

import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from plans.models import Evidence, Task
from tests.factories import TaskUpdateFactory

from .conftest import BUCKET, empty_and_delete

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

USERS = "select username from accounts_user order by username"
TASKS = "select id, title from plans_task order by id"
EVIDENCE = "select file, sha256, original_name from plans_evidence order by id"


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def evidence(task, people, media):
    update = TaskUpdateFactory(task=task, author=people["alice"], note="Đã tổ chức hội chợ Quảng Ngãi 2024.")
    files = []
    for name, data in [("Biên bản hội chợ.pdf", b"%PDF-1.4 bien ban"), ("Ảnh khai mạc.png", bytes(range(256)) * 40)]:
        files.append(
            Evidence.objects.create(
                update=update,
                file=ContentFile(data, name=name),
                original_name=name,
                content_type="application/octet-stream",
                size=len(data),
                sha256=__import__("hashlib").sha256(data).hexdigest(),
            )
        )
    return files


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same engine as the suite's: (DATABASE_URL, query function)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    import psycopg

    name = f"pci_restore_{secrets.token_hex(4)}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    server = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def query(sql):
        with psycopg.connect(f"{server}/{name}") as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]

    yield f"{server}/{name}", query
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(archive, database_url, media_root=None, **storage):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_"))}
    env.update(DEBUG="1", DATABASE_URL=database_url, **storage)
    if media_root:
        env["MEDIA_ROOT"] = str(media_root)
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def test_a_backup_restored_into_an_empty_database_has_the_same_rows_and_files(
    evidence, media, empty_database, tmp_path
):
    call_command("backup", dir=str(tmp_path / "backups"), stdout=__import__("io").StringIO())
    [archive] = (tmp_path / "backups").glob("pci-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("database.") for n in names)
    assert sorted(n for n in names if n.startswith("files/")) == sorted(f"files/{e.file.name}" for e in evidence)

    url, query = empty_database
    restored_media = tmp_path / "restored-media"
    done = restore(archive, url, restored_media)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 tệp" in done.stdout

    assert query(USERS) == rows(USERS) and len(query(USERS)) == User.objects.count() >= 7
    assert query(TASKS) == rows(TASKS) and Task.objects.exists()
    assert query(EVIDENCE) == rows(EVIDENCE)
    for item in evidence:
        assert (restored_media / item.file.name).read_bytes() == (media / item.file.name).read_bytes()

    # A second restore into the now full database is refused, and changes nothing.
    again = restore(archive, url, restored_media)
    assert again.returncode != 0 and "Cơ sở dữ liệu đích không trống" in again.stderr


def test_backup_keeps_only_the_newest_archives_when_asked(media, tmp_path, reference):
    import time_machine

    folder = tmp_path / "backups"
    for hour in (1, 2, 3):
        with time_machine.travel(f"2025-01-05 0{hour}:00 +0700", tick=False):
            call_command("backup", dir=str(folder), keep=2, stdout=__import__("io").StringIO())
    assert sorted(p.name for p in folder.iterdir()) == [
        "pci-backup-20250105-020000.tar.gz",
        "pci-backup-20250105-030000.tar.gz",
    ]


def test_with_files_on_s3_the_backup_holds_the_bucket_and_the_restore_puts_them_back(
    s3, s3_server, task, people, empty_database, tmp_path
):
    """`make backup` / `make restore` with S3_BUCKET set (moto's S3 server on loopback)."""
    update = TaskUpdateFactory(task=task, author=people["alice"], note="Biên bản và ảnh hội chợ.")
    originals = {}
    for name, data in [("Biên bản.pdf", b"%PDF-1.4 bien ban"), ("Ảnh khai mạc.png", bytes(range(256)) * 40)]:
        evidence = Evidence.objects.create(
            update=update, file=ContentFile(data, name=name), original_name=name, size=len(data), sha256="-"
        )
        originals[evidence.file.name] = data
    assert {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]} == set(originals)  # in the bucket

    call_command("backup", dir=str(tmp_path / "backups"), stdout=__import__("io").StringIO())
    [archive] = (tmp_path / "backups").glob("pci-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        assert {n.removeprefix("files/") for n in tar.getnames() if n.startswith("files/")} == set(originals)
        for key, data in originals.items():
            assert tar.extractfile(f"files/{key}").read() == data

    # Another machine: an empty database and an empty bucket, configured as the README says.
    s3.create_bucket(Bucket="pci-restored")
    url, query = empty_database
    done = restore(
        archive,
        url,
        S3_BUCKET="pci-restored",
        S3_ENDPOINT_URL=s3_server,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="test",
        S3_SECRET_ACCESS_KEY="test",
    )
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        restored = {
            o["Key"]: s3.get_object(Bucket="pci-restored", Key=o["Key"])["Body"].read()
            for o in s3.list_objects_v2(Bucket="pci-restored")["Contents"]
        }
        assert restored == originals
        assert query(EVIDENCE) == rows(EVIDENCE)
    finally:
        empty_and_delete(s3, "pci-restored")
