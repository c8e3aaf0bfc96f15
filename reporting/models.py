import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


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
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quy định báo cáo")
        verbose_name_plural = _("quy định báo cáo")
        ordering = ["plan", "month", "day"]

    def __str__(self):
        return f"{self.title} – {_('trước ngày')} {self.day:02d}/{self.month:02d}"

    def due_date(self, year):
        return datetime.date(year, self.month, self.day)

    def period_for(self, year):
        """The period a report due in `year` covers.

        Cut-off dates of Nghị định 09/2019/NĐ-CP (Điều 12) unless the plan says otherwise:
        annual report 15/12 of the previous year – 14/12; six-month report 15/12 – 14/6;
        a year plan covers the calendar year it plans. A report due before the regime's
        cut-off covers up to the day before it is due.
        """
        due = self.due_date(year)
        if self.kind == self.Kind.YEAR_PLAN:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start = datetime.date(year - 1, 12, 15)
        if self.kind == self.Kind.SIX_MONTH:
            end = datetime.date(year, 6, 14)
        elif self.kind == self.Kind.QUARTERLY:
            quarter_end_month = ((self.month - 2) // 3) * 3 or 12
            end_year = year if quarter_end_month != 12 else year - 1
            end = datetime.date(end_year, quarter_end_month, 14)
            start = datetime.date(
                end_year if quarter_end_month > 3 else end_year - 1, (quarter_end_month - 3) or 12, 15
            )
        else:
            end = datetime.date(year, 12, 14)
        if end >= due:
            end = due - datetime.timedelta(days=1)
        return start, end

    def reporting_units(self):
        """Units that owe this report."""
        units = Unit.objects.filter(pk__in=self.from_units.values("pk"))
        if self.from_children_of_id:
            units = units | Unit.objects.filter(parent_id=self.from_children_of_id).exclude(
                kind__in=[Unit.Kind.GROUP, Unit.Kind.ENTERPRISE]
            )
        return units.exclude(pk=self.to_unit_id).distinct().order_by("path")

    def deadline_for(self, year):
        """The dated deadline of `year` (created once, then found)."""
        start, end = self.period_for(year)
        deadline, _created = Deadline.objects.get_or_create(
            rule=self,
            year=year,
            defaults={"due_date": self.due_date(year), "period_start": start, "period_end": end},
        )
        return deadline


class DeadlineQuerySet(models.QuerySet):
    def upcoming(self, on=None):
        return self.filter(due_date__gte=on or timezone.localdate())

    def past_due(self, on=None):
        return self.filter(due_date__lt=on or timezone.localdate())


class Deadline(models.Model):
    """The dated occurrence of a reporting rule in one year, with the period the report covers."""

    rule = models.ForeignKey(
        ReportingRule, verbose_name=_("quy định báo cáo"), on_delete=models.CASCADE, related_name="deadlines"
    )
    year = models.PositiveIntegerField(_("năm"))
    due_date = models.DateField(_("hạn nộp"), db_index=True)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("đến ngày"))

    objects = DeadlineQuerySet.as_manager()

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

    def units_still_owing(self):
        """Reporting units that have not submitted (a returned report is owed again)."""
        done = self.submissions.filter(status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED]).values(
            "unit_id"
        )
        return self.rule.reporting_units().exclude(pk__in=done)

    def is_past(self, on=None):
        return self.due_date < (on or timezone.localdate())


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
