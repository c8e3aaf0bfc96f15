"""Users from an Excel template: parse into a preview with per-row Vietnamese errors, then apply on confirmation.

Both steps run in a Celery task (`UserImport` holds the file, the progress and the preview). The key of a row is
its e-mail: importing the same file again updates those users instead of creating them twice.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pci_portal.spreadsheets import text_cell

from . import services
from .models import Unit, User, UserImport

COLUMNS = ["Họ và tên", "E-mail", "Đơn vị", "Vai trò", "Chức vụ", "Điện thoại"]
KEYS = ["full_name", "email", "unit", "role", "title", "phone"]
MAX_ROWS = 3000


def _norm(text):
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _fold(text):
    from .models import _ascii

    return _ascii(_norm(text)).casefold()


def build_template(by):
    """The .xlsx the page offers: the columns, a role list to pick from, and the units the administrator has."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Người dùng"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (28, 32, 40, 18, 28, 16), strict=True):
        ws.column_dimensions[column].width = width
    roles = [str(r.label) for r in services.assignable_roles(by) if r != User.Role.ADMIN]
    units_ws = wb.create_sheet("Đơn vị")
    units_ws.append(["Mã", "Tên đơn vị", "Loại"])
    for cell in units_ws[1]:
        cell.font = Font(bold=True)
    units = Unit.objects.managed_by(by).filter(is_active=True).order_by("path")
    for row, unit in enumerate(units, start=2):
        # Names and codes are typed by administrators: text, never a formula.
        for column, value in enumerate([unit.code, unit.name, str(unit.get_kind_display())], start=1):
            text_cell(units_ws.cell(row=row, column=column), value)
    units_ws.column_dimensions["A"].width = 28
    units_ws.column_dimensions["B"].width = 60
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        'Mỗi dòng của trang "Người dùng" là một tài khoản; dòng 1 là tiêu đề, không xóa.',
        'Đơn vị: ghi mã hoặc tên đúng như trang "Đơn vị".',
        "Vai trò: " + ", ".join(roles) + ".",
        "E-mail là khóa: nhập lại tệp thì cập nhật tài khoản đã có e-mail đó, không tạo trùng.",
        "Người mới nhận thư mời có liên kết đặt mật khẩu (dùng một lần, có hạn).",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 110
    validation = DataValidation(type="list", formula1='"' + ",".join(roles) + '"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("D2:D3001")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header_map(header):
    folded = [_fold(h) for h in header]
    wanted = {
        "full_name": ("ho va ten", "ho ten"),
        "email": ("e-mail", "email", "thu dien tu"),
        "unit": ("don vi",),
        "role": ("vai tro",),
        "title": ("chuc vu", "chuc danh"),
        "phone": ("dien thoai", "so dien thoai"),
    }
    found = {}
    for key, names in wanted.items():
        for i, h in enumerate(folded):
            if h in names:
                found[key] = i
                break
    return found


def parse(user_import):
    """Fill `user_import.rows` with the preview; the file's own problems go to `user_import.error`."""
    from pci_portal.uploads import TableError, read_table_rows

    by = user_import.created_by
    upload = io.BytesIO(bytes(user_import.content))
    upload.name = user_import.file_name or "nguoi-dung.xlsx"
    try:
        table = read_table_rows(upload, max_rows=MAX_ROWS + 1, max_columns=20, max_cell_chars=255)
    except TableError as error:
        return _fail(user_import, str(error))
    if not table:
        return _fail(user_import, _("Tệp trống: dùng tệp mẫu của trang và điền từ dòng 2."))
    columns = _header_map(table[0])
    missing = [COLUMNS[KEYS.index(k)] for k in ("full_name", "email", "unit", "role") if k not in columns]
    if missing:
        return _fail(
            user_import,
            _("Dòng tiêu đề thiếu cột: %(columns)s. Hãy dùng tệp mẫu của trang.") % {"columns": ", ".join(missing)},
        )

    managed = list(Unit.objects.managed_by(by).filter(is_active=True))
    units_by = {}
    for unit in managed:
        for key in (unit.code, unit.name, unit.short_name):
            if key:
                units_by.setdefault(_fold(key), []).append(unit)
    roles = {}
    allowed = services.assignable_roles(by)
    for role in User.Role:
        roles[_fold(role.label)] = role
        roles[role.value] = role
    managed_users = {u.email.lower(): u for u in services.managed_users(by).exclude(email="")}
    all_emails = {e.lower(): pk for pk, e in User.objects.exclude(email="").values_list("pk", "email")}

    rows, seen = [], {}
    body = [r for r in table[1:]]
    user_import.total = len(body)
    for number, cells in enumerate(body, start=2):
        values = {k: _norm(cells[i]) if i < len(cells) else "" for k, i in columns.items()}
        if not any(values.values()):
            continue
        errors = []
        email = values.get("email", "").lower()
        row = {"line": number, **{k: values.get(k, "") for k in KEYS}, "email": email}
        if not values.get("full_name"):
            errors.append(_("Thiếu họ và tên."))
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("E-mail “%(email)s” không hợp lệ.") % {"email": values.get("email", "")})
        else:
            if email in seen:
                errors.append(_("E-mail trùng với dòng %(line)d.") % {"line": seen[email]})
            seen.setdefault(email, number)
        matches = units_by.get(_fold(values.get("unit", "")), [])
        unit = None
        if not values.get("unit"):
            errors.append(_("Thiếu đơn vị."))
        elif not matches:
            errors.append(
                _("Không có đơn vị “%(unit)s” trong phạm vi đồng chí quản trị (xem trang “Đơn vị” của tệp mẫu).")
                % {"unit": values["unit"]}
            )
        elif len({u.pk for u in matches}) > 1:
            errors.append(_("Có nhiều đơn vị tên “%(unit)s”: hãy ghi mã đơn vị.") % {"unit": values["unit"]})
        else:
            unit = matches[0]
            row["unit_id"], row["unit_label"] = unit.pk, unit.name
        role = roles.get(_fold(values.get("role", ""))) or roles.get(values.get("role", ""))
        if role is None:
            errors.append(
                _("Vai trò “%(role)s” không có; chọn một trong: %(roles)s.")
                % {"role": values.get("role", ""), "roles": ", ".join(str(r.label) for r in allowed)}
            )
        elif role not in allowed or role == User.Role.ADMIN:
            errors.append(_("Đồng chí không được giao vai trò “%(role)s”.") % {"role": role.label})
        else:
            row["role"], row["role_label"] = role.value, str(role.label)
        existing = managed_users.get(email)
        if existing is None and email in all_emails and not errors:
            errors.append(_("E-mail này đã thuộc một tài khoản ngoài phạm vi đồng chí quản trị."))
        if errors:
            row["action"], row["errors"] = "error", errors
        elif existing is None:
            row["action"] = "create"
        else:
            wanted = {
                "full_name": row["full_name"],
                "unit": unit,
                "role": row["role"],
                "title": row["title"],
                "phone": row["phone"],
            }
            changes = [k for k, v in wanted.items() if getattr(existing, k) != v]
            row["user_id"] = existing.pk
            row["username"] = existing.username
            row["action"] = "update" if changes else "same"
            row["changes"] = changes
        rows.append(row)
    user_import.rows = rows
    user_import.status = UserImport.Status.PARSED
    user_import.progress = user_import.total
    user_import.save(update_fields=["rows", "status", "progress", "total"])
    return user_import


def _fail(user_import, message):
    user_import.error = message
    user_import.status = UserImport.Status.FAILED
    user_import.save(update_fields=["error", "status"])
    return user_import


def apply(user_import, batch=50):
    """Create and update the rows of the preview (errors skipped), in batches that show progress; the whole
    import is one transaction per batch, and a re-run skips what is already done."""
    by = user_import.created_by
    todo = [r for r in user_import.rows if r["action"] in ("create", "update")]
    user_import.total, user_import.progress = len(todo), 0
    user_import.save(update_fields=["total", "progress"])
    created = updated = 0
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r["unit_id"] for r in todo})}
    for start in range(0, len(todo), batch):
        with transaction.atomic():
            for row in todo[start : start + batch]:
                fields = {
                    "full_name": row["full_name"],
                    "unit": units[row["unit_id"]],
                    "role": row["role"],
                    "title": row["title"],
                    "phone": row["phone"],
                }
                existing = User.objects.filter(email__iexact=row["email"]).first()
                if existing is None:
                    services.create_user(email=row["email"], by=by, **fields)
                    created += 1
                elif services.update_user(existing, by=by, **fields):
                    updated += 1
            user_import.progress = min(start + batch, len(todo))
            user_import.save(update_fields=["progress"])
    user_import.result = {"created": created, "updated": updated, "skipped": len(user_import.rows) - len(todo)}
    user_import.status = UserImport.Status.DONE
    user_import.finished_at = timezone.now()
    user_import.save(update_fields=["result", "status", "finished_at"])
    return user_import
