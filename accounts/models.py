import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pci_portal.history import PortalHistory

# Kinds of unit that are an agency of their own (Sở, Ban, UBND huyện, UBND tỉnh), and the placeholders that
# plans name as a whole ("Các sở, ban, ngành", "Doanh nghiệp"): "another agency's tasks" means tasks of a
# different one of these. A group or an enterprise is its own agency so that its people never read the
# province's People's Committee, which sits above it.
AGENCY_KINDS = {"people_committee", "department", "board", "district", "group", "enterprise"}


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def agencies(self):
        return self.filter(kind__in=AGENCY_KINDS)

    def read_in(self, scope):
        """The units a reading scope covers (see `ReadingScope`)."""
        return self.filter(scope.q())

    def active(self):
        return self.filter(is_active=True)

    def managed_by(self, user):
        """The units `user` administers: all (portal administrator), their province (province administrator),
        their agency (agency administrator), none otherwise. The one place the people pages ask."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role:
            return self.all()
        if user.unit_id is None:
            return self.none()
        if user.role == User.Role.PROVINCE_ADMIN:
            return self.filter(path__startswith="/" + user.unit.path.strip("/").split("/")[0] + "/")
        if user.role == User.Role.AGENCY_ADMIN and user.unit.agency_id:
            return self.filter(agency_id=user.unit.agency_id)
        return self.none()


def _ascii(text):
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def generate_code(name, abbreviation="", parent=None, province=None):
    """A unit's code, never typed: the parent's code and the unit's abbreviation (or initials), made unique.

    "Phòng Quản lý thương mại" under QNG-SCT → "QNG-SCT-PQLTM". Codes name units in paths and never change.
    """
    import re

    words = re.findall(r"[A-Za-z0-9]+", _ascii(abbreviation or name))
    if abbreviation:
        own = "".join(words).upper()
    else:
        own = "".join(w if w.isdigit() else w[0] for w in words).upper()
    own = own[:16] or "DV"
    head = parent.code if parent else (province.code.upper() if province else "")
    base = f"{head}-{own}" if head else own
    base = base[:54]
    code, n = base, 1
    while Unit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


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

    code = models.SlugField(_("mã"), max_length=60, unique=True, editable=False)
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
    # Never deleted once it has history: a unit closes (is_active) or merges into a successor.
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )

    objects = UnitQuerySet.as_manager()

    history = PortalHistory()  # audit trail: who, when, before, after

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = generate_code(self.name, self.abbreviation, self.parent, self.province)
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


@dataclass(frozen=True)
class ReadingScope:
    """What one person reads: the whole province below its root, or one agency (the units whose agency it is).

    `User.reading_scope` is the one place that decides it, for every role; every query asks `q()`.
    """

    unit: Unit  # the province root (whole_province) or the agency
    whole_province: bool = False

    def q(self, prefix=""):
        """A condition on a unit, reached through `prefix` ("lead_unit__", "plan__issuer__", "")."""
        if self.whole_province:
            return Q(**{f"{prefix}path__startswith": self.unit.path})
        return Q(**{f"{prefix}agency_id": self.unit.pk})

    def contains(self, unit):
        if self.whole_province:
            return unit.is_within(self.unit)
        return unit.agency_id == self.unit.pk

    def __str__(self):
        return str(self.unit)

    @property
    def name(self):
        return self.unit.name

    @property
    def province(self):
        return self.unit.province


class Person(models.Model):
    """A named person of a plan (leader, signer) who may or may not have a login."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    key = models.SlugField(_("mã"), max_length=60, unique=True)

    history = PortalHistory()  # audit trail: who, when, before, after

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
        AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
        PROVINCE_ADMIN = "province_admin", _("Quản trị tỉnh")
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
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu khi đăng nhập"),
        default=False,
        help_text=_("Bật khi quản trị viên đặt mật khẩu thay người dùng: lần đăng nhập tới phải đổi."),
    )

    objects = UserManager()

    # Audit trail of accounts and roles; a login (last_login) or a password change is not a change of role.
    history = PortalHistory(excluded_fields=["password", "last_login"])

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
        """What this person reads, for every role and every kind of unit; None: nothing (no unit).

        - the leadership of the province's People's Committee (a leader at the root of the tree) and the
          province administrator read the whole province;
        - everyone else reads their own agency: the units whose agency is theirs. A unit of the People's
          Committee itself (its root, its Văn phòng) has the Committee as agency, which covers only those
          units, never the departments, boards and districts below; a group or enterprise unit is its own agency.
        Portal administrators read everything; callers check `is_admin_role` first.
        """
        if self.unit_id is None:
            return None
        unit = self.unit
        if self.role == self.Role.LEADER and unit.parent_id is None:
            return ReadingScope(unit, whole_province=True)
        if self.role == self.Role.PROVINCE_ADMIN:
            return ReadingScope(unit if unit.parent_id is None else unit.top_unit(), whole_province=True)
        if unit.agency_id is None:
            return ReadingScope(unit)
        return ReadingScope(unit.agency)


class UserSession(models.Model):
    """A signed-in session of a user, so that it can be listed and ended ("log out other sessions",
    a locked account logs out at once). Written at login, removed at logout."""

    user = models.ForeignKey(User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(_("khóa phiên"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("đăng nhập lúc"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ mạng"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def browser(self):
        """A short, readable name of the browser and system ("Chrome · Windows")."""
        ua = self.user_agent
        browser = next(
            (
                name
                for key, name in (
                    ("Edg/", "Edge"),
                    ("Firefox/", "Firefox"),
                    ("Chrome/", "Chrome"),
                    ("Safari/", "Safari"),
                )
                if key in ua
            ),
            "",
        )
        system = next(
            (
                name
                for key, name in (
                    ("Windows", "Windows"),
                    ("Android", "Android"),
                    ("iPhone", "iPhone"),
                    ("Mac OS", "macOS"),
                    ("Linux", "Linux"),
                )
                if key in ua
            ),
            "",
        )
        return " · ".join(p for p in (browser, system) if p) or ua[:60]


class UserImport(models.Model):
    """An upload of users from the Excel template: its file, the preview a Celery task made of it, the progress
    of applying it and the outcome."""

    class Status(models.TextChoices):
        PARSING = "parsing", _("Đang đọc tệp")
        PARSED = "parsed", _("Chờ xác nhận")
        APPLYING = "applying", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Không đọc được tệp")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(User, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    file_name = models.CharField(_("tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PARSING)
    progress = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    rows = models.JSONField(_("xem trước"), default=list, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần nhập người dùng")
        verbose_name_plural = _("các lần nhập người dùng")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def working(self):
        return self.status in (self.Status.PARSING, self.Status.APPLYING)

    def counts(self):
        counts = {"create": 0, "update": 0, "same": 0, "error": 0}
        for row in self.rows:
            counts[row["action"]] += 1
        return counts
