from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

# Kinds of unit that are an agency of their own (Sở, Ban, UBND huyện, UBND tỉnh):
# "another agency's tasks" means tasks of a different one of these.
AGENCY_KINDS = {"people_committee", "department", "board", "district"}


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def agencies(self):
        return self.filter(kind__in=AGENCY_KINDS)


class Unit(models.Model):
    """An organisational unit in the tree UBND tỉnh → Sở/Ban/UBND huyện → Phòng/Văn phòng/Trung tâm."""

    class Kind(models.TextChoices):
        PEOPLE_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ngành")
        BOARD = "board", _("Ban")
        DISTRICT = "district", _("UBND cấp huyện")
        DIVISION = "division", _("Phòng")
        OFFICE = "office", _("Văn phòng")
        CENTRE = "centre", _("Trung tâm")
        INSPECTORATE = "inspectorate", _("Thanh tra")
        GROUP = "group", _("Nhóm cơ quan, đơn vị")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=120, blank=True)
    abbreviation = models.CharField(_("ký hiệu văn bản"), max_length=40, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("/TTH-UBND/TTH-BQL/") so a subtree is one indexed LIKE.
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    agency = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    province = models.ForeignKey(
        "indicators.Province", verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT
    )
    place = models.CharField(_("địa danh (dòng ngày tháng)"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        if self.kind in AGENCY_KINDS or self.parent is None:
            self.agency = self if self.pk else None
        else:
            self.agency = self.parent.agency
        super().save(*args, **kwargs)
        if self.agency_id is None and (self.kind in AGENCY_KINDS or self.parent is None):
            # A new agency points at itself, which needs its primary key first.
            Unit.objects.filter(pk=self.pk).update(agency=self)
            self.agency = self

    def is_within(self, other):
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)

    def top_unit(self):
        """The root of the tree this unit belongs to (the province's People's Committee)."""
        return Unit.objects.get(code=self.path.strip("/").split("/")[0])

    def get_place(self):
        """The place name for the date line of documents, inherited from above."""
        if self.place:
            return self.place
        return self.parent.get_place() if self.parent else ""


class Person(models.Model):
    """A named person of a plan (leader, signer) who may or may not have a login."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    key = models.SlugField(_("mã"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["unit__path", "full_name"]

    def __str__(self):
        return f"{self.full_name} – {self.title}" if self.title else self.full_name


class User(AbstractUser):
    """A login of the portal: one role, in one unit."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("Chuyên viên")
        UNIT_HEAD = "unit_head", _("Trưởng đơn vị")
        FOCAL = "focal", _("Đơn vị đầu mối")
        LEADER = "leader", _("Lãnh đạo")
        ADMIN = "admin", _("Quản trị viên")

    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    person = models.OneToOneField(
        Person, verbose_name=_("cán bộ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_admin_role(self):
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def agency(self):
        return self.unit.agency if self.unit_id else None

    @property
    def reading_scope(self):
        """The unit whose subtree this person reads: the whole province for the leadership of its
        People's Committee (a leader at the root of the tree), otherwise their agency; None without a unit."""
        if self.unit_id is None:
            return None
        if self.role == self.Role.LEADER and self.unit.parent_id is None:
            return self.unit
        return self.agency
