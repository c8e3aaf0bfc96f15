import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Count, Q
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from pci_portal.history import PortalHistory

# Targets and goals belong to a plan; they are kept in their own module for length.
from .targets import Assessment, Goal, Target, TargetMember  # noqa: F401


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

    def with_progress(self, on=None):
        """Annotate each plan with its progress on `on` (see `progress_fields`), in the same query."""
        return self.annotate(**progress_fields(on, prefix="tasks__"))

    def visible_to(self, user):
        """Plans a user may read: everything for administrators and province leadership, else their agency's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self
        scope = user.reading_scope
        if scope is None:
            return self.none()
        if scope.whole_province:
            in_scope = Task.objects.filter(_task_scope(scope)).values("plan_id")
            return self.filter(scope.q("issuer__") | Q(pk__in=in_scope))
        # An agency reads a few plans of many: a union of index lookups (see _task_ids_in_scope), not an OR
        # over joins, which makes PostgreSQL read every task of the province.
        units = Unit.objects.filter(scope.q()).values("pk")
        issued = Plan.objects.filter(issuer__in=units).order_by().values("pk")
        led = Task.objects.filter(lead_unit__in=units).order_by().values("plan_id")
        coordinated = Task.objects.filter(
            pk__in=Task.coordinating_units.through.objects.filter(unit__in=units).values("task_id")
        )
        return self.filter(pk__in=issued.union(led, coordinated.order_by().values("plan_id")))

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
    # "Unless the plan says otherwise": when undated yearly tasks fall due; blank = the yearly report deadline.
    task_due_day = models.PositiveSmallIntegerField(_("hạn hằng năm của nhiệm vụ: ngày"), null=True, blank=True)
    task_due_month = models.PositiveSmallIntegerField(
        _("hạn hằng năm của nhiệm vụ: tháng"),
        null=True,
        blank=True,
        help_text=_(
            "Nhiệm vụ hàng năm, thường xuyên không ghi hạn thì đến hạn vào ngày này mỗi năm. "
            "Để trống: hạn báo cáo năm của kế hoạch (nếu không có thì 31/12)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    history = PortalHistory()  # audit trail: who, when, before, after

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
        from pci_portal.inputs import check_years

        super().clean()
        check_years(self, "period_start", "period_end")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Năm kết thúc không được trước năm bắt đầu.")})
        if self.issuer_id and self.focal_unit_id and not self.focal_unit.is_within(self.issuer):
            raise ValidationError(
                {"focal_unit": _("Đơn vị đầu mối phải là cơ quan ban hành hoặc một đơn vị thuộc cơ quan đó.")}
            )
        seen, plan = {self.pk}, self.follows
        while plan is not None:  # A follows B follows A would make every baseline circular
            if plan.pk in seen:
                raise ValidationError({"follows": _("Kế hoạch không thể tiếp nối chính nó (trực tiếp hay gián tiếp).")})
            seen.add(plan.pk)
            plan = plan.follows
        day, month = self.task_due_day, self.task_due_month
        if (day is None) != (month is None):
            raise ValidationError({"task_due_month": _("Cần cả ngày và tháng (hoặc để trống cả hai).")})
        if day is not None:
            try:
                datetime.date(2024, month, day)
            except ValueError:
                raise ValidationError({"task_due_month": _("Ngày, tháng không hợp lệ.")})

    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def generate_deadlines(self, year):
        """Dated deadlines of all reporting rules of this plan for `year` (idempotent)."""
        return [rule.deadline_for(year) for rule in self.reporting_rules.all()]


class SectionQuerySet(models.QuerySet):
    def with_progress(self, on=None):
        """Annotate each section with the progress of its tasks on `on` (see `progress_fields`)."""
        return self.annotate(**progress_fields(on, prefix="tasks__"))


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

    objects = SectionQuerySet.as_manager()

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("nhóm giải pháp")
        verbose_name_plural = _("nhóm giải pháp")
        ordering = ["plan", "order"]

    def __str__(self):
        return f"{self.number} {Truncator(self.title).chars(100)}".strip()


def _task_scope(scope):
    """Tasks of plans issued within `scope` (a `ReadingScope`), led or coordinated by a unit within it (no DISTINCT).

    For the whole province (nearly every task) one pass over the tasks is the right plan; an agency's few tasks
    are found through indexes instead (`_task_ids_in_scope`), so that its pages do not grow with the province.
    """
    if not scope.whole_province:
        units = Unit.objects.filter(scope.q()).values("pk")
        return Q(pk__in=_task_ids_in_scope(units, plans=Plan.objects.filter(issuer__in=units).values("pk")))
    coordinated = Task.coordinating_units.through.objects.filter(scope.q("unit__"))
    return scope.q("plan__issuer__") | scope.q("lead_unit__") | Q(pk__in=coordinated.values("task_id"))


def _task_ids_in_scope(units, plans=None, extra=()):
    """Ids of the tasks led or coordinated by one of `units`, of the tasks of `plans` (a subquery of plan ids, or
    None), and of `extra` (subqueries of task ids): a UNION of index lookups (lead_unit_id, the coordinating units'
    unit_id, plan_id), which PostgreSQL runs in time proportional to the rows found, where an OR of the same
    conditions over joins reads every task of the province."""
    led = Task.objects.filter(lead_unit__in=units).order_by().values("pk")
    coordinated = Task.coordinating_units.through.objects.filter(unit__in=units).order_by().values("task_id")
    parts = [coordinated, *extra]
    if plans is not None:
        parts.append(Task.objects.filter(plan__in=plans).order_by().values("pk"))
    return led.union(*parts)


def overdue_condition(on, prefix=""):
    """The overdue rule as a condition on tasks, for filters and aggregates: the one home of "overdue".

    A task is overdue on `on` when one of its occurrences is (see TaskOccurrenceQuerySet.overdue).
    `prefix` reaches tasks through a relation ("tasks__" from a plan or section). A correlated EXISTS (an index
    lookup per task counted), not `pk IN (every overdue occurrence)`: the latter reads the whole province's
    occurrences to count one plan's or one person's tasks.
    """
    return models.Exists(TaskOccurrence.objects.overdue(on).filter(task=models.OuterRef(f"{prefix}pk")))


def progress_fields(on=None, prefix=""):
    """The one home of "progress" of a set of tasks (a plan, a section, a unit's share of a plan), as aggregates:
    `task_count`, `done_count`, `overdue_count` (the overdue rule on `on`, default today) and `progress`, the
    mean progress of the tasks as a whole percent (None without tasks). Every page asks this; none computes it.

    `prefix` reaches the tasks through a relation ("tasks__" from plans or sections).
    """
    on = on or timezone.localdate()
    tasks = prefix.removesuffix("__") or "pk"
    return {
        "task_count": Count(tasks),
        "done_count": Count(tasks, filter=Q(**{f"{prefix}status": Task.Status.DONE})),
        "overdue_count": Count(tasks, filter=overdue_condition(on, prefix=prefix)),
        "progress": Round(Avg(f"{prefix}progress")),
    }


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Task.CLOSED_STATUSES)

    def dated(self):
        """Tasks with at least one dated occurrence (every task the schedule knows a date for)."""
        return self.filter(pk__in=TaskOccurrence.objects.values("task_id"))

    def with_schedule(self, on=None):
        """Annotate `current_due` (Task.next_due on `on`) and `overdue_now` (the overdue rule on `on`), for
        lists that show many tasks."""
        on = on or timezone.localdate()
        current = TaskOccurrence.objects.filter(task=models.OuterRef("pk")).next_open(on)
        late = TaskOccurrence.objects.overdue(on).filter(task=models.OuterRef("pk"))
        return self.annotate(
            current_due=models.Subquery(current.values("due_date")[:1]), overdue_now=models.Exists(late)
        )

    def overdue(self, on=None):
        """Open tasks whose due date has passed on `on` (default: today in Asia/Ho_Chi_Minh)."""
        return self.filter(overdue_condition(on or timezone.localdate()))

    def progress(self, on=None):
        """{task_count, done_count, overdue_count, progress} of these tasks together (see `progress_fields`)."""
        return self.order_by().aggregate(**progress_fields(on))

    def progress_by(self, *fields, on=None):
        """Rows of `fields` (say "lead_unit__name") with the progress of their tasks (see `progress_fields`)."""
        return self.order_by().values(*fields).annotate(**progress_fields(on))

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
        # A union of index lookups (see _task_ids_in_scope): the same few tasks whatever the size of the province.
        units = Unit.objects.filter(path__startswith=user.unit.path).values("pk")
        extra = [Task.assignees.through.objects.filter(user=user).order_by().values("task_id")]
        if user.person_id:
            extra.append(Task.objects.filter(leader_id=user.person_id).order_by().values("pk"))
        kept = Plan.objects.kept_by(user).order_by().values("pk") if user.role == User.Role.FOCAL else None
        return self.filter(pk__in=_task_ids_in_scope(units, plans=kept, extra=extra))


class Task(models.Model):
    """A task of a plan: who leads, who coordinates, who answers for it, when, and how far it has got."""

    class Timeframe(models.TextChoices):
        ONCE = "once", _("Một lần (có hạn)")
        ANNUAL = "annual", _("Hàng năm")
        HALF_YEARLY = "half_yearly", _("6 tháng một lần")
        QUARTERLY = "quarterly", _("Hàng quý")
        MONTHLY = "monthly", _("Hàng tháng")
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
        help_text=_(
            "Hạn của nhiệm vụ một lần; với nhiệm vụ định kỳ là hạn của kỳ đầu tiên, các kỳ sau lặp lại theo "
            "thời gian thực hiện. Để trống: hạn hằng năm của kế hoạch (hạn báo cáo năm), hoặc cuối mỗi kỳ."
        ),
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

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
        ]

    def __str__(self):
        return self.title

    # Looked up, not rebuilt: Django's get_FOO_display flattens and translates every choice on each call, which
    # showed in the profile of every task list (two calls per row).
    def get_status_display(self):
        try:
            return str(self.Status(self.status).label)  # a str, as Django's: reports write it to Excel
        except ValueError:
            return self.status

    def get_timeframe_display(self):
        try:
            return str(self.Timeframe(self.timeframe).label)
        except ValueError:
            return self.timeframe

    def next_due(self, on=None):
        """When this is due next as of `on`: the overdue round's date, else the next open round's; None when
        nothing is left to do (every round closed, or regular work with no date)."""
        occurrence = self.occurrences.next_open(on or timezone.localdate()).first()
        return occurrence.due_date if occurrence else None

    def last_progress_update(self, history=None):
        """The latest progress update (not a comment nor an assignment): what "Cập nhật lần cuối" dates.

        None for a task never updated. `history`: the task's updates newest first, when a page has them.
        """
        if history is None:
            history = self.updates.filter(kind=TaskUpdate.Kind.UPDATE)[:1]
        return next((u for u in history if u.kind == TaskUpdate.Kind.UPDATE), None)

    def current(self, on=None):
        """The occurrence work applies to on `on`: the overdue one, else the one whose period holds `on`,
        else the next one; after the last period, None when it is closed (nothing left to do)."""
        return self.occurrences.current_first(on or timezone.localdate()).first()

    def occurrence_for(self, period_start, period_end, occurrences=None):
        """The round a report on [period_start, period_end] speaks of: the one due within the period, else the
        one whose period holds the period's end, else the last one due before it (None if none)."""
        rounds = sorted(self.occurrences.all() if occurrences is None else occurrences, key=lambda o: o.due_date)
        within = [o for o in rounds if period_start <= o.due_date <= period_end]
        if within:
            return within[-1]
        holding = [o for o in rounds if o.period_start <= period_end <= o.period_end]
        if holding:
            return holding[0]
        before = [o for o in rounds if o.due_date < period_start]
        return before[-1] if before else None

    def is_open(self):
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, on=None):
        """Open work past its due date on `on`: asks the same rule as TaskQuerySet.overdue."""
        return self.occurrences.overdue(on or timezone.localdate()).exists()


class TaskOccurrenceQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Task.CLOSED_STATUSES)

    def overdue(self, on=None):
        """Occurrences overdue on `on`: open, due before `on`, of a task not cancelled, and not yet superseded.

        An occurrence stops counting as overdue once the next one falls due (`lapses_on`): an annual task
        missed in 2021 is not still "overdue since 05/12/2021" in 2023; the 2022 one is, if it is open.
        """
        on = on or timezone.localdate()
        return (
            self.open()
            .filter(
                Q(lapses_on__isnull=True) | Q(lapses_on__gt=on),
                due_date__lt=on,
            )
            .exclude(task__status=Task.Status.CANCELLED)
        )

    def next_open(self, on):
        """Open rounds still owed on `on`, the one due first first: the overdue one, then those to come."""
        return (
            self.open()
            .filter(Q(due_date__gte=on) | Q(lapses_on__isnull=True) | Q(lapses_on__gt=on))
            .exclude(task__status=Task.Status.CANCELLED)
            .order_by("due_date", "pk")
        )

    def current_first(self, on):
        """Ordered so that the first row is the current occurrence on `on` (see Task.current)."""
        overdue = (
            ~Q(status__in=Task.CLOSED_STATUSES) & Q(due_date__lt=on) & (Q(lapses_on__isnull=True) | Q(lapses_on__gt=on))
        )
        holds = Q(period_start__lte=on, period_end__gte=on)
        later = Q(period_start__gt=on)
        rank = models.Case(
            models.When(overdue, then=models.Value(0)),
            models.When(holds, then=models.Value(1)),
            models.When(later, then=models.Value(2)),
            default=models.Value(3),
        )
        # Past rounds that are closed, or superseded by a later one, are history, not current.
        return self.annotate(rank=rank).filter(rank__lt=3).order_by("rank", "due_date", "pk")


class TaskOccurrence(models.Model):
    """One period of a task (the 2023 round of an annual task; the only round of a one-off task), with its own
    due date, status, progress and updates. Made by plans.schedule from the plan's period and the timeframe."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="occurrences")
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến ngày"))
    due_date = models.DateField(_("hạn"), db_index=True)
    # The next occurrence's due date: from then on this one is no longer reported as overdue.
    lapses_on = models.DateField(_("hết là kỳ hiện tại từ"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Task.Status.choices, default=Task.Status.NOT_STARTED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    result_note = models.TextField(_("kết quả thực hiện"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskOccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ thực hiện")
        verbose_name_plural = _("kỳ thực hiện")
        ordering = ["task", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="uniq_task_occurrence_period"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_occurrence_progress_max_100"),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.task} – {self.label}"

    @property
    def label(self):
        """ "Năm 2023", "Quý II/2024", "Tháng 3/2024", "6 tháng đầu năm 2024", or the due date of a one-off task."""
        start, end = self.period_start, self.period_end
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if self.task.timeframe == Task.Timeframe.ONCE:
            return gettext("Hạn %(date)s") % {"date": f"{self.due_date:%d/%m/%Y}"}
        if months == 12 and start.month == 1:
            return gettext("Năm %(year)s") % {"year": start.year}
        if months == 6 and start.day == 1:
            half = gettext("6 tháng đầu năm") if start.month == 1 else gettext("6 tháng cuối năm")
            return f"{half} {start.year}"
        if months == 3 and start.day == 1 and start.month in (1, 4, 7, 10):
            return gettext("Quý %(q)s/%(year)s") % {"q": "I II III IV".split()[start.month // 3], "year": start.year}
        if months == 1 and start.day == 1:
            return gettext("Tháng %(m)s/%(year)s") % {"m": start.month, "year": start.year}
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"

    def is_open(self):
        return self.status not in Task.CLOSED_STATUSES

    def is_overdue(self, on=None):
        on = on or timezone.localdate()
        return (
            self.is_open()
            and self.due_date < on
            and (self.lapses_on is None or self.lapses_on > on)
            and self.task.status != Task.Status.CANCELLED
        )


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
    occurrence = models.ForeignKey(
        TaskOccurrence,
        verbose_name=_("kỳ thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
    )
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


def import_source_path(instance, filename):
    # Random name: the stored path must not be guessable; the original name is kept in the row.
    import uuid

    return f"plan-sources/{uuid.uuid4().hex}"


class PlanImport(models.Model):
    """A plan document being imported: the uploaded file, the draft read from it (edited on the review page),
    and, once saved, the plan it became — whose source document the file then is."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ đọc")
        RUNNING = "running", _("Đang đọc")
        READY = "ready", _("Chờ rà soát")
        FAILED = "failed", _("Không đọc được")
        SAVED = "saved", _("Đã lưu thành kế hoạch")

    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to=import_source_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    draft = models.JSONField(_("bản nháp"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="plan_imports",
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every edit of the draft; a form carries the version it was read at.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("nhập kế hoạch từ văn bản")
        verbose_name_plural = _("nhập kế hoạch từ văn bản")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name
