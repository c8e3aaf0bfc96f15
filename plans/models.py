import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User


class Document(models.Model):
    """A document a plan cites as legal basis but the portal does not track (Chỉ thị, Quyết định…)."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định")
        DIRECTIVE = "directive", _("Chỉ thị")
        RESOLUTION = "resolution", _("Nghị quyết")
        OTHER = "other", _("Văn bản khác")

    key = models.SlugField(_("mã"), max_length=60, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    number = models.CharField(_("số, ký hiệu"), max_length=80)
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    title = models.TextField(_("trích yếu"), blank=True)

    class Meta:
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = _("văn bản căn cứ")
        ordering = ["-date", "number"]

    def __str__(self):
        values = {"kind": self.get_kind_display(), "number": self.number}
        if self.date:
            return gettext("%(kind)s số %(number)s ngày %(date)s") % {**values, "date": f"{self.date:%d/%m/%Y}"}
        return gettext("%(kind)s số %(number)s") % values


class PlanQuerySet(models.QuerySet):
    def tracked(self):
        return self.filter(tracked=True)

    def visible_to(self, user):
        """Plans a user may read: everything for administrators and province leadership, else their agency's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        scope = user.reading_scope
        if scope is None:
            return self.none()
        # Subqueries, not joins + DISTINCT: at province scale the join over coordinating units is the slow part.
        tasks_in_scope = Task.objects.filter(_task_scope(scope)).values("plan_id")
        return self.filter(scope.q("issuer__") | Q(pk__in=tasks_in_scope))

    def kept_by(self, user):
        """Plans whose plan, sections, tasks, targets and deadlines `user` keeps (see plans.access.can_edit_plan)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        if user.role != User.Role.FOCAL or user.unit_id is None:
            return self.none()
        named = Q(focal_unit__path__startswith=user.unit.path)
        unnamed = Q(focal_unit__isnull=True, issuer_id=user.unit.agency_id) if user.unit.agency_id else Q(pk__in=[])
        return self.filter(named | unnamed)


class Plan(models.Model):
    """A plan or decision (Kế hoạch, Quyết định) with its period, issuer and place in the hierarchy of plans."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định")

    key = models.SlugField(_("mã"), max_length=60, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.PLAN)
    issuer = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="issued_plans"
    )
    number = models.CharField(
        _("số, ký hiệu"), max_length=80, blank=True, help_text=_("Ví dụ 253/KH-UBND; để trống khi văn bản chưa có số.")
    )
    number_suffix = models.CharField(_("ký hiệu"), max_length=60, blank=True, help_text=_("Ví dụ KH-SCT."))
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    title = models.TextField(_("trích yếu"))
    period_start = models.PositiveIntegerField(_("từ năm"))
    period_end = models.PositiveIntegerField(_("đến năm"))
    tracked = models.BooleanField(
        _("theo dõi trên cổng"),
        default=True,
        help_text=_("Bỏ chọn với văn bản chỉ được dẫn chiếu (kế hoạch cấp trên, của ngành khác)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("tiếp nối kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        help_text=_("Kế hoạch giai đoạn trước mà kế hoạch này kế tiếp (235/KH-UBND tiếp nối 207/KH-UBND)."),
    )
    relies_on = models.ManyToManyField(
        "self", verbose_name=_("các kế hoạch liên quan"), symmetrical=False, blank=True, related_name="relied_on_by"
    )
    legal_basis = models.ManyToManyField(Document, verbose_name=_("văn bản căn cứ"), blank=True, related_name="plans")
    focal_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đầu mối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_plans",
    )
    signer = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_plans",
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    preamble = models.TextField(_("căn cứ, mở đầu"), blank=True)
    objectives = models.TextField(_("mục đích, yêu cầu, mục tiêu"), blank=True)
    closing = models.TextField(_("đoạn kết"), blank=True)
    is_public = models.BooleanField(_("công khai tiến độ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "issuer__path", "number"]

    def __str__(self):
        return f"{self.display_number} – {Truncator(self.title).chars(80)}"

    @property
    def display_number(self):
        """ "253/KH-UBND", or "/KH-SCT" for a document not numbered yet."""
        return self.number or (f"/{self.number_suffix}" if self.number_suffix else "")

    @property
    def period_label(self):
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    @property
    def years(self):
        return range(self.period_start, self.period_end + 1)

    def clean(self):
        super().clean()
        seen, plan = {self.pk}, self.follows
        while plan is not None:  # A follows B follows A would make every baseline circular
            if plan.pk in seen:
                raise ValidationError({"follows": _("Kế hoạch không thể tiếp nối chính nó (trực tiếp hay gián tiếp).")})
            seen.add(plan.pk)
            plan = plan.follows

    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def generate_deadlines(self, year):
        """Dated deadlines of all reporting rules of this plan for `year` (idempotent)."""
        return [rule.deadline_for(year) for rule in self.reporting_rules.all()]


class Section(models.Model):
    """A group of solutions in a plan ("a) Nâng cao chất lượng…"), possibly nested."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc mục"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(_("số mục"), max_length=30, blank=True)
    title = models.TextField(_("tên nhóm giải pháp"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    subindices = models.ManyToManyField("indicators.SubIndex", verbose_name=_("chỉ số thành phần"), blank=True)
    indicators = models.ManyToManyField("indicators.Indicator", verbose_name=_("chỉ tiêu"), blank=True)

    class Meta:
        verbose_name = _("nhóm giải pháp")
        verbose_name_plural = _("nhóm giải pháp")
        ordering = ["plan", "order"]

    def __str__(self):
        return f"{self.number} {Truncator(self.title).chars(100)}".strip()


def _task_scope(scope):
    """Tasks of plans issued within `scope` (a `ReadingScope`), led or coordinated by a unit within it (no DISTINCT)."""
    coordinated = Task.coordinating_units.through.objects.filter(scope.q("unit__"))
    return scope.q("plan__issuer__") | scope.q("lead_unit__") | Q(pk__in=coordinated.values("task_id"))


def overdue_condition(on, prefix=""):
    """The overdue rule as a condition, for counting in aggregates: open, and due before `on`.

    `prefix` reaches tasks through a relation ("tasks__" from a plan or section).
    """
    return Q(**{f"{prefix}due_date__lt": on}) & ~Q(**{f"{prefix}status__in": Task.CLOSED_STATUSES})


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Task.CLOSED_STATUSES)

    def dated(self):
        return self.filter(due_date__isnull=False)

    def overdue(self, on=None):
        """Open tasks whose due date has passed on `on` (default: today in Asia/Ho_Chi_Minh)."""
        return self.filter(overdue_condition(on or timezone.localdate()))

    def visible_to(self, user):
        """The one place that decides which tasks a user may see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        scope = user.reading_scope
        if scope is None:
            return self.none()
        return self.filter(_task_scope(scope))

    def mine(self, user):
        """The user's work: tasks their unit (or a unit below it) leads or coordinates, or given to them by name."""
        if user.unit_id is None:
            return self if user.is_admin_role else self.filter(assignees=user)
        within = user.unit.path
        work = (
            Q(lead_unit__path__startswith=within) | Q(coordinating_units__path__startswith=within) | Q(assignees=user)
        )
        if user.person_id:
            work |= Q(leader_id=user.person_id)
        if user.role == User.Role.FOCAL:
            work |= Q(plan__in=Plan.objects.kept_by(user))
        return self.filter(pk__in=self.model.objects.filter(work).values("pk"))


class Task(models.Model):
    """A task of a plan: who leads, who coordinates, who answers for it, when, and how far it has got."""

    class Timeframe(models.TextChoices):
        ONCE = "once", _("Một lần (có hạn)")
        ANNUAL = "annual", _("Hàng năm")
        QUARTERLY = "quarterly", _("Hàng quý")
        REGULAR = "regular", _("Thường xuyên")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        PAUSED = "paused", _("Tạm dừng")
        CANCELLED = "cancelled", _("Hủy bỏ")

    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("nhóm giải pháp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên nhiệm vụ"), max_length=255)
    description = models.TextField(_("nội dung"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    coordinating_text = models.TextField(_("đơn vị phối hợp (nguyên văn)"), blank=True)
    leader = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("lãnh đạo phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tasks",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người được giao"), blank=True, related_name="assigned_tasks"
    )
    timeframe = models.CharField(
        _("thời gian thực hiện"), max_length=20, choices=Timeframe.choices, default=Timeframe.REGULAR
    )
    timeframe_text = models.CharField(_("thời gian (nguyên văn)"), max_length=255, blank=True)
    due_date = models.DateField(
        _("hạn hoàn thành"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Hạn của nhiệm vụ một lần, hoặc hạn gần nhất của nhiệm vụ định kỳ."),
    )
    subindices = models.ManyToManyField(
        "indicators.SubIndex", verbose_name=_("chỉ số thành phần"), blank=True, related_name="tasks"
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("chỉ tiêu"), blank=True, related_name="tasks"
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    result_note = models.TextField(_("kết quả thực hiện"), blank=True)
    # Bumped by every update; a form carries the version it was read at, so a concurrent update is detected.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
        ]

    def __str__(self):
        return self.title

    def next_due(self, on=None):
        """The next date this task is due on or after `on`; None for regular work with no date."""
        on = on or timezone.localdate()
        if self.timeframe == self.Timeframe.ONCE:
            return self.due_date
        if self.timeframe == self.Timeframe.ANNUAL:
            if self.due_date:
                due = _same_day_in_year(self.due_date, on.year)
                due = due if due >= on else _same_day_in_year(self.due_date, on.year + 1)
            else:
                due = datetime.date(on.year, 12, 31)
        elif self.timeframe == self.Timeframe.QUARTERLY:
            quarter_end_month = ((on.month - 1) // 3 + 1) * 3
            due = datetime.date(on.year, quarter_end_month, calendar.monthrange(on.year, quarter_end_month)[1])
        else:
            return None
        # Recurring work ends with its plan: no "next" date after the plan's last year.
        return due if due.year <= self.plan.period_end else None
        return None

    def is_open(self):
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, on=None):
        """Open and past its due date on `on`. Regular work without a date is never overdue."""
        on = on or timezone.localdate()
        return self.is_open() and self.due_date is not None and self.due_date < on


def _same_day_in_year(date, year):
    day = min(date.day, calendar.monthrange(year, date.month)[1])
    return datetime.date(year, date.month, day)


class TaskUpdate(models.Model):
    """One entry of a task's history: a status/progress update, a comment or an assignment. Never edited."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Cập nhật tiến độ")
        COMMENT = "comment", _("Ý kiến")
        ASSIGNMENT = "assignment", _("Phân công")

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="task_updates",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Task.Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    note = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("lịch sử cập nhật")
        verbose_name_plural = _("lịch sử cập nhật")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["task", "-created_at"])]

    def __str__(self):
        return f"{self.task} – {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("force_history_edit", False):
            raise ValueError("Task history is append-only")
        super().save(*args, **kwargs)


def evidence_path(instance, filename):
    # Random name: the stored path must not be guessable; the original name is kept in the row.
    import uuid

    return f"evidence/{instance.update.task_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file attached to a task update as evidence; served only through a permission-checked view."""

    update = models.ForeignKey(
        TaskUpdate, verbose_name=_("cập nhật"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=120)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["id"]

    def __str__(self):
        return self.original_name
