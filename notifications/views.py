from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reporting.access import get_deadline_for

from .calendar import build_calendar
from .forms import PreferenceForm
from .models import CalendarFeed, Notification, NotificationPreference
from .reminders import remind_units_now


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notifications = notifications.unread()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user).unread().count()
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "only_unread": bool(request.GET.get("unread")), "unread": unread},
    )


@login_required
def unread_badge(request):
    """The navbar's unread count, loaded by htmx so that pages pay no query for it (one query here)."""
    unread = Notification.objects.filter(user=request.user).unread().count()
    response = render(request, "notifications/partials/unread_badge.html", {"unread": unread})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    if request.htmx:
        response = render(request, "notifications/partials/notification_item.html", {"n": notification})
        response["HX-Trigger"] = "notifications-changed"  # the navbar badge reloads itself
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(user=request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = NotificationPreference.for_user(request.user)
    form = PreferenceForm(request.POST or None, instance=preference, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Đã lưu tùy chọn nhận thông báo."))
        response = redirect("notifications:preferences")
        # The interface follows the chosen language from now on.
        response.set_cookie("django_language", request.user.language, samesite="Lax")
        return response
    feed = CalendarFeed.for_user(request.user)
    return render(
        request,
        "notifications/notificationpreference_form.html",
        {"form": form, "feed_url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))},
    )


@login_required
@require_POST
def regenerate_calendar(request):
    CalendarFeed.for_user(request.user).regenerate()
    messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được."))
    return redirect("notifications:preferences")


def calendar_feed(request, token):
    """The .ics of the feed's owner; the secret token is the only credential (calendar apps send no cookie)."""
    feed = CalendarFeed.objects.select_related("user__unit").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(build_calendar(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cong-pci.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def remind_units(request, pk):
    """The focal office's one click: remind the units that have not reported on the deadline (once a day)."""
    deadline = get_deadline_for(request.user, pk, "manage")
    reminded, already = remind_units_now(deadline, request.user)
    if reminded:
        messages.success(
            request,
            _("Đã nhắc %(n)s đơn vị chưa báo cáo: %(units)s.")
            % {"n": len(reminded), "units": ", ".join(str(u) for u in reminded)},
        )
    if already:
        messages.info(
            request,
            _("Đã nhắc hôm nay, không nhắc lại: %(units)s.") % {"units": ", ".join(str(u) for u in already)},
        )
    if not reminded and not already:
        messages.info(request, _("Không có đơn vị nào cần nhắc."))
    return redirect("reporting:tracker", deadline.pk)
