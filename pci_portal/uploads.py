"""Upload safety: the one place that decides whether an uploaded file is small enough and what it claims to be.

Every form that takes a file asks `check_upload(upload, allowed=..., max_bytes=...)`; table importers read
rows through `read_table_rows(...)`, which bounds rows, columns and cell sizes; quotas go through
`check_quota(...)`. Each rejection is a `forms.ValidationError` with a Vietnamese message, raised before
anything is decompressed or parsed in full:

- size first (settings: EVIDENCE_MAX_BYTES, IMPORT_MAX_BYTES);
- .docx/.xlsx must be a real Office Open XML package: `[Content_Types].xml` naming the main part, the main
  part itself, no macros (vbaProject.bin, macro-enabled types), no executable inside, a bounded member
  count and a bounded *declared* decompressed size. Python's zipfile never inflates a member beyond its
  declared size (and fails on the CRC), so checking the central directory rejects a zip bomb in
  milliseconds without inflating it;
- a PDF must open in pypdf (an HTML page starting with "%PDF" does not);
- a JPEG/PNG must open in Pillow within its pixel limit;
- old OLE2 .doc/.xls are checked on their signature only.

File names of any length are accepted and stored truncated (`safe_file_name`); Django's multipart parser
would otherwise answer a bare English 400 to a part header over 1 KB, so `allow_long_file_names()`
(called from PortalConfig.ready) raises that bound.
"""

import csv
import io
import os
import re
import unicodedata
import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension → MIME type stored with the file (the browser's claim is never trusted).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "csv": "text/csv",
    "txt": "text/plain",
}

# The main part an OOXML package of each kind must have, and the content type [Content_Types].xml gives it.
OOXML_MAIN = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
# Members that carry code: macros, ActiveX binaries, and anything that runs when opened.
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "cpl", "js", "jse", "vbs", "vbe", "wsf",
    "wsh", "ps1", "psm1", "jar", "sh", "app", "hta", "lnk", "reg", "py", "elf", "so", "dylib",
}  # fmt: skip
MACRO_MEMBER = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/[^/]*\.bin)$", re.IGNORECASE)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _limit(name, default):
    return getattr(settings, name, default)


def safe_file_name(name, max_chars=None):
    """The name to store and show: no path, no control characters, at most `max_chars` characters,
    the extension kept (a 2,000-character name becomes its first characters plus ".pdf")."""
    max_chars = max_chars or _limit("UPLOAD_NAME_MAX_CHARS", 200)
    name = unicodedata.normalize("NFC", str(name or ""))
    name = CONTROL_CHARACTERS.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip().strip(".")
    if not name:
        return "tep"
    stem, ext = os.path.splitext(name)
    if len(ext) > 16:  # not an extension, just a dot in a long name
        stem, ext = name, ""
    if len(name) > max_chars:
        name = stem[: max_chars - len(ext)].rstrip() + ext
    return name


def extension(name):
    return os.path.splitext(str(name or ""))[1].lower().lstrip(".")


def _reject(message, upload, **params):
    raise forms.ValidationError(message, code="upload", params={"name": safe_file_name(upload.name, 80), **params})


def check_size(upload, max_bytes):
    if upload.size is None or upload.size > max_bytes:
        _reject(
            _("Tệp “%(name)s” quá lớn (%(size)s); dung lượng tối đa là %(max)s."),
            upload,
            size=filesizeformat(upload.size or 0),
            max=filesizeformat(max_bytes),
        )
    if upload.size == 0:
        _reject(_("Tệp “%(name)s” rỗng."), upload)


def _not_what_it_claims(upload, ext):
    _reject(
        _("Nội dung tệp “%(name)s” không phải là tệp .%(ext)s hợp lệ (có thể tệp đã bị đổi đuôi hoặc bị hỏng)."),
        upload,
        ext=ext,
    )


def check_ooxml(upload, ext):
    """A .docx/.xlsx is a real OOXML package of its kind, with no macro or executable, bounded when inflated."""
    main_part, main_type = OOXML_MAIN[ext]
    upload.seek(0)
    try:
        package = zipfile.ZipFile(upload)
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        _not_what_it_claims(upload, ext)
    with package:
        if len(members) > _limit("OOXML_MAX_MEMBERS", 5000):
            _reject(_("Tệp “%(name)s” chứa quá nhiều thành phần (%(n)d)."), upload, n=len(members))
        declared = sum(m.file_size for m in members)
        if declared > _limit("OOXML_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024):
            _reject(
                _("Tệp “%(name)s” khi giải nén quá lớn (%(size)s); có thể là tệp nén độc hại."),
                upload,
                size=filesizeformat(declared),
            )
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or main_part not in names:
            _not_what_it_claims(upload, ext)
        for m in members:
            if MACRO_MEMBER.search(m.filename):
                _reject(_("Tệp “%(name)s” chứa macro; hãy lưu lại dưới dạng tệp không có macro."), upload)
            if extension(m.filename) in EXECUTABLE_EXTENSIONS:
                _reject(_("Tệp “%(name)s” chứa tệp chạy được (%(member)s)."), upload, member=m.filename[:80])
        try:
            types = package.read("[Content_Types].xml") if _small(package, "[Content_Types].xml") else b""
            if main_type not in types or b"macroEnabled" in types:
                _not_what_it_claims(upload, ext)
            # Embedded objects are read only up to their first bytes: an executable shows at once.
            for m in members:
                if not m.is_dir() and not m.filename.endswith((".xml", ".rels")):
                    with package.open(m) as member:
                        head = member.read(8)
                    if head.startswith(EXECUTABLE_MAGIC):
                        _reject(_("Tệp “%(name)s” chứa tệp chạy được (%(member)s)."), upload, member=m.filename[:80])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            _not_what_it_claims(upload, ext)
    upload.seek(0)


def _small(package, name, limit=1024 * 1024):
    return package.getinfo(name).file_size <= limit


def check_pdf(upload):
    """A PDF that pypdf can open (its trailer and page tree), not just any bytes starting with %PDF."""
    import logging

    import pypdf

    upload.seek(0)
    if b"%PDF-" not in upload.read(1024):
        _not_what_it_claims(upload, "pdf")
    upload.seek(0)
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf warns about every repaired xref table
    try:
        reader = pypdf.PdfReader(upload, strict=False)
        if not reader.is_encrypted and len(reader.pages) < 1:
            _not_what_it_claims(upload, "pdf")
    except forms.ValidationError:
        raise
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, RecursionError...) on broken files
        _not_what_it_claims(upload, "pdf")
    finally:
        logger.setLevel(level)
    upload.seek(0)


def check_image(upload, ext):
    import warnings

    from PIL import Image

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                expected = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}[ext]
                if image.format != expected:
                    _not_what_it_claims(upload, ext)
                image.verify()
    except forms.ValidationError:
        raise
    except Exception:
        _not_what_it_claims(upload, ext)
    upload.seek(0)


def check_ole2(upload, ext):
    upload.seek(0)
    if upload.read(8) != OLE2_MAGIC:
        _not_what_it_claims(upload, ext)
    upload.seek(0)


def check_text(upload, ext):
    """CSV/TXT: UTF-8 text (a BOM allowed), no NUL byte."""
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in head:
        _not_what_it_claims(upload, ext)


CHECKS = {
    "docx": check_ooxml,
    "xlsx": check_ooxml,
    "pdf": lambda upload, ext: check_pdf(upload),
    "jpg": check_image,
    "jpeg": check_image,
    "png": check_image,
    "doc": check_ole2,
    "xls": check_ole2,
    "csv": check_text,
    "txt": check_text,
}


def check_upload(upload, *, allowed, max_bytes, allowed_label=None):
    """Check one uploaded file; returns it with `.name` made safe and `.checked_content_type` set.

    `allowed` is a list of extensions among CHECKS; `allowed_label` the human list shown when the
    extension is not accepted (default: the extensions).
    """
    upload.name = safe_file_name(upload.name)
    ext = extension(upload.name)
    if ext not in allowed:
        _reject(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận %(allowed)s."),
            upload,
            allowed=allowed_label or ", ".join(f".{e}" for e in allowed),
        )
    check_size(upload, max_bytes)
    CHECKS[ext](upload, ext)
    upload.seek(0)
    upload.checked_content_type = CONTENT_TYPES[ext]
    return upload


def check_quota(used_bytes, incoming_bytes, limit_bytes, message):
    """Raise `message` (with %(used)s, %(max)s) when `incoming_bytes` would take `used_bytes` over the limit."""
    if limit_bytes and (used_bytes or 0) + incoming_bytes > limit_bytes:
        raise forms.ValidationError(
            message,
            code="quota",
            params={"used": filesizeformat(used_bytes or 0), "max": filesizeformat(limit_bytes)},
        )


class TableError(ValueError):
    """A table that cannot be read; str() is the Vietnamese message to show."""


def read_table_rows(upload, *, max_rows=None, max_columns=200, max_cell_chars=10_000):
    """The cells of the first sheet of an .xlsx, or of a .csv/.tsv, bounded; TableError with a Vietnamese message.

    Rows stop at `max_rows` (an error, not a silent cut), cells beyond `max_columns` are dropped, a cell longer
    than `max_cell_chars` is an error; a malformed workbook or CSV is an error, never an exception.
    Cells are str for CSV, whatever openpyxl gives for .xlsx (str, int, float, datetime, None).
    """
    max_rows = max_rows or _limit("IMPORT_MAX_ROWS", 5000)
    ext = extension(upload.name)
    upload.seek(0)
    rows = []

    def add(row):
        if len(rows) >= max_rows:
            raise TableError(_("Tệp có quá nhiều dòng: tối đa %(n)d dòng.") % {"n": max_rows})
        cells = list(row[:max_columns])
        for cell in cells:
            if isinstance(cell, str) and len(cell) > max_cell_chars:
                raise TableError(
                    _("Dòng %(line)d có ô dài quá %(n)d ký tự.") % {"line": len(rows) + 1, "n": max_cell_chars}
                )
        rows.append(cells)

    if ext == "xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception:  # openpyxl raises KeyError, TypeError, ValueError... on a broken package
            raise TableError(_("Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại."))
        try:
            if not wb.worksheets:
                raise TableError(_("Tệp Excel không có trang tính nào."))
            for row in wb.worksheets[0].iter_rows(values_only=True):
                add(row)
        except TableError:
            raise
        except Exception:  # a malformed sheet: a cell "NaN" typed as a number, a cut XML, a bad reference
            raise TableError(
                _("Không đọc được trang tính đầu tiên của tệp Excel (sau dòng %(line)d). Hãy lưu lại rồi thử lại.")
                % {"line": len(rows)}
            )
        finally:
            wb.close()
        return rows
    if ext in ("csv", "tsv", "txt"):
        data = upload.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TableError(_("Tệp CSV phải được lưu với bảng mã UTF-8."))
        if "\x00" in text:
            raise TableError(_("Tệp CSV chứa ký tự không hợp lệ (NUL)."))
        # Semicolons when the numbers carry decimal commas (Excel in Vietnamese locales), else commas.
        delimiter = ";" if ";" in text else ("\t" if "\t" in text else ",")
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        # csv's own bound (131,072 characters) raises csv.Error; ours is smaller and says so in Vietnamese.
        try:
            for row in reader:
                add(row)
        except csv.Error:
            raise TableError(
                _("Tệp CSV bị lỗi định dạng hoặc có ô dài quá %(n)d ký tự (dòng %(line)d).")
                % {"n": max_cell_chars, "line": reader.line_num}
            )
        return rows
    raise TableError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def allow_long_file_names():
    """Let a multipart part header (which carries the file name) be up to UPLOAD_MAX_PART_HEADER_BYTES.

    Django caps it at 1 KB and answers a bare "Bad Request (400)"; a Vietnamese name of 255 characters is
    already 765 bytes of UTF-8. The name itself is then cut by safe_file_name.
    """
    from django.http import multipartparser

    multipartparser.MAX_TOTAL_HEADER_SIZE = max(
        multipartparser.MAX_TOTAL_HEADER_SIZE, _limit("UPLOAD_MAX_PART_HEADER_BYTES", 64 * 1024)
    )
