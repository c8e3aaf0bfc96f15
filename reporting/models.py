import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from pci_portal.history import PortalHistory, record_updates
from plans.models import Task


def day_in_year(year, month, day):
    """`day`/`month` of `year`, the last day of the month when it has fewer days (29/02 → 28/02)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class ReportingRule(models.Model):
    """A periodic report a plan asks for: what, by which day of the year, from whom to whom."""

    class Kind(models.TextChoices):
        YEAR_PLAN = "year_plan", _("Kế hoạch triển khai năm")
        SIX_MONTH = "six_month", _("Báo cáo 6 tháng")
        ANNUAL = "annual", _("Báo cáo năm")
        QUARTERLY = "quarterly", _("Báo cáo quý")
        UNIT_TO_FOCAL = "unit_to_focal", _("Đơn vị báo cáo đơn vị đầu mối")
        FOCAL_TO_PROVINCE = "focal_to_province", _("Đơn vị đầu mối báo cáo UBND tỉnh")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="reporting_rules"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên báo cáo"), max_length=255)
    day = models.PositiveSmallIntegerField(_("ngày"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    from_children_of = models.ForeignKey(
        Unit,
        verbose_name=_("các đơn vị trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Mọi đơn vị trực thuộc đơn vị này đều phải báo cáo."),
    )
    from_units = models.ManyToManyField(Unit, verbose_name=_("đơn vị báo cáo"), blank=True, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("gửi đến"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("quy định (nguyên văn)"), blank=True)
    # The period the plan itself states, when it departs from Nghị định 09/2019/NĐ-CP; all four or none.
    period_start_day = models.PositiveSmallIntegerField(_("kỳ báo cáo từ ngày"), null=True, blank=True)
    period_start_month = models.PositiveSmallIntegerField(_("kỳ báo cáo từ tháng"), null=True, blank=True)
    period_end_day = models.PositiveSmallIntegerField(_("kỳ báo cáo đến ngày"), null=True, blank=True)
    period_end_month = models.PositiveSmallIntegerField(_("kỳ báo cáo đến tháng"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("quy định báo cáo")
        verbose_name_plural = _("quy định báo cáo")
        ordering = ["plan", "month", "day"]

    def __str__(self):
        return f"{self.title} – {_('trước ngày')} {self.day:02d}/{self.month:02d}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_deadlines()

    def due_date(self, year):
        """The day of `year`; a rule due 29/02 falls on 28/02 in a common year."""
        return day_in_year(year, self.month, self.day)

    def period_for(self, year):
        """The period a report due in `year` covers.

        When the plan states the period ("số liệu từ 01/01 đến 31/10"), that wins. Otherwise the
        cut-off dates of Nghị định 09/2019/NĐ-CP (Điều 12): annual report 15/12 of the previous
        year – 14/12; six-month report 15/12 – 14/6; quarterly report 15/12 – 14/3, 15/3 – 14/6,
        15/6 – 14/9, 15/9 – 14/12; a year plan covers the calendar year it plans. A report due
        before the regime's cut-off covers up to the day before it is due; an annual report due
        in the first half of a year (e.g. 31/01) covers the previous year.
        """
        due = self.due_date(year)
        if self.has_period_override:
            end = day_in_year(year, self.period_end_month, self.period_end_day)
            if end >= due:
                end = day_in_year(year - 1, self.period_end_month, self.period_end_day)
            start = day_in_year(end.year, self.period_start_month, self.period_start_day)
            if start > end:
                start = day_in_year(end.year - 1, self.period_start_month, self.period_start_day)
            return start, end
        if self.kind == self.Kind.YEAR_PLAN:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start = datetime.date(year - 1, 12, 15)
        if self.kind == self.Kind.SIX_MONTH:
            end = datetime.date(year, 6, 14)
        elif self.kind == self.Kind.QUARTERLY:
            # The quarter ending in the due month, else the last one that ended before it.
            quarter_end_month = (self.month // 3) * 3
            end_year = year if quarter_end_month else year - 1
            quarter_end_month = quarter_end_month or 12
            end = datetime.date(end_year, quarter_end_month, 14)
            start = datetime.date(
                end_year if quarter_end_month > 3 else end_year - 1, (quarter_end_month - 3) or 12, 15
            )
        elif due < datetime.date(year, 6, 15):
            # An annual report due early in the year reports on the previous year.
            start, end = datetime.date(year - 2, 12, 15), datetime.date(year - 1, 12, 14)
        else:
            end = datetime.date(year, 12, 14)
        if end >= due:
            end = due - datetime.timedelta(days=1)
        return start, end

    @property
    def has_period_override(self):
        return None not in (self.period_start_day, self.period_start_month, self.period_end_day, self.period_end_month)

    def clean(self):
        from django.core.exceptions import ValidationError

        fields = [self.period_start_day, self.period_start_month, self.period_end_day, self.period_end_month]
        if any(f is not None for f in fields) and not self.has_period_override:
            raise ValidationError(_("Kỳ báo cáo riêng cần đủ ngày, tháng bắt đầu và kết thúc."))
        try:
            datetime.date(2024, self.month, self.day)
            if self.has_period_override:
                datetime.date(2024, self.period_start_month, self.period_start_day)
                datetime.date(2024, self.period_end_month, self.period_end_day)
        except (TypeError, ValueError):
            raise ValidationError(_("Ngày, tháng không hợp lệ."))

    def reporting_units(self):
        """Units that owe this report."""
        units = Unit.objects.filter(pk__in=self.from_units.values("pk"))
        if self.from_children_of_id:
            units = units | Unit.objects.filter(parent_id=self.from_children_of_id).exclude(
                kind__in=[Unit.Kind.GROUP, Unit.Kind.ENTERPRISE]
            )
        return units.exclude(pk=self.to_unit_id).distinct().order_by("path")

    def sync_deadlines(self, on=None):
        """After the plan's rule changes, move the deadlines still to come that no unit has reported on yet,
        and let every deadline still to come follow the rule's reporting units."""
        on = on or timezone.localdate()
        done = [Submission.Status.SUBMITTED, Submission.Status.ACCEPTED]
        moved = []
        for deadline in self.deadlines.filter(due_date__gte=on).exclude(submissions__status__in=done):
            start, end = self.period_for(deadline.year)
            due = self.due_date(deadline.year)
            if (deadline.due_date, deadline.period_start, deadline.period_end) != (due, start, end):
                Deadline.objects.filter(pk=deadline.pk).update(due_date=due, period_start=start, period_end=end)
                moved.append(deadline.pk)
        record_updates(Deadline, moved, reason=_("Dời hạn theo quy định báo cáo"))  # update() leaves no history
        for deadline in self.deadlines.filter(due_date__gte=on):
            deadline.fix_units()

    def deadline_for(self, year, on=None):
        """The dated deadline of `year` (created once, then found).

        Its owing units are fixed when it is created; until its reporting period opens they follow the
        rule (a unit created meanwhile owes it), from then on they stay as they are.
        """
        start, end = self.period_for(year)
        deadline, created = Deadline.objects.get_or_create(
            rule=self,
            year=year,
            defaults={"due_date": self.due_date(year), "period_start": start, "period_end": end},
        )
        if created or not deadline.has_opened(on):
            deadline.fix_units()
        return deadline


class SignerForm(models.TextChoices):
    """The forms of signing of Nghị định 30/2020/NĐ-CP (Điều 13)."""

    KT = "KT", _("KT. – ký thay người đứng đầu")
    TL = "TL", _("TL. – thừa lệnh")
    TUQ = "TUQ", _("TUQ. – thừa ủy quyền")
    Q = "Q", _("Q. – quyền")


def signature_lines(form, authority, title):
    """The title block above the signature, one item per line: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"].

    Ký thay, thừa lệnh and thừa ủy quyền name the head on the first line and the signer's own title on the
    second; quyền is one line ("Q. GIÁM ĐỐC"); a head signing directly has only their title.
    """
    authority, title = (authority or "").strip().upper(), (title or "").strip().upper()
    if form == SignerForm.Q:
        return [f"Q. {authority or title}".strip()]
    if form in (SignerForm.KT, SignerForm.TL, SignerForm.TUQ) and authority:
        return [f"{form}. {authority}", *([title] if title else [])]
    return [title] if title else []


class DeadlineQuerySet(models.QuerySet):
    def owed_by(self, unit):
        """The deadlines `unit` owes a report on (the one home of "who owes a report", with units_still_owing)."""
        return self.filter(units=unit)

    def units_still_owing(self):
        """{deadline id: [units still owing it, in tree order, with their agency]} for these deadlines, in one
        query whatever their number: `Deadline.units_still_owing()` for many deadlines at once."""
        through = Deadline.units.through
        done = Submission.objects.filter(
            deadline_id=models.OuterRef("deadline_id"), unit_id=models.OuterRef("unit_id"), status__in=REPORTED
        )
        links = (
            through.objects.filter(deadline__in=self)
            .exclude(models.Exists(done))
            .select_related("unit__agency")
            .order_by("unit__path")
        )
        owing = {}
        for link in links:
            owing.setdefault(link.deadline_id, []).append(link.unit)
        return owing


class Deadline(models.Model):
    """The dated occurrence of a reporting rule in one year, with the period the report covers."""

    rule = models.ForeignKey(
        ReportingRule, verbose_name=_("quy định báo cáo"), on_delete=models.CASCADE, related_name="deadlines"
    )
    year = models.PositiveIntegerField(_("năm"))
    due_date = models.DateField(_("hạn nộp"), db_index=True)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    # What the consolidated report carries; blank until the focal office fills them in.
    report_number = models.CharField(
        _("số báo cáo tổng hợp"), max_length=40, blank=True, help_text=_("Ví dụ 125/BC-SCT; để trống khi chưa cấp số.")
    )
    report_date = models.DateField(_("ngày báo cáo tổng hợp"), null=True, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    # Who signs this report (Nghị định 30/2020/NĐ-CP, Điều 13): blank = the plan's signer, as before.
    signer = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_reports",
        help_text=_("Để trống: người ký kế hoạch."),
    )
    signer_form = models.CharField(
        _("hình thức ký"),
        max_length=4,
        choices=SignerForm.choices,
        blank=True,
        help_text=_("KT. (ký thay), TL. (thừa lệnh), TUQ. (thừa ủy quyền), Q. (quyền); để trống khi ký trực tiếp."),
    )
    signer_authority = models.CharField(
        _("ký thay/thừa lệnh cho"),
        max_length=120,
        blank=True,
        help_text=_("Chức danh người đứng đầu, ví dụ GIÁM ĐỐC (dòng trên của KT. GIÁM ĐỐC)."),
    )
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ PHÓ GIÁM ĐỐC; để trống: chức vụ của người ký."),
    )
    # Who owes this report, fixed when the deadline opens: a unit created later owes nothing here.
    units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phải báo cáo"), blank=True, related_name="owed_deadlines"
    )

    objects = DeadlineQuerySet.as_manager()

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("hạn báo cáo")
        verbose_name_plural = _("hạn báo cáo")
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "year"], name="uniq_deadline_rule_year")]

    def __str__(self):
        return f"{self.rule.title} – {self.due_date:%d/%m/%Y}"

    @property
    def plan(self):
        return self.rule.plan

    def has_opened(self, on=None):
        """The reporting period has begun: from then on the units that owe the report are fixed."""
        return self.period_start <= (on or timezone.localdate())

    def fix_units(self):
        """Owing units := the rule's reporting units, keeping any unit that already has a report here."""
        wanted = set(self.rule.reporting_units().values_list("pk", flat=True))
        wanted |= set(self.submissions.values_list("unit_id", flat=True))
        current = set(self.units.values_list("pk", flat=True))
        if wanted - current:
            self.units.add(*(wanted - current))
        if current - wanted:
            self.units.remove(*(current - wanted))

    def owing_units(self):
        """Every unit that owes this report (whether it has reported or not), in tree order."""
        return self.units.order_by("path")

    def units_still_owing(self):
        """Owing units that have not submitted (a returned report is owed again)."""
        done = self.submissions.filter(status__in=REPORTED).values("unit_id")
        return self.owing_units().exclude(pk__in=done)

    def is_past(self, on=None):
        return self.due_date < (on or timezone.localdate())

    def is_overdue_for(self, submission, on=None):
        """The unit has not sent its report and the due date has passed ("Quá hạn")."""
        return self.is_past(on) and (submission is None or submission.is_editable)

    def unit_statuses(self, on=None, submissions=None):
        """(unit, submission or None, TrackerState) for every owing unit, in two queries whatever their number.

        The one home of where each unit's report stands on `on` (today): the tracker and the consolidated
        report both read it, so a unit that has not sent its report after the due date reads "Quá hạn" in both.
        `submissions` may narrow or prefetch this deadline's submissions (the report needs their rows).
        """
        units = list(self.owing_units())
        submissions = self.submissions.all() if submissions is None else submissions
        by_unit = {
            s.unit_id: s for s in submissions.filter(unit__in=[u.pk for u in units]).select_related("submitted_by")
        }
        return [(unit, by_unit.get(unit.pk), tracker_state(by_unit.get(unit.pk), self, on)) for unit in units]

    def owes(self, unit):
        if "units" in getattr(self, "_prefetched_objects_cache", {}):
            return any(u.pk == unit.pk for u in self.units.all())
        return self.units.filter(pk=unit.pk).exists()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.signer_form in (SignerForm.KT, SignerForm.TL, SignerForm.TUQ) and not self.signer_authority.strip():
            raise ValidationError(
                {"signer_authority": _("Ký thay, thừa lệnh, thừa ủy quyền cần ghi chức danh người đứng đầu.")}
            )

    def signature(self):
        """(title lines, signer's name) of the consolidated report: this report's signer, else the plan's."""
        plan = self.rule.plan
        person = self.signer or plan.signer
        title = self.signer_title or (person.title if self.signer_id and person else "") or plan.signer_title
        if not self.signer_form and not self.signer_title and not self.signer_id:
            # The plan's signer line may already be written out as "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".
            lines = [part.strip().upper() for part in (plan.signer_title or "").split("/") if part.strip()]
        else:
            lines = signature_lines(self.signer_form, self.signer_authority, title)
        return lines, person.full_name if person else ""


class Submission(models.Model):
    """A unit's report for one deadline: drafted, submitted, returned with a reason, or accepted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("hạn báo cáo"), on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("nội dung báo cáo"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    reviewed_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped by every save: two people editing one draft are told instead of overwriting each other.
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["deadline", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="uniq_submission_deadline_unit")]

    def __str__(self):
        return f"{self.unit} – {self.deadline}"

    @property
    def is_on_time(self):
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.deadline.due_date

    @property
    def is_editable(self):
        """A draft or a returned report can be changed; a submitted or accepted one is read-only."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def can_be_reviewed(self):
        return self.status == self.Status.SUBMITTED

    @property
    def can_be_returned(self):
        """Only a report waiting for review: an accepted report is a record, not returned and overwritten."""
        return self.status == self.Status.SUBMITTED

    def tracker_state(self, on=None):
        return tracker_state(self, self.deadline, on)


# A unit has reported once its report is submitted or accepted; a returned report is owed again.
REPORTED = [Submission.Status.SUBMITTED, Submission.Status.ACCEPTED]


class TrackerState(models.TextChoices):
    """What the focal office's tracker shows for a unit."""

    NOT_SUBMITTED = "not_submitted", _("Chưa gửi")
    OVERDUE = "overdue", _("Quá hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


def tracker_state(submission, deadline=None, on=None):
    """Where a unit's report stands; not sent after the due date of `deadline` reads "Quá hạn"."""
    if submission is None or submission.status == Submission.Status.DRAFT:
        deadline = deadline or (submission.deadline if submission is not None else None)
        if deadline is not None and deadline.is_past(on):
            return TrackerState.OVERDUE
        return TrackerState.NOT_SUBMITTED
    if submission.status == Submission.Status.RETURNED:
        return TrackerState.RETURNED
    if submission.status == Submission.Status.ACCEPTED:
        return TrackerState.ACCEPTED
    return TrackerState.ON_TIME if submission.is_on_time else TrackerState.LATE


class SubmissionRow(models.Model):
    """One task the unit leads, as the unit reports it: status, results, difficulties, proposals."""

    submission = models.ForeignKey(Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="rows")
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="report_rows"
    )
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Task.Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)

    class Meta:
        verbose_name = _("dòng báo cáo")
        verbose_name_plural = _("dòng báo cáo")
        ordering = ["submission", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="uniq_submission_row_task"),
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100), name="row_progress_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.submission} – {self.task}"


def rendered_report_path(instance, filename):
    # Random name: reports are served only through a permission-checked view.
    import uuid

    return f"reports/{instance.deadline_id}/{uuid.uuid4().hex}.{instance.format}"


class RenderedReport(models.Model):
    """One rendering of a report (the consolidated one of a deadline, or one unit's) in one format."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel (.xlsx)"
        DOCX = "docx", "Word (.docx)"

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("hạn báo cáo"), on_delete=models.CASCADE, related_name="rendered_reports"
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("báo cáo của đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rendered_reports",
        help_text=_("Để trống với báo cáo tổng hợp."),
    )
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to=rendered_report_path, max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("thời điểm bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm hoàn tất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "format", "version"],
                condition=models.Q(submission__isnull=True),
                name="uniq_rendered_consolidated_version",
            ),
            models.UniqueConstraint(
                fields=["submission", "format", "version"],
                condition=models.Q(submission__isnull=False),
                name="uniq_rendered_unit_version",
            ),
        ]

    def __str__(self):
        return f"{self.deadline} – {self.get_format_display()} v{self.version}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def can_be_retried(self):
        return self.status == self.Status.FAILED

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.format]

    def download_name(self):
        what = f"bao-cao-{self.submission.unit.code}" if self.submission_id else "bao-cao-tong-hop"
        return f"{what}-{self.deadline.due_date:%Y%m%d}-v{self.version}.{self.format}"
