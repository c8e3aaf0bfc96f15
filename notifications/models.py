import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message shown in the portal (the bell), often also sent by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


def _default_days_before():
    return [7, 3, 1]


class ReminderPolicy(models.Model):
    """When reminders go out for a deadline or a task due date: before, on the day, while overdue, escalation.

    The policy without a plan is the default; a plan may have its own.
    """

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        help_text=_("Để trống: chính sách mặc định cho mọi kế hoạch chưa có chính sách riêng."),
    )
    days_before = models.JSONField(
        _("nhắc trước hạn (số ngày)"), default=_default_days_before, help_text=_("Ví dụ [7, 3, 1].")
    )
    on_due_day = models.BooleanField(_("nhắc vào ngày đến hạn"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("nhắc lại khi quá hạn, mỗi (ngày)"), default=3, help_text=_("0: không nhắc lại khi quá hạn.")
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("báo lãnh đạo phụ trách sau khi quá hạn (ngày)"), default=7, help_text=_("0: không báo lãnh đạo.")
    )
    stop_after_days = models.PositiveSmallIntegerField(
        _("ngừng nhắc sau khi quá hạn (ngày)"),
        default=90,
        help_text=_("Việc quá hạn lâu hơn số ngày này không còn được nhắc bằng e-mail."),
    )

    class Meta:
        verbose_name = _("chính sách nhắc việc")
        verbose_name_plural = _("chính sách nhắc việc")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(plan__isnull=False), name="uniq_reminder_policy_plan"
            ),
        ]

    def __str__(self):
        if self.plan_id:
            return str(_("Chính sách nhắc việc của kế hoạch %(plan)s")) % {"plan": self.plan.display_number}
        return str(_("Chính sách nhắc việc mặc định"))

    def clean(self):
        from django.core.exceptions import ValidationError

        days = self.days_before
        if not isinstance(days, list) or not all(isinstance(d, int) and d > 0 for d in days):
            raise ValidationError({"days_before": _("Nhập danh sách số ngày dương, ví dụ [7, 3, 1].")})
        if not self.plan_id and ReminderPolicy.objects.filter(plan__isnull=True).exclude(pk=self.pk).exists():
            raise ValidationError(_("Đã có chính sách mặc định; hãy sửa chính sách đó."))

    def step_for(self, due_date, on):
        """The latest reminder step due for someone who still owes `due_date` on `on`, or None.

        Only the latest step: after days of downtime a run sends the current step, not every missed one.
        """
        days_left = (due_date - on).days
        if days_left > 0:
            passed = [d for d in self.days_before if d >= days_left]
            return f"before-{min(passed)}" if passed else None
        overdue = -days_left
        if overdue > self.stop_after_days:
            return None
        if self.overdue_every_days and overdue >= self.overdue_every_days:
            return f"overdue-{overdue // self.overdue_every_days * self.overdue_every_days}"
        if self.on_due_day:
            return "due"
        return None

    def escalates(self, due_date, on):
        """True when the responsible leader is told: overdue for at least `escalate_after_days`."""
        overdue = (on - due_date).days
        return bool(self.escalate_after_days) and self.escalate_after_days <= overdue <= self.stop_after_days

    @classmethod
    def policies(cls):
        """(default policy, {plan id: policy}); an unsaved default when the database has none."""
        default, by_plan = None, {}
        for policy in cls.objects.all():
            if policy.plan_id:
                by_plan[policy.plan_id] = policy
            elif default is None:
                default = policy
        return default or cls(), by_plan


class ReminderLogQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=ReminderLog.Status.FAILED)

    def claim(self, rows, chunk=500):
        """Claim many reminders at once: insert the unsaved `rows`, skipping every one whose (kind, item,
        recipient, step, due date) is logged already, and return those inserted now, with their ids.

        One `INSERT … ON CONFLICT DO NOTHING … RETURNING` per `chunk` rows (PostgreSQL, SQLite ≥ 3.35): what
        `bulk_create(ignore_conflicts=True)` sends, with the inserted rows read back in the same statement. A
        row another run inserted and has not committed yet makes this one wait for it, then skip it.
        """
        from django.db import connections

        connection = connections[self.db]
        fields = [f for f in ReminderLog._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        claimed = []
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in part for f in fields]
            sql = (
                f"INSERT INTO {quote(ReminderLog._meta.db_table)} ({columns}) VALUES "
                + ", ".join([placeholders] * len(part))
                + f" ON CONFLICT DO NOTHING RETURNING {quote('id')}, {quote('kind')}, {quote('item_id')}, "
                f"{quote('recipient_id')}, {quote('step')}, {quote('due_date')}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                returned = cursor.fetchall()
            by_key = {row.key: row for row in part}
            for pk, kind, item_id, recipient_id, step, due_date in returned:
                if isinstance(due_date, str):  # SQLite gives the text back
                    due_date = datetime.date.fromisoformat(due_date)
                row = by_key[(kind, item_id, recipient_id, step, due_date)]
                row.pk = pk
                row._state.adding, row._state.db = False, self.db
                claimed.append(row)
        return claimed


class ReminderLog(models.Model):
    """One reminder step for one item and one person, claimed (inserted) before it is sent: never sent twice."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo")
        TASK = "task", _("Nhiệm vụ")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        SKIPPED = "skipped", _("Không gửi e-mail (theo tùy chọn)")

    kind = models.CharField(_("loại việc"), max_length=10, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField(_("mã việc"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.CharField(_("bước nhắc"), max_length=20)
    title = models.CharField(_("việc"), max_length=255, blank=True)
    due_date = models.DateField(_("hạn"))
    run_date = models.DateField(_("ngày chạy"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký nhắc việc")
        verbose_name_plural = _("nhật ký nhắc việc")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_id", "recipient", "step", "due_date"], name="uniq_reminder_once_per_due_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.item_id} – {self.recipient} – {self.step}"

    @property
    def key(self):
        """What the unique constraint holds once: one reminder step of one item for one person and due date."""
        return (self.kind, self.item_id, self.recipient_id, self.step, self.due_date)


class NotificationPreference(models.Model):
    """Which optional e-mails a person wants and when the daily digest goes out."""

    HOURS = [(h, f"{h:02d}:30") for h in range(6, 19)]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    task_reminders = models.BooleanField(_("nhắc hạn nhiệm vụ qua e-mail"), default=True)
    returned_report_notices = models.BooleanField(_("báo khi báo cáo bị trả lại"), default=True)
    digest_hour = models.PositiveSmallIntegerField(_("giờ gửi thư nhắc việc hằng ngày"), choices=HOURS, default=7)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        """The saved preferences, or the defaults (unsaved) for someone who never changed them."""
        try:
            return user.notification_preference
        except cls.DoesNotExist:
            return cls(user=user)


def _new_token():
    import secrets

    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret address of a person's calendar (.ics) of report deadlines and task due dates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch iCalendar")
        verbose_name_plural = _("lịch iCalendar")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        feed, _created = cls.objects.get_or_create(user=user)
        return feed

    def regenerate(self):
        """A new secret: the old address stops working."""
        self.token = _new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
        return self.token
