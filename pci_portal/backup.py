"""Backups: the database and the stored files in one timestamped archive; restore into an empty database.

    python manage.py backup [--dir DIR] [--keep N]     # make backup
    python manage.py restore ARCHIVE                   # make restore ARCHIVE=…

The archive (`pci-backup-YYYYMMDD-HHMMSS.tar.gz`) holds
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`), or `database.sqlite3`
  (SQLite: a consistent copy taken with SQLite's online backup API while the portal runs);
- `files/…`: every file of the default storage (evidence, rendered reports, source documents), read through the
  storage API, so the same command backs up the local disk or an S3 bucket;
- `manifest.json`: when, which database engine, the applied migrations, each file with its size and SHA-256.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def backup_dir():
    return Path(getattr(settings, "BACKUP_DIR", None) or settings.VAR_DIR / "backups")


def _pg_env_and_args(db):
    """libpq environment and connection arguments for pg_dump/pg_restore (the password never on the command line)."""
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(argv, env):
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done


def dump_database(target_dir):
    """The database into target_dir; returns the member name."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(db)
        out = Path(target_dir) / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(out), *args], env)
        return out.name
    if connection.vendor == "sqlite":
        out = Path(target_dir) / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(out)
        try:
            with destination:
                connection.connection.backup(destination)  # consistent even while others write
        finally:
            destination.close()
        return out.name
    raise BackupError(f"no backup for the {connection.vendor} database engine")


def _walk(storage, path=""):
    directories, files = storage.listdir(path)
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


def stored_files(storage=None):
    storage = storage or default_storage
    try:
        yield from _walk(storage)
    except FileNotFoundError:  # a local media folder that was never created: no files
        return


def create_backup(directory=None, now=None):
    """Write one archive; returns its path."""
    now = timezone.localtime(now)
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    name = f"pci-backup-{now:%Y%m%d-%H%M%S}"
    archive = directory / f"{name}.tar.gz"
    partial = directory / f".{name}.tar.gz.partial"  # never a half-written archive under the real name
    with tempfile.TemporaryDirectory(prefix="pci-backup-") as tmp:
        db_member = dump_database(tmp)
        files = []
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(tmp) / db_member, arcname=db_member)
            for path in stored_files():
                with default_storage.open(path, "rb") as source:
                    data = source.read()
                info = tarfile.TarInfo(f"files/{path}")
                info.size = len(data)
                info.mtime = int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                files.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            manifest = {
                "format": FORMAT,
                "created": now.isoformat(),
                "database": {"engine": connection.vendor, "member": db_member},
                "migrations": sorted(
                    f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
                ),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
    os.replace(partial, archive)
    return archive


def prune(directory=None, keep=None):
    """Delete all but the newest `keep` archives; returns the deleted paths."""
    if not keep:
        return []
    archives = sorted(Path(directory or backup_dir()).glob("pci-backup-*.tar.gz"))
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def database_is_empty():
    return not connection.introspection.table_names()


def restore_backup(archive, force=False):
    """Restore the database and the files of `archive` into the configured (empty) database and storage.

    Returns the manifest. Refuses a database that has tables unless force=True (then PostgreSQL objects of the
    dump are dropped first with --clean; SQLite's file is replaced).
    """
    if not force and not database_is_empty():
        raise BackupError(
            "Cơ sở dữ liệu đích không trống: chỉ khôi phục vào cơ sở dữ liệu trống (hoặc dùng --force). "
            "The target database is not empty."
        )
    with tempfile.TemporaryDirectory(prefix="pci-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        engine, member = manifest["database"]["engine"], manifest["database"]["member"]
        if engine != connection.vendor:
            raise BackupError(f"the archive holds a {engine} database; this portal uses {connection.vendor}")
        tar.extract(member, tmp, filter="data")
        dump = Path(tmp) / member
        if engine == "postgresql":
            env, args = _pg_env_and_args(connection.settings_dict)
            connection.close()
            clean = ["--clean", "--if-exists"] if force else []
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *clean, *args, str(dump)], env)
        else:
            connection.close()
            target = connection.settings_dict["NAME"]
            source = sqlite3.connect(dump)
            destination = sqlite3.connect(target)
            try:
                with destination:
                    source.backup(destination)
            finally:
                source.close()
                destination.close()
        for entry in manifest["files"]:
            data = tar.extractfile(f"files/{entry['path']}").read()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BackupError(f"{entry['path']}: the archive is damaged (checksum differs)")
            if default_storage.exists(entry["path"]):
                default_storage.delete(entry["path"])
            saved = default_storage.save(entry["path"], File(io.BytesIO(data), name=entry["path"]))
            if saved != entry["path"]:
                raise BackupError(f"{entry['path']} was stored as {saved}")
    return manifest
