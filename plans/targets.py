"""Targets and goals: what a plan sets out to reach on an index, and how that reads once results are published.

A target belongs to its plan (it is created, edited, imported and deleted with it), so it lives in `plans`;
the reference data it points at (Index, SubIndex, Indicator, Province, Region, TierLevel) and the published
`Result`s it is judged on stay in `indicators`, with the database-free goal rules (`indicators.verdicts`).

The tables keep the names they were created with in `indicators` (`db_table`): the move was one of state only
(plans/migrations/0007_targets_from_indicators.py), no row was copied.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    Index,
    Indicator,
    Province,
    Region,
    Result,
    SubIndex,
    SubIndexName,
    TierLevel,
    result_text,
    score_text,
    tier_scale,
)
from indicators.verdicts import (
    FIELD_LABELS,
    VALUE_FIELDS,
    WHOLE_VALUE,
    RegionRank,
    Verdict,
    missing_values,
    stray_values,
)
from indicators.verdicts import Goal as GoalRules
from pci_portal.history import PortalHistory
from pci_portal.inputs import year_errors

logger = logging.getLogger(__name__)


class TargetMember(models.Model):
    """A sub-index of a target over several, with the baseline the plan states for it (else the published one).

    The table is the one Django created for `Target.subindex_group`, so `target.subindex_group.set([...])`
    keeps working; baselines are optional.
    """

    target = models.ForeignKey("Target", on_delete=models.CASCADE)
    subindex = models.ForeignKey(SubIndex, verbose_name=_("chỉ số thành phần"), on_delete=models.CASCADE)
    baseline_rank = models.PositiveIntegerField(_("xếp hạng năm gốc"), null=True, blank=True)
    baseline_score = models.DecimalField(_("điểm năm gốc"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        db_table = "indicators_target_subindex_group"
        verbose_name = _("chỉ số của nhóm")
        verbose_name_plural = _("chỉ số của nhóm")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "subindex"], name="indicators_target_subin_target_id_subindex_id_uniq"
            )
        ]

    def __str__(self):
        return str(self.subindex)


class TargetQuerySet(models.QuerySet):
    def assess_all(self):
        """[Assessment] of these targets, in their order, in a number of queries that does not depend on how many
        there are: the one home of a page's (or report's) target table. See `assess_all`."""
        return assess_all(self)


class Target(models.Model):
    """A goal a plan sets for one year on an index, a sub-index, a group of sub-indices or an indicator.

    How to create one (the plan editor, `load_demo` and the plan-document importer all do it this way)::

        target = Target(plan=plan, index=pci, subindex=cstp8, province=province, year=2024,
                        baseline_year=2023, baseline_rank=32, baseline_out_of=63, text="…")
        target.full_clean(); target.save()
        target.subindex_group.set([...])          # only for a goal over several sub-indices
        goal = Goal(target=target, kind=Goal.Kind.RANK_LTE, value=25)
        goal.full_clean(); goal.save()            # each kind requires exactly its values (see verdicts.REQUIRED)

    Read it everywhere through `target.assess()`: the one home of how a target and its verdict read.
    """

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
        SubIndex,
        verbose_name=_("nhóm chỉ số thành phần"),
        blank=True,
        related_name="group_targets",
        through=TargetMember,
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

    objects = TargetQuerySet.as_manager()

    history = PortalHistory(table_name="indicators_historicaltarget")  # audit trail: who, when, before, after

    class Meta:
        db_table = "indicators_target"  # its name from before the move (see the module's docstring)
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "year", "order", "id"]

    def __str__(self):
        return f"{self.subject_label} – {self.year}: {self.goals_label}"

    def clean(self):
        errors = year_errors(self, "year", "baseline_year")
        if "baseline_year" not in errors and None not in (self.baseline_year, self.year):
            if self.baseline_year >= self.year:
                errors["baseline_year"] = _("Năm gốc phải trước năm mục tiêu.")
        if self.baseline_rank is not None and self.baseline_out_of and self.baseline_rank > self.baseline_out_of:
            errors["baseline_rank"] = _("Hạng năm gốc không được lớn hơn số tỉnh được xếp hạng.")
        if self.index_id:
            if self.subindex_id and self.subindex.index_id != self.index_id:
                errors["subindex"] = _("Chỉ số thành phần không thuộc bộ chỉ số đã chọn.")
            if self.indicator_id and self.indicator.subindex.index_id != self.index_id:
                errors["indicator"] = _("Chỉ tiêu không thuộc bộ chỉ số đã chọn.")
        if self.subindex_id and self.indicator_id and self.indicator.subindex_id != self.subindex_id:
            errors["indicator"] = _("Chỉ tiêu không thuộc chỉ số thành phần đã chọn.")
        if errors:
            raise ValidationError(errors)

    # --- What the target is about --------------------------------------------------------------

    def group(self):
        """The sub-indices of a goal over several of them, in their order ([] for a single subject)."""
        if self.subindex_id or self.indicator_id or not self.pk:
            return []
        book = getattr(self, "_book", None)
        if book is not None:
            return [m.subindex for m in book.groups.get(self.pk, [])]
        return sorted(self.subindex_group.all(), key=lambda s: s.number)

    @property
    def subject_label(self):
        if self.indicator_id:
            return str(self.indicator)
        if self.subindex_id:
            return _subindex_label(self.subindex, self.year, book=getattr(self, "_book", None))
        group = self.group()
        if group:
            names = ", ".join(_short_subindex_label(s) for s in group)
            return _("%(index)s – %(n)s chỉ số thành phần: %(names)s") % {
                "index": self.index,
                "n": len(group),
                "names": names,
            }
        return str(self.index)

    @property
    def goals_label(self):
        group = self.group()
        if group:
            return "; ".join(g.rules().quorum_label(len(group)) for g in self.goals.all())
        return "; ".join(g.label() for g in self.goals.all())

    def subjects(self):
        """(subindex, indicator) pairs whose results this target judges; (None, None) is the overall index."""
        if self.indicator_id:
            return [(self.indicator.subindex, self.indicator)]
        if self.subindex_id:
            return [(self.subindex, None)]
        group = self.group()
        return [(s, None) for s in group] if group else [(None, None)]

    # --- Whose result, which year --------------------------------------------------------------

    def judged_province(self, year=None):
        """The province whose published result stands for the target's province in `year`.

        After the 2025 merger (editions from 2025 rank 34 units), a target of a former province is judged
        on the result of the unit it was merged into.
        """
        return self.province.in_edition(year or self.year)

    def _result_for(self, subindex, indicator, year):
        province = self.judged_province(year)
        book = getattr(self, "_book", None)
        if book is not None and book.covers(province.pk, year, self.index_id):
            return book.result(province.pk, year, self.index_id, subindex, indicator)
        qs = Result.objects.filter(province=province, year=year, index_id=self.index_id)
        if indicator is not None:
            qs = qs.filter(indicator=indicator)
        elif subindex is not None:
            qs = qs.filter(subindex=subindex, indicator__isnull=True)
        else:
            qs = qs.overall()
        return qs.first()

    def results(self, year=None):
        """The published results of this target's subjects in `year` (default: target year); None where missing."""
        year = year or self.year
        return [self._result_for(s, i, year) for s, i in self.subjects()]

    def predecessor(self):
        """The target on the same subject of the plan this plan follows ("kế hoạch kế tiếp"), latest year first."""
        if not hasattr(self, "_predecessor"):
            self._predecessor = None
            follows_id = self.plan.follows_id if self.plan_id else None
            book = getattr(self, "_book", None)
            if follows_id and book is not None:
                group = {s.pk for s in self.group()}
                for t in book.candidates:  # latest year first, as below
                    same = (t.index_id, t.subindex_id, t.indicator_id) == (
                        self.index_id,
                        self.subindex_id,
                        self.indicator_id,
                    )
                    if t.plan_id == follows_id and same and t.year < self.year and {s.pk for s in t.group()} == group:
                        self._predecessor = t
                        break
            elif follows_id:
                candidates = Target.objects.filter(
                    plan_id=follows_id,
                    index_id=self.index_id,
                    subindex_id=self.subindex_id,
                    indicator_id=self.indicator_id,
                    year__lt=self.year,
                ).select_related("plan")
                group = {s.pk for s in self.group()}
                for t in candidates.order_by("-year", "order", "id"):
                    if {s.pk for s in t.group()} == group:
                        self._predecessor = t
                        break
        return self._predecessor

    def effective_baseline_year(self):
        """The baseline year the plan states; else the target year of the same target in the plan it follows."""
        if self.baseline_year:
            return self.baseline_year
        before = self.predecessor()
        return before.year if before else None

    def baseline_note(self):
        """Where an inherited baseline comes from, in words ("" when the plan states its own)."""
        before = None if self.baseline_year else self.predecessor()
        if before is None:
            return ""
        return gettext("kết quả năm %(year)s của kế hoạch %(plan)s") % {
            "year": before.year,
            "plan": before.plan.display_number or before.plan.title[:60],
        }

    def baseline(self):
        """Baseline rank/score/out_of of a single subject: as the plan states them, else as published."""
        rank, score, out_of = self.baseline_rank, self.baseline_score, self.baseline_out_of
        year = self.effective_baseline_year()
        if year and (rank is None or score is None) and len(self.subjects()) == 1:
            published = self.results(year)[0]
            if published is not None:
                rank = rank if rank is not None else published.rank
                score = score if score is not None else published.score
                out_of = out_of or published.out_of
        return rank, score, out_of

    def member_baselines(self):
        """{subindex id: (rank, score, out_of)} for a group: each member's published result of the baseline year."""
        year = self.effective_baseline_year()
        if not year:
            return {}
        out = {}
        for subindex, _indicator in self.subjects():
            if subindex is None:
                continue
            r = self._result_for(subindex, None, year)
            out[subindex.pk] = (r.rank, r.score, r.out_of) if r else (None, None, None)
        return out

    def region_rank(self, result, region):
        """The province's place among every province of `region` in the same published table ("3/14")."""
        if result is None or region is None:
            return None
        book = getattr(self, "_book", None)
        members = book.region_members.get(region.pk, []) if book is not None else list(region.provinces.all())
        if not region.covers(result.year):
            return RegionRank(None, len(members))
        size = len(members)
        if not size:
            return RegionRank(None, 0)
        if book is not None and all(book.covers(p.pk, result.year, result.index_id) for p in members):
            peers = book.peers(result, members)
        else:
            peers = {
                r.province_id: r
                for r in Result.objects.filter(
                    year=result.year,
                    index_id=result.index_id,
                    subindex_id=result.subindex_id,
                    indicator_id=result.indicator_id,
                    province__in=members,
                )
            }
        missing = [
            p.name for p in members if p.pk not in peers or (peers[p.pk].rank is None and peers[p.pk].score is None)
        ]
        if result.province_id not in {p.pk for p in members}:
            return RegionRank(None, size, [result.province.name])

        def is_ahead(other):
            if other.rank is not None and result.rank is not None:
                return other.rank < result.rank
            return other.score is not None and result.score is not None and other.score > result.score

        ahead = sum(1 for r in peers.values() if r.province_id != result.province_id and is_ahead(r))
        if missing:
            return RegionRank(None, size, missing, at_least=ahead + 1)
        return RegionRank(ahead + 1, size)

    # --- The one home of the verdict and how it reads ---------------------------------------------

    def verdict(self, result=None, results=None, baseline=None, region_rank=None):
        """Met / not met / pending / insufficient data, with the reasons in words. Never raises.

        `result` (one subject) or `results` (one per subject, None for "not published") may be passed to judge
        figures other than the published ones; `baseline` is (rank, score, out_of) of a single subject.
        """
        goal_rows = list(self.goals.all())
        goals = [g.rules() for g in goal_rows]
        regions = [g.region if g.region_id else None for g in goal_rows]
        if not goals:
            return Verdict(Verdict.INSUFFICIENT, [str(_("Chưa đặt chỉ tiêu cụ thể."))])
        subjects = self.subjects()
        if results is None:
            results = [result] if result is not None else self.results()
        results = list(results) + [None] * (len(subjects) - len(results))
        verdicts = []
        group = self.group()
        if group:
            stated = {m.subindex_id: m for m in self._members()}
            published = self.member_baselines()
            members = []
            for (subindex, _i), res in zip(subjects, results, strict=False):
                m = stated.get(subindex.pk)
                pub = published.get(subindex.pk, (None, None, None))
                base_rank = m.baseline_rank if m and m.baseline_rank is not None else pub[0]
                base_score = m.baseline_score if m and m.baseline_score is not None else pub[1]
                members.append((_short_subindex_label(subindex), res, base_rank, base_score, res))
            for rule, region in zip(goals, regions, strict=True):
                rows = [
                    (
                        label,
                        res,
                        br,
                        bs,
                        self.region_rank(res, region) if rule.kind == rule.TOP_IN_REGION else None,
                    )
                    for label, res, br, bs, _r in members
                ]
                verdicts.append(rule.judge_members(rows))
        else:
            base_rank, base_score, _out_of = baseline or self.baseline()
            for res in results:
                for rule, region in zip(goals, regions, strict=True):
                    rr = region_rank
                    if rule.kind == rule.TOP_IN_REGION and rr is None:
                        rr = self.region_rank(res, region)
                    verdicts.append(rule.judge(res, baseline_rank=base_rank, baseline_score=base_score, region_rank=rr))
        combined = Verdict.combine(verdicts)
        judged = self.judged_province()
        if judged.pk != self.province_id:
            combined.reasons.append(
                str(
                    _("Đánh giá theo kết quả của %(new)s, đơn vị mà %(old)s hợp nhất vào từ ngày 01/7/2025.")
                    % {"new": judged.label, "old": self.province.label}
                )
            )
        return combined

    def _members(self):
        """Stated baselines of the group members (TargetMember rows)."""
        if not self.pk:
            return []
        book = getattr(self, "_book", None)
        if book is not None:
            return list(book.groups.get(self.pk, []))
        return list(TargetMember.objects.filter(target=self))

    def assess(self):
        """Everything a page, report or e-mail shows about this target, worded once (see Assessment)."""
        return Assessment.of(self)


def _subindex_label(subindex, year, book=None):
    name = book.name_for(subindex, year) if book is not None else subindex.name_for(year)
    if subindex.index.code == "PCI":
        return f"CSTP {subindex.number}: {name}"
    return f"{subindex.index} – {subindex.number}. {name}"


def _short_subindex_label(subindex):
    return f"CSTP {subindex.number}" if subindex.index.code == "PCI" else f"{subindex.index} {subindex.number}"


def assess_all(targets):
    """[Assessment] of the targets of a queryset, in its order, in a fixed number of queries.

    What `Target.assess()` reads one query at a time (goals, group members, the target of the plan followed, the
    published results of the target and baseline years, the region's provinces and their results, sub-index
    names, tier scales) is read here once for all the targets (`TargetBook`): a page with ten targets runs the
    same statements as a page with one, and a page with none skips them.
    """
    targets = list(
        targets.select_related(
            "plan", "index", "subindex__index", "indicator__subindex__index", "province__successor"
        ).prefetch_related(Prefetch("goals", queryset=Goal.objects.select_related("region")))
    )
    if not targets:
        return []
    TargetBook(targets)
    return [t.assess() for t in targets]


class TargetBook:
    """Everything the assessment of several targets reads, loaded at once (six queries, whatever the number and
    kinds of targets) and attached to each target as `_book`; `Target` asks it instead of the database.

    `covers(province, year, index)` says whether a missing result means "not published" or "not loaded": a
    target asked about anything else (a what-if of another year) falls back to its own queries.
    """

    def __init__(self, targets):
        ids = [t.pk for t in targets]
        followed = Target.objects.filter(pk__in=ids).values("plan__follows_id")
        # The targets of the plans these plans follow (for an inherited baseline: Target.predecessor).
        self.candidates = list(
            Target.objects.filter(plan_id__in=followed).select_related("plan").order_by("-year", "order", "id")
        )
        self.groups = {}  # target id → [TargetMember], sub-index and index read along
        members = TargetMember.objects.filter(Q(target_id__in=ids) | Q(target__plan_id__in=followed))
        for m in members.select_related("subindex__index").order_by("subindex__number", "pk"):
            self.groups.setdefault(m.target_id, []).append(m)
        self.region_members = {}  # region id → [Province], in the order of region.provinces.all()
        through = Region.provinces.through.objects.filter(
            region_id__in=Goal.objects.filter(target_id__in=ids).values("region_id")
        )
        order = [f"province__{f}" for f in Province._meta.ordering]
        for row in through.select_related("province").order_by(*order):
            self.region_members.setdefault(row.region_id, []).append(row.province)
        self.indices = {t.index_id for t in targets}
        self.names = {}  # sub-index id → [SubIndexName]
        for n in SubIndexName.objects.filter(subindex__index_id__in=self.indices):
            self.names.setdefault(n.subindex_id, []).append(n)
        for t in targets + self.candidates:
            t._book = self
        self.years, self.provinces = set(), set()
        subindices, indicators = set(), set()
        for t in targets:
            for year in {t.year, t.effective_baseline_year()} - {None}:
                self.years.add(year)
                self.provinces.add(t.judged_province(year).pk)
            for goal in t.goals.all():
                if goal.region_id:
                    self.provinces.update(p.pk for p in self.region_members.get(goal.region_id, []))
            for subindex, indicator in t.subjects():
                if indicator is not None:
                    indicators.add(indicator.pk)
                elif subindex is not None:
                    subindices.add(subindex.pk)
        subjects = Q(subindex__isnull=True, indicator__isnull=True)
        if subindices:
            subjects |= Q(subindex_id__in=subindices, indicator__isnull=True)
        if indicators:
            subjects |= Q(indicator_id__in=indicators)
        rows = Result.objects.filter(
            subjects, year__in=self.years, index_id__in=self.indices, province_id__in=self.provinces
        ).select_related("province")
        self.results = {(r.province_id, r.year, r.index_id, r.subindex_id, r.indicator_id): r for r in rows}
        self.tiers = list(TierLevel.objects.filter(index_id__in=self.indices).order_by("position"))
        for r in self.results.values():
            if r.tier:
                r._tier_names = self.tier_scale(r.index_id, r.year)[1]

    def covers(self, province_id, year, index_id):
        return province_id in self.provinces and year in self.years and index_id in self.indices

    def result(self, province_id, year, index_id, subindex, indicator):
        if indicator is not None:
            key = (province_id, year, index_id, indicator.subindex_id, indicator.pk)
        else:
            key = (province_id, year, index_id, subindex.pk if subindex is not None else None, None)
        return self.results.get(key)

    def peers(self, result, provinces):
        """{province id: result} of `provinces` in the same table as `result` (Target.region_rank)."""
        out = {}
        for p in provinces:
            r = self.results.get((p.pk, result.year, result.index_id, result.subindex_id, result.indicator_id))
            if r is not None:
                out[p.pk] = r
        return out

    def name_for(self, subindex, year):
        """SubIndex.name_for from the names read once."""
        for n in self.names.get(subindex.pk, []):
            if (n.from_year is None or n.from_year <= year) and (n.to_year is None or year <= n.to_year):
                return n.name
        return subindex.name

    def tier_scale(self, index_id, year):
        """indicators.models.tier_scale from the tiers read once."""
        index_id = getattr(index_id, "pk", index_id)

        def used(t):
            return (t.from_year is None or t.from_year <= year) and (t.to_year is None or t.to_year >= year)

        levels = [t for t in self.tiers if t.index_id == index_id and (year is None or used(t))]
        return {t.code: t.position for t in levels}, {t.code: t.name for t in levels}


@dataclass
class Assessment:
    """A target as every page, report and e-mail reads it: subject, goal, baseline, result, verdict.

    Built by `Target.assess()`; templates show it with the `target_cells` and `verdict` tags
    (indicators_tags), and the PDF/Excel/Word formatters take the texts as they are.
    """

    target: object
    subject: str
    province: str
    year: int
    goal_text: str
    baseline_text: str
    result_text: str
    verdict: Verdict
    results: list = field(default_factory=list)

    @classmethod
    def of(cls, target):
        unit = target.index.unit
        try:
            results = target.results()
            verdict = target.verdict(results=results)
            baseline_text = cls._baseline_text(target, unit)
        except Exception:  # a page never answers 500 on stored data: say what is missing instead
            logger.exception("Cannot judge target %s", target.pk)
            results = []
            verdict = Verdict(Verdict.INSUFFICIENT, [gettext("Không đánh giá được mục tiêu với dữ liệu hiện có.")])
            baseline_text = "–"
        subjects = target.subjects()
        if len(subjects) > 1:
            shown = "; ".join(
                f"{_short_subindex_label(s)}: {result_text(r, unit)}"
                for (s, _i), r in zip(subjects, results, strict=False)
            )
        else:
            shown = result_text(results[0] if results else None, unit)
        judged = target.judged_province()
        province = (
            target.province.label if judged.pk == target.province_id else f"{target.province.label} → {judged.label}"
        )
        return cls(
            target=target,
            subject=str(target.subject_label),
            province=province,
            year=target.year,
            goal_text=target.goals_label or target.text or "–",
            baseline_text=baseline_text,
            result_text=shown,
            verdict=verdict,
            results=[r for r in results if r is not None],
        )

    @staticmethod
    def _baseline_text(target, unit):
        if target.group():
            stated = {m.subindex_id: m for m in target._members()}
            published = target.member_baselines()
            parts = []
            for s in target.group():
                m = stated.get(s.pk)
                rank = m.baseline_rank if m and m.baseline_rank is not None else published.get(s.pk, (None,))[0]
                if rank is not None:
                    parts.append(f"{_short_subindex_label(s)}: {gettext('hạng')} {rank}")
            year = target.effective_baseline_year()
            head = f"{year}: " if year else ""
            text = head + ("; ".join(parts) if parts else gettext("chưa có số liệu")) if (head or parts) else "–"
        else:
            rank, score, out_of = target.baseline()
            parts = []
            if rank is not None:
                parts.append(gettext("hạng %s") % (f"{rank}/{out_of}" if out_of else rank))
            if score is not None:
                parts.append(score_text(score, unit))
            year = target.effective_baseline_year()
            if not year:
                return " · ".join(parts) or "–"
            text = f"{year}: " + (" · ".join(parts) or gettext("chưa có số liệu"))
        note = target.baseline_note()
        return f"{text} ({note})" if note else text

    @property
    def state(self):
        return self.verdict.state

    @property
    def label(self):
        return self.verdict.label

    @property
    def reasons_text(self):
        return " ".join(str(r) for r in self.verdict.reasons)


class Goal(models.Model):
    """One condition of a target; a target with several goals is met when all are.

    Each kind requires exactly its values (`indicators.verdicts.REQUIRED`): `clean()` refuses a goal that
    leaves one blank or fills one the kind does not use, so a stored goal can always be read; one that
    still cannot be judged reads "Chưa đủ dữ liệu".
    """

    Kind = GoalRules.Kind

    target = models.ForeignKey(Target, verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("loại chỉ tiêu"), max_length=20, choices=GoalRules.Kind.choices)
    value = models.DecimalField(_("giá trị"), max_digits=7, decimal_places=2, null=True, blank=True)
    low = models.PositiveIntegerField(_("hạng từ"), null=True, blank=True)
    high = models.PositiveIntegerField(_("hạng đến"), null=True, blank=True)
    out_of = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("vùng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
        help_text=_("Vùng theo danh mục, của giai đoạn chứa năm mục tiêu (trước hoặc sau sắp xếp năm 2025)."),
    )
    tier = models.CharField(_("nhóm xếp loại"), max_length=30, blank=True)
    min_count = models.PositiveSmallIntegerField(
        _("số chỉ số tối thiểu đạt"),
        null=True,
        blank=True,
        help_text=_("Với mục tiêu cho nhóm chỉ số: “3 trong 7 chỉ số…”. Để trống: mọi chỉ số của nhóm phải đạt."),
    )

    history = PortalHistory(table_name="indicators_historicalgoal")  # audit trail: who, when, before, after

    class Meta:
        db_table = "indicators_goal"  # its name from before the move (see the module's docstring)
        verbose_name = _("điều kiện")
        verbose_name_plural = _("điều kiện")
        ordering = ["target", "id"]

    def __str__(self):
        return str(self.label())

    def _values(self):
        return {f: (self.region_id if f == "region" else getattr(self, f)) for f in VALUE_FIELDS}

    def clean(self):
        errors = {}
        values = self._values()
        for f in missing_values(self.kind, values):
            errors[f] = _("Loại điều kiện “%(kind)s” cần %(field)s.") % {
                "kind": self.get_kind_display(),
                "field": FIELD_LABELS[f],
            }
        for f in stray_values(self.kind, values):
            errors[f] = _("Loại điều kiện “%(kind)s” không dùng %(field)s; hãy để trống.") % {
                "kind": self.get_kind_display(),
                "field": FIELD_LABELS[f],
            }
        if "value" not in errors and self.value is not None:
            if self.kind in WHOLE_VALUE and (self.value != int(self.value) or self.value < 1):
                errors["value"] = _("Số bậc, số hạng phải là số nguyên dương.")
            elif self.value < 0:
                errors["value"] = _("Giá trị không được âm.")
        if self.kind == GoalRules.RANK_BAND and self.low is not None and self.high is not None:
            if self.low < 1 or self.low > self.high:
                errors["high"] = _("Khoảng xếp hạng phải có hạng từ ≥ 1 và không lớn hơn hạng đến.")
            elif self.out_of and self.high > self.out_of:
                errors["out_of"] = _("Hạng đến không được lớn hơn tổng số tỉnh.")
        # A goal entered with a new target (plan editor) is checked against that target, not yet saved.
        target = self.target if self.target_id else getattr(self, "_target", None)
        if target is not None and self.region_id and "region" not in errors and target.year:
            if not self.region.covers(target.year):
                errors["region"] = _(
                    "Vùng “%(region)s” không dùng cho năm %(year)s; hãy chọn vùng của giai đoạn đó."
                ) % {
                    "region": self.region.name,
                    "year": target.year,
                }
            elif target.province_id and not self.region.provinces.filter(pk=target.judged_province().pk).exists():
                errors["region"] = _("%(province)s không thuộc vùng “%(region)s”.") % {
                    "province": target.judged_province().label,
                    "region": self.region.name,
                }
        if target is not None and self.tier and "tier" not in errors and target.index_id:
            order, _names = tier_scale(target.index_id, target.year)
            if self.tier not in order:
                errors["tier"] = _("Nhóm “%(tier)s” không thuộc thang xếp loại của %(index)s năm %(year)s.") % {
                    "tier": self.tier,
                    "index": target.index,
                    "year": target.year,
                }
        if self.min_count is not None and self.target_id:
            # The plan editor passes the group being saved with the goal (_group_size); else the stored one.
            size = getattr(self, "_group_size", None)
            size = len(self.target.group()) if size is None else size
            if not size:
                errors["min_count"] = _("Chỉ dùng cho mục tiêu áp dụng cho một nhóm chỉ số thành phần.")
            elif not (1 <= self.min_count <= size):
                errors["min_count"] = _("Số chỉ số cần đạt phải từ 1 đến %s.") % size
        if errors:
            raise ValidationError(errors)

    def rules(self):
        region = self.region if self.region_id else None
        target = self.target if self.target_id else None
        scale = getattr(getattr(target, "_book", None), "tier_scale", tier_scale)  # a batch read the scales once
        order, names = scale(target.index_id, target.year) if target is not None and self.tier else ({}, {})
        return GoalRules(
            kind=self.kind,
            value=Decimal(self.value) if self.value is not None else None,
            low=self.low,
            high=self.high,
            out_of=self.out_of,
            region=region.name if region else "",
            region_size=len(_region_members(region, target)) if region else None,
            tier=self.tier,
            tier_label=names.get(self.tier, ""),
            tier_order=order,
            unit=target.index.unit if target is not None else "",
            min_count=self.min_count,
        )

    def label(self):
        return self.rules().label()


def _region_members(region, target):
    book = getattr(target, "_book", None)
    return book.region_members.get(region.pk, []) if book is not None else region.provinces.all()
