from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from pci_portal.history import PortalHistory

from .verdicts import Goal as GoalRules
from .verdicts import Verdict


class Tier(models.TextChoices):
    """PCI governance groups ("nhóm điều hành"), best first."""

    RAT_TOT = "rat_tot", _("Rất tốt")
    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    TRUNG_BINH = "trung_binh", _("Trung bình")
    TUONG_DOI_THAP = "tuong_doi_thap", _("Tương đối thấp")
    THAP = "thap", _("Thấp")


TIER_ORDER = [t.value for t in Tier]


class Index(models.Model):
    """An index that plans target: PCI, PGI, PAPI, PAR INDEX, SIPAS, a province's DDCI."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    publisher = models.CharField(_("đơn vị công bố"), max_length=120, blank=True)
    first_year = models.PositiveIntegerField(_("năm đầu tiên"), null=True, blank=True)
    score_max = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2, null=True, blank=True)

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

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name", "valid_from"]

    def __str__(self):
        return self.name


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
    tier = models.CharField(_("nhóm điều hành"), max_length=20, choices=Tier.choices, blank=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả công bố")
        verbose_name_plural = _("kết quả công bố")
        ordering = ["-year", "province__name"]
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

    def clean(self):
        from pci_portal.inputs import check_years

        check_years(self, "year")

    @property
    def rank_display(self):
        if self.rank is None:
            return _("chưa công bố")
        return f"{self.rank}/{self.out_of}" if self.out_of else str(self.rank)


class Target(models.Model):
    """A goal a plan sets for one year on an index, a sub-index, a group of sub-indices or an indicator."""

    plan = models.ForeignKey("plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="targets")
    index = models.ForeignKey(Index, verbose_name=_("bộ chỉ số"), on_delete=models.PROTECT, related_name="targets")
    subindex = models.ForeignKey(
        SubIndex,
        verbose_name=_("chỉ số thành phần"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    subindex_group = models.ManyToManyField(
        SubIndex, verbose_name=_("nhóm chỉ số thành phần"), blank=True, related_name="group_targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Tỉnh có kết quả được dùng để đánh giá."),
    )
    year = models.PositiveIntegerField(_("năm mục tiêu"))
    baseline_year = models.PositiveIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_rank = models.PositiveIntegerField(_("xếp hạng năm gốc"), null=True, blank=True)
    baseline_score = models.DecimalField(_("điểm năm gốc"), max_digits=7, decimal_places=2, null=True, blank=True)
    baseline_out_of = models.PositiveIntegerField(_("trên tổng số (năm gốc)"), null=True, blank=True)
    text = models.TextField(_("nội dung mục tiêu (nguyên văn)"), blank=True)
    order = models.PositiveIntegerField(default=0)

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "year", "order", "id"]

    def __str__(self):
        return f"{self.subject_label} – {self.year}: {self.goals_label}"

    def clean(self):
        from pci_portal.inputs import check_years

        check_years(self, "year", "baseline_year")

    @property
    def subject_label(self):
        if self.indicator_id:
            return str(self.indicator)
        if self.subindex_id:
            return f"CSTP {self.subindex.number}: {self.subindex.name_for(self.year)}"
        group = list(self.subindex_group.all())
        if group:
            return ", ".join(f"CSTP {s.number}" for s in group)
        return str(self.index)

    @property
    def goals_label(self):
        return "; ".join(g.label() for g in self.goals.all())

    def subjects(self):
        """(subindex, indicator) pairs whose results this target judges; (None, None) is the overall index."""
        if self.indicator_id:
            return [(self.indicator.subindex, self.indicator)]
        if self.subindex_id:
            return [(self.subindex, None)]
        group = list(self.subindex_group.all())
        return [(s, None) for s in group] if group else [(None, None)]

    def results(self, year=None):
        """The published results of this target's province for its subjects in `year` (default: target year)."""
        year = year or self.year
        found = []
        for subindex, indicator in self.subjects():
            qs = Result.objects.filter(province=self.province, year=year, index=self.index)
            if indicator is not None:
                qs = qs.filter(indicator=indicator)
            elif subindex is not None:
                qs = qs.filter(subindex=subindex, indicator__isnull=True)
            else:
                qs = qs.overall()
            found.append(qs.first())
        return found

    def baseline(self):
        """Baseline rank/score: as the plan states them, else as published for the baseline year."""
        rank, score, out_of = self.baseline_rank, self.baseline_score, self.baseline_out_of
        if self.baseline_year and (rank is None or score is None) and len(self.subjects()) == 1:
            published = self.results(self.baseline_year)[0]
            if published is not None:
                rank = rank if rank is not None else published.rank
                score = score if score is not None else published.score
                out_of = out_of or published.out_of
        return rank, score, out_of

    def verdict(self, result=None, region_rank=None, baseline=None, results=None):
        """Met / not met / pending for a result (default: the published ones), with the reasons in words.

        `region_rank` is the province's rank within a region, for "top N of the region" goals;
        when not given it is computed from the results of the region's provinces. `baseline`
        (rank, score, out_of) and `results` (a list, None for "not published") may be passed by a
        caller that has the results at hand already.
        """
        if results is None:
            results = [result] if result is not None else self.results()
        rules = [g.rules() for g in self.goals.all()]
        if not rules:
            return Verdict(Verdict.PENDING, [str(_("Chưa đặt chỉ tiêu cụ thể."))])
        baseline_rank, baseline_score, _out_of = baseline or self.baseline()
        verdicts = []
        for res in results:
            for rule in rules:
                rr = region_rank
                if rule.kind == GoalRules.TOP_IN_REGION and rr is None and res is not None:
                    rr = self.region_rank(res, rule.region)
                verdicts.append(
                    rule.judge(res, baseline_rank=baseline_rank, baseline_score=baseline_score, region_rank=rr)
                )
        return Verdict.combine(verdicts)

    def region_rank(self, result, region):
        """The province's place among the provinces of `region` in the same published table."""
        peers = Result.objects.filter(
            year=result.year,
            index=result.index,
            subindex=result.subindex,
            indicator=result.indicator,
            province__region=region,
            score__isnull=False,
        )
        if result.score is None:
            return None
        return peers.filter(score__gt=result.score).count() + 1


class Goal(models.Model):
    """One condition of a target; a target with several goals is met when all are."""

    Kind = GoalRules.Kind

    target = models.ForeignKey(Target, verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("loại chỉ tiêu"), max_length=20, choices=GoalRules.Kind.choices)
    value = models.DecimalField(_("giá trị"), max_digits=7, decimal_places=2, null=True, blank=True)
    low = models.PositiveIntegerField(_("hạng từ"), null=True, blank=True)
    high = models.PositiveIntegerField(_("hạng đến"), null=True, blank=True)
    out_of = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    region = models.CharField(_("vùng"), max_length=120, blank=True)
    region_size = models.PositiveIntegerField(_("số tỉnh trong vùng"), null=True, blank=True)
    tier = models.CharField(_("nhóm điều hành"), max_length=20, choices=Tier.choices, blank=True)

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("điều kiện")
        verbose_name_plural = _("điều kiện")
        ordering = ["target", "id"]

    def __str__(self):
        return self.label()

    def rules(self):
        return GoalRules(
            kind=self.kind,
            value=Decimal(self.value) if self.value is not None else None,
            low=self.low,
            high=self.high,
            out_of=self.out_of,
            region=self.region,
            region_size=self.region_size,
            tier=self.tier,
        )

    def label(self):
        return self.rules().label()


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
