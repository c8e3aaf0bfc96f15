import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pci_portal.inputs import year_errors

MERGER_DATE = datetime.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: 63 provinces become 34
MERGER_YEAR = 2025  # editions from this year rank the 34 units


class Tier(models.TextChoices):
    """PCI governance groups ("nhóm điều hành"), best first."""

    RAT_TOT = "rat_tot", _("Rất tốt")
    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    TRUNG_BINH = "trung_binh", _("Trung bình")
    TUONG_DOI_THAP = "tuong_doi_thap", _("Tương đối thấp")
    THAP = "thap", _("Thấp")


TIER_ORDER = [t.value for t in Tier]
TIER_LABELS = {t.value: t.label for t in Tier}


class Index(models.Model):
    """An index that plans target: PCI, PGI, PAPI, PAR INDEX, SIPAS, a province's DDCI."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    publisher = models.CharField(_("đơn vị công bố"), max_length=120, blank=True)
    first_year = models.PositiveIntegerField(_("năm đầu tiên"), null=True, blank=True)
    score_max = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2, null=True, blank=True)
    unit = models.CharField(
        _("đơn vị đo"),
        max_length=10,
        blank=True,
        choices=[("", _("điểm")), ("%", _("phần trăm (%)"))],
        help_text=_("SIPAS, PAR INDEX đo bằng phần trăm; PCI, PAPI, PGI, DDCI bằng điểm."),
    )

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["id"]

    def __str__(self):
        return self.code.replace("_", " ")


class SubIndexQuerySet(models.QuerySet):
    def pci_weights(self):
        """{sub-index number: weight in percent} of the PCI sub-indices."""
        return dict(self.filter(index__code="PCI", weight__isnull=False).values_list("number", "weight"))


class SubIndex(models.Model):
    """A sub-index (chỉ số thành phần, CSTP) of an index, with its weight in the total."""

    index = models.ForeignKey(Index, verbose_name=_("bộ chỉ số"), on_delete=models.CASCADE, related_name="subindices")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    weight = models.DecimalField(_("trọng số (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    objects = SubIndexQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        ordering = ["index_id", "number"]
        constraints = [models.UniqueConstraint(fields=["index", "number"], name="uniq_subindex_number")]

    def __str__(self):
        return f"CSTP {self.number}: {self.name}" if self.index.code == "PCI" else f"{self.number}. {self.name}"

    def name_for(self, year):
        """The name the methodology of `year` used (CSTP 8 was "Dịch vụ hỗ trợ doanh nghiệp" before 2021)."""
        for n in self.names.all():
            if (n.from_year is None or n.from_year <= year) and (n.to_year is None or year <= n.to_year):
                return n.name
        return self.name


class SubIndexName(models.Model):
    """A name a sub-index carried for a span of methodology years."""

    subindex = models.ForeignKey(SubIndex, on_delete=models.CASCADE, related_name="names")
    from_year = models.PositiveIntegerField(_("từ năm"), null=True, blank=True)
    to_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tên theo năm")
        verbose_name_plural = _("tên theo năm")
        ordering = ["subindex", "from_year"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """An indicator (chỉ tiêu) measured inside a sub-index."""

    subindex = models.ForeignKey(
        SubIndex, verbose_name=_("chỉ số thành phần"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    group = models.CharField(_("nhóm"), max_length=255, blank=True)
    from_year = models.PositiveIntegerField(_("từ năm"), null=True, blank=True)
    to_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["subindex", "order", "code"]

    def __str__(self):
        return self.name


class ProvinceQuerySet(models.QuerySet):
    def in_edition_year(self, year):
        """The provinces an edition of `year` ranks: the 63 before 2025, the 34 units from 2025."""
        if year >= MERGER_YEAR:
            return self.filter(valid_to__isnull=True)
        return self.filter(valid_from__isnull=True)


class Province(models.Model):
    """A province or centrally-governed city, before or after the 2025 merger (63 → 34)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.PROVINCE)
    region = models.CharField(_("vùng"), max_length=120, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    renamed_to = models.CharField(
        _("tên mới"), max_length=120, blank=True, help_text=_("Thừa Thiên Huế mang tên Huế từ ngày 01/01/2025.")
    )
    renamed_on = models.DateField(_("đổi tên từ ngày"), null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name", "valid_from"]

    def __str__(self):
        return str(self.label)

    @property
    def current_name(self):
        return self.renamed_to or self.name

    def name_in(self, year):
        """The name an edition of `year` uses: Thừa Thiên Huế up to 2024, Huế from 2025."""
        if self.renamed_to and self.renamed_on and year >= self.renamed_on.year:
            return self.renamed_to
        return self.name

    @property
    def label(self):
        """The name that tells the two Đồng Tháp apart: "Đồng Tháp (từ 01/7/2025)", "Tiền Giang (đến 30/6/2025)"."""
        if self.renamed_to:
            return self.renamed_to
        if self.valid_from:
            return _("%(name)s (từ %(date)s)") % {"name": self.name, "date": _short_date(self.valid_from)}
        if self.valid_to:
            return _("%(name)s (đến %(date)s)") % {"name": self.name, "date": _short_date(self.valid_to)}
        return self.name

    def in_edition(self, year):
        """The unit whose result stands for this province in the edition of `year` (its successor from 2025)."""
        if year >= MERGER_YEAR and self.valid_to is not None and self.successor_id:
            return self.successor
        return self


def edition_size(year):
    """How many provinces an edition of `year` ranks: 63 up to 2024, 34 from 2025 (after the merger)."""
    return 34 if year >= MERGER_YEAR else 63


def _short_date(d):
    return f"{d.day:02d}/{d.month}/{d.year}"


class RegionQuerySet(models.QuerySet):
    def for_year(self, year):
        """The regions of the editions of `year` (the six of the 63 provinces, or those of the 34 units)."""
        return self.filter(models.Q(from_year__isnull=True) | models.Q(from_year__lte=year)).filter(
            models.Q(to_year__isnull=True) | models.Q(to_year__gte=year)
        )


class Region(models.Model):
    """A socio-economic region with its provinces, for the editions of a span of years (before/after 2025)."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    from_year = models.PositiveIntegerField(_("từ năm"), null=True, blank=True)
    to_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)
    provinces = models.ManyToManyField(Province, verbose_name=_("tỉnh, thành phố"), related_name="regions")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vùng")
        verbose_name_plural = _("vùng")
        ordering = ["id"]

    def __str__(self):
        return str(self.label)

    @property
    def period_label(self):
        if self.to_year:
            return _("đến năm %s") % self.to_year
        if self.from_year:
            return _("từ năm %s") % self.from_year
        return ""

    @property
    def label(self):
        """ "Bắc Trung Bộ và duyên hải miền Trung (14 tỉnh, đến năm 2024)", for every region picker."""
        size = len(self.provinces.all())
        period = self.period_label
        return _("%(name)s (%(n)s tỉnh%(period)s)") % {
            "name": self.name,
            "n": size,
            "period": f", {period}" if period else "",
        }

    def covers(self, year):
        return (self.from_year is None or self.from_year <= year) and (self.to_year is None or year <= self.to_year)


class TierLevelQuerySet(models.QuerySet):
    def for_edition(self, index, year):
        """The tiers of `index` (an Index or its id) used by the edition of `year`, best first."""
        index_id = getattr(index, "pk", index)
        qs = self.filter(index_id=index_id)
        if year is not None:
            qs = qs.filter(models.Q(from_year__isnull=True) | models.Q(from_year__lte=year)).filter(
                models.Q(to_year__isnull=True) | models.Q(to_year__gte=year)
            )
        return qs.order_by("position")


class TierLevel(models.Model):
    """A tier ("nhóm điều hành" of PCI, band of PAPI) of an index for a span of editions; position 0 is best."""

    index = models.ForeignKey(Index, verbose_name=_("bộ chỉ số"), on_delete=models.CASCADE, related_name="tiers")
    code = models.SlugField(_("mã"), max_length=30)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự (0 là cao nhất)"), default=0)
    from_year = models.PositiveIntegerField(_("từ năm"), null=True, blank=True)
    to_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)

    objects = TierLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhóm xếp loại")
        verbose_name_plural = _("nhóm xếp loại")
        ordering = ["index", "position"]
        constraints = [
            models.UniqueConstraint(fields=["index", "code", "from_year"], name="uniq_tier_level"),
        ]

    def __str__(self):
        return self.name


def tier_scale(index, year):
    """({code: position}, {code: name}) of the tiers of `index` in the edition of `year`."""
    levels = list(TierLevel.objects.for_edition(index, year))
    return {t.code: t.position for t in levels}, {t.code: t.name for t in levels}


class ResultQuerySet(models.QuerySet):
    def overall(self):
        return self.filter(subindex__isnull=True, indicator__isnull=True)

    def pci(self):
        """PCI results, overall and per sub-index (not per indicator)."""
        return self.filter(index__code="PCI", indicator__isnull=True)

    def weighted_total(self, province, year):
        """The PCI total recomputed from the province's published sub-index scores of `year`."""
        scores = dict(
            self.pci()
            .filter(province=province, year=year, subindex__isnull=False)
            .values_list("subindex__number", "score")
        )
        return weighted_total(scores)

    def ranks_among(self, province, year, *scores):
        """[(rank, out of)] that each overall score would have against the other provinces' results of `year`.

        One query; `self` names the index (`Result.objects.pci()`). [] when no other province has a score.
        """
        others = list(
            self.overall()
            .filter(year=year, score__isnull=False)
            .exclude(province=province)
            .values_list("score", "out_of")
        )
        if not others:
            return []
        out_of = max(max(o or 0 for _s, o in others), len(others) + 1)
        return [(1 + sum(1 for s, _o in others if s > score), out_of) for score in scores]


class Result(models.Model):
    """A published result: a province's score and rank in a year, overall or for one sub-index or indicator."""

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="results")
    year = models.PositiveIntegerField(_("năm"))
    index = models.ForeignKey(Index, verbose_name=_("bộ chỉ số"), on_delete=models.CASCADE, related_name="results")
    subindex = models.ForeignKey(
        SubIndex,
        verbose_name=_("chỉ số thành phần"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), null=True, blank=True, on_delete=models.CASCADE, related_name="results"
    )
    score = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True, help_text=_("Để trống nếu chưa công bố."))
    out_of = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    tier = models.CharField(
        _("nhóm xếp loại"), max_length=30, blank=True, help_text=_("Nhóm điều hành của PCI, nhóm của PAPI…")
    )
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    illustrative = models.BooleanField(
        _("số liệu minh họa"),
        default=False,
        help_text=_("Số liệu giả định của bản demo, không phải kết quả đã công bố; mọi trang và báo cáo đều ghi rõ."),
    )

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("lịch sử kết quả công bố"))

    class Meta:
        verbose_name = _("kết quả công bố")
        verbose_name_plural = _("kết quả công bố")
        ordering = ["-year", "province__name"]
        permissions = [("keep_results", _("Được nhập và sửa kết quả công bố (người giữ kết quả)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "index"],
                condition=models.Q(subindex__isnull=True, indicator__isnull=True),
                name="uniq_result_overall",
            ),
            models.UniqueConstraint(
                fields=["province", "year", "subindex"],
                condition=models.Q(subindex__isnull=False, indicator__isnull=True),
                name="uniq_result_subindex",
            ),
            models.UniqueConstraint(
                fields=["province", "year", "indicator"],
                condition=models.Q(indicator__isnull=False),
                name="uniq_result_indicator",
            ),
        ]

    def __str__(self):
        what = self.indicator or self.subindex or self.index
        return f"{self.province} {self.year} – {what}"

    @property
    def rank_display(self):
        if self.rank is None:
            return _("chưa công bố")
        return f"{self.rank}/{self.out_of}" if self.out_of else str(self.rank)

    def clean(self):
        errors = year_errors(self, "year")
        if self.rank is not None and self.out_of and self.rank > self.out_of:
            errors["rank"] = _("Hạng không được lớn hơn số tỉnh được xếp hạng.")
        if self.tier and self.index_id:
            order, _names = tier_scale(self.index_id, self.year)
            if self.tier not in order:
                errors["tier"] = _("Nhóm “%(tier)s” không thuộc thang xếp loại của %(index)s năm %(year)s.") % {
                    "tier": self.tier,
                    "index": self.index,
                    "year": self.year,
                }
        if errors:
            raise ValidationError(errors)

    @property
    def tier_label(self):
        if not self.tier:
            return ""
        names = self.__dict__.get("_tier_names")  # set by a batch that read the tier scales once (plans.targets)
        if names is None:
            _order, names = tier_scale(self.index_id, self.year)
        return names.get(self.tier, self.tier)


def score_text(score, unit):
    """A score with its unit: "6,9 điểm", "86,5 %"."""
    from .verdicts import _num

    if unit == "%":
        return f"{_num(score)} %"
    return f"{_num(score)} {gettext('điểm')}"


def any_illustrative(results):
    """Whether any of these results is the demo's made-up figure rather than a published one."""
    return any(getattr(r, "illustrative", False) for r in results or [])


def result_text(result, unit=""):
    """How a published result reads: "hạng 20/63 · 6,9 điểm", "86,5 %", "chưa công bố".

    An illustrative result (the demo's) ends with "số liệu minh họa".
    """
    if result is None:
        return gettext("chưa công bố")
    parts = []
    if result.rank is not None:
        parts.append(gettext("hạng %s") % result.rank_display)
    if result.score is not None:
        parts.append(score_text(result.score, unit))
    if getattr(result, "tier", ""):
        label = result.tier_label if hasattr(result, "tier_label") else result.tier
        parts.append(gettext("nhóm “%s”") % label)
    if not parts:
        return gettext("chưa công bố")
    if getattr(result, "illustrative", False):
        # Made-up figures of the demo: every page, report and e-mail that shows the result says so.
        parts.append(gettext("số liệu minh họa"))
    return " · ".join(parts)


def weighted_total(scores, weights=None):
    """The PCI total (0–100) from sub-index scores (0–10) keyed by sub-index number.

    PCI = Σ weight% × score × 10 with the 2021 methodology weights stored on the sub-indices
    (5, 5, 20, 5, 10, 5, 5, 20, 20, 5). Published sub-index scores are rounded to two places,
    so the result can differ from the published total by a few hundredths.
    """
    if weights is None:
        weights = SubIndex.objects.pci_weights()
    total = Decimal(0)
    for number, weight in weights.items():
        score = scores.get(number)
        if score is None:
            return None
        total += Decimal(weight) * Decimal(str(score)) / Decimal(10)
    return total.quantize(Decimal("0.01"))
