"""The people pages: a province (or agency) administrator manages its units and users, and nothing else.

Access: `Unit.objects.managed_by(user)` is the one answer. Someone who administers nothing gets 403 on the
lists; a unit or user outside what one administers is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Unit, User
from .people_forms import MergeUnitForm, MoveUnitForm, UnitForm, UserForm

MANAGER_ROLES = {User.Role.PROVINCE_ADMIN, User.Role.AGENCY_ADMIN}


def is_people_admin(user):
    return user.is_authenticated and (user.is_admin_role or (user.role in MANAGER_ROLES and user.unit_id is not None))


def require_people_admin(user):
    if not is_people_admin(user):
        raise PermissionDenied(_("Chỉ quản trị viên tỉnh, cơ quan hoặc hệ thống quản lý đơn vị và người dùng."))
    return Unit.objects.managed_by(user)


def get_unit_for(user, pk):
    """A unit the user administers (else 404)."""
    managed = Unit.objects.managed_by(user) if is_people_admin(user) else Unit.objects.none()
    return get_object_or_404(managed.select_related("parent", "merged_into"), pk=pk), managed


def _apply(form, verb):
    """Run a verb; its ValidationError lands on the form (nothing lost, message in Vietnamese)."""
    try:
        return verb()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@login_required
def unit_list(request):
    managed = require_people_admin(request.user)
    roots = None
    root_id = request.GET.get("root", "")
    if request.user.is_admin_role and not root_id.isdigit():
        roots = managed.filter(parent__isnull=True).select_related("province").order_by("name")
        units = Unit.objects.none()
    else:
        units = managed
        if root_id.isdigit():
            root = get_object_or_404(managed, pk=root_id)
            units = managed.filter(path__startswith=root.path)
    units = list(
        units.select_related("merged_into")
        .annotate(n_users=Count("users", filter=Q(users__is_active=True)))
        .order_by("path")
    )
    top = min((u.path.count("/") for u in units), default=0)
    for u in units:
        u.depth = u.path.count("/") - top
    return render(request, "accounts/unit_list.html", {"units": units, "roots": roots})


@login_required
def unit_create(request):
    managed = require_people_admin(request.user)
    initial = {}
    if (request.GET.get("parent") or "").isdigit():
        initial["parent"] = managed.filter(pk=request.GET["parent"]).first()
    form = UnitForm(request.POST or None, managed=managed, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = _apply(form, lambda: services.create_unit(by=request.user, **data))
        if unit is not None:
            messages.success(request, _("Đã tạo đơn vị %(name)s (mã %(code)s).") % {"name": unit, "code": unit.code})
            return redirect("people:unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "title": _("Thêm đơn vị")})


@login_required
def unit_edit(request, pk):
    unit, managed = get_unit_for(request.user, pk)
    form = UnitForm(request.POST or None, instance=unit, managed=managed, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        unit.refresh_from_db()  # the form wrote onto the instance; the verb applies the change itself
        if _apply(form, lambda: services.update_unit(unit, by=request.user, **fields)) is not None:
            messages.success(request, _("Đã lưu đơn vị %(name)s.") % {"name": fields["name"]})
            return redirect("people:unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit, "title": _("Sửa đơn vị")})


@login_required
def unit_move(request, pk):
    unit, managed = get_unit_for(request.user, pk)
    form = MoveUnitForm(request.POST or None, unit=unit, managed=managed)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.move_unit(unit, form.cleaned_data["parent"], by=request.user)) is not None:
            messages.success(
                request,
                _("Đã chuyển %(unit)s về trực thuộc %(parent)s, cùng các đơn vị cấp dưới.")
                % {"unit": unit, "parent": form.cleaned_data["parent"]},
            )
            return redirect("people:unit_list")
    return render(
        request,
        "accounts/unit_action.html",
        {"form": form, "unit": unit, "title": _("Chuyển đơn vị"), "button": _("Chuyển")},
    )


@login_required
def unit_merge(request, pk):
    unit, managed = get_unit_for(request.user, pk)
    form = MergeUnitForm(request.POST or None, unit=unit, managed=managed)
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        if _apply(form, lambda: services.merge_units(unit, successor, by=request.user)) is not None:
            messages.success(
                request, _("Đã sáp nhập %(unit)s vào %(successor)s.") % {"unit": unit, "successor": successor}
            )
            return redirect("people:unit_list")
    return render(
        request,
        "accounts/unit_action.html",
        {"form": form, "unit": unit, "title": _("Sáp nhập đơn vị"), "button": _("Sáp nhập")},
    )


@login_required
@require_POST
def unit_set_active(request, pk):
    unit, _managed = get_unit_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_unit_active(unit, active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("Đã mở lại đơn vị %(unit)s.") % {"unit": unit})
        else:
            messages.success(request, _("Đã ngừng hoạt động đơn vị %(unit)s (lịch sử vẫn giữ).") % {"unit": unit})
    return redirect("people:unit_list")


# --- Users ---------------------------------------------------------------------------------------------------


def get_user_for(admin, pk):
    """A user the administrator manages (else 404)."""
    users = services.managed_users(admin) if is_people_admin(admin) else User.objects.none()
    return get_object_or_404(users.select_related("unit"), pk=pk)


@login_required
def user_list(request):
    managed = require_people_admin(request.user)
    users = services.managed_users(request.user).select_related("unit").order_by("unit__path", "full_name")
    q = request.GET
    unit = None
    if (q.get("unit") or "").isdigit():
        unit = get_object_or_404(managed, pk=q["unit"])
        users = users.filter(unit__path__startswith=unit.path)
    if q.get("role") in User.Role.values:
        users = users.filter(role=q["role"])
    if q.get("q"):
        term = q["q"].strip()[:100]
        users = users.filter(Q(full_name__icontains=term) | Q(username__icontains=term) | Q(email__icontains=term))
    if q.get("active") == "0":
        users = users.filter(is_active=False)
    elif q.get("active") != "all":
        users = users.filter(is_active=True)
    from django.core.paginator import Paginator

    page = Paginator(users, 50).get_page(q.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "unit": unit,
            "roles": User.Role.choices,
            "query": q,
            "total": page.paginator.count,
            # Narrowed by the reader (active accounts only is the default, not a filter they set).
            "filtering": bool(unit or q.get("role") in User.Role.values or q.get("q") or q.get("active") == "0"),
        },
    )


@login_required
def user_create(request):
    managed = require_people_admin(request.user)
    roles = services.assignable_roles(request.user)
    initial = {"role": User.Role.OFFICIAL}
    if (request.GET.get("unit") or "").isdigit():
        initial["unit"] = managed.filter(pk=request.GET["unit"]).first()
    form = UserForm(request.POST or None, managed=managed, roles=roles, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = _apply(form, lambda: services.create_user(by=request.user, **form.cleaned_data))
        if user is not None:
            messages.success(
                request,
                _("Đã tạo tài khoản %(username)s và gửi thư mời tới %(email)s.")
                % {"username": user.username, "email": user.email},
            )
            return redirect("people:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Thêm người dùng")})


@login_required
def user_edit(request, pk):
    person = get_user_for(request.user, pk)
    managed = Unit.objects.managed_by(request.user)
    roles = services.assignable_roles(request.user)
    if person.role not in roles:
        raise PermissionDenied(_("Tài khoản này có vai trò cao hơn phạm vi đồng chí quản trị."))
    initial = {k: getattr(person, k) for k in services.USER_FIELDS}
    form = UserForm(request.POST or None, managed=managed, roles=roles, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = _apply(form, lambda: services.update_user(person, by=request.user, **form.cleaned_data))
        if changed is not None:
            messages.success(request, _("Đã lưu tài khoản %(username)s.") % {"username": person.username})
            return redirect("people:user_list")
    from .lockout import is_locked

    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "person": person,
            "title": _("Sửa người dùng"),
            "locked": is_locked(person.username),
            "invited": not person.has_usable_password(),
        },
    )


@login_required
@require_POST
def user_action(request, pk, action):
    """Lock, reopen, resend the invitation, unlock after wrong passwords."""
    from .lockout import unlock

    person = get_user_for(request.user, pk)
    if person.role not in services.assignable_roles(request.user):
        raise PermissionDenied(_("Tài khoản này có vai trò cao hơn phạm vi đồng chí quản trị."))
    try:
        if action == "deactivate":
            services.set_user_active(person, False, by=request.user)
            messages.success(request, _("Đã khóa tài khoản %(u)s; mọi phiên đăng nhập đã kết thúc.") % {"u": person})
        elif action == "activate":
            services.set_user_active(person, True, by=request.user)
            messages.success(request, _("Đã mở lại tài khoản %(u)s.") % {"u": person})
        elif action == "invite":
            services.invite(person, by=request.user)
            messages.success(request, _("Đã gửi lại thư mời tới %(email)s.") % {"email": person.email})
        elif action == "unlock":
            unlock(person.username)
            messages.success(request, _("Đã mở khóa đăng nhập cho %(u)s.") % {"u": person})
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("people:user_edit", pk=person.pk)


@login_required
def user_import_template(request):
    from django.http import HttpResponse

    from .imports import build_template

    require_people_admin(request.user)
    response = HttpResponse(
        build_template(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nguoi-dung.xlsx"'
    return response


@login_required
def user_import(request):
    """Upload the filled template; a Celery task reads it into a preview."""
    from django.conf import settings
    from django.db import transaction

    from pci_portal.uploads import check_upload

    from .models import UserImport
    from .people_forms import UserImportForm
    from .tasks import parse_user_import_task

    require_people_admin(request.user)
    form = UserImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=["xlsx"], max_bytes=getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            with transaction.atomic():
                job = UserImport.objects.create(created_by=request.user, file_name=upload.name, content=upload.read())
                transaction.on_commit(lambda: parse_user_import_task.delay(str(job.pk)))
            return redirect("people:user_import_detail", pk=job.pk)
    recent = UserImport.objects.filter(created_by=request.user).defer("content", "rows")[:5]
    return render(request, "accounts/user_import.html", {"form": form, "recent": recent})


def _get_import_for(user, pk):
    from .models import UserImport

    require_people_admin(user)
    return get_object_or_404(UserImport.objects.defer("content"), pk=pk, created_by=user)


@login_required
def user_import_detail(request, pk):
    """Progress while a task works (htmx polls this page), the preview to confirm, or the outcome."""
    job = _get_import_for(request.user, pk)
    context = {"job": job, "counts": job.counts()}
    if request.htmx and job.working:
        return render(request, "accounts/partials/import_progress.html", context)
    if request.htmx:
        # Finished while the page polled: reload the whole page to show the preview or the outcome.
        from django.http import HttpResponse

        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "accounts/user_import_detail.html", context)


@login_required
@require_POST
def user_import_confirm(request, pk):
    from django.db import transaction

    from .models import UserImport
    from .tasks import apply_user_import_task

    job = _get_import_for(request.user, pk)
    with transaction.atomic():
        claimed = UserImport.objects.filter(pk=job.pk, status=UserImport.Status.PARSED).update(
            status=UserImport.Status.APPLYING, progress=0
        )
        if claimed:
            transaction.on_commit(lambda: apply_user_import_task.delay(str(job.pk)))
    if not claimed:
        messages.info(request, _("Lần nhập này đã được xác nhận."))
    return redirect("people:user_import_detail", pk=job.pk)
