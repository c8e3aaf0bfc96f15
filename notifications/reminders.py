"""Reminders before every deadline: who owes what, which step is due, one digest per person, exactly once.

`send_reminders(on=date)` is the one function the Celery task and `manage.py send_reminders` call.

Exactly once: each (item kind, item id, recipient, step) is claimed by inserting a ReminderLog row under a
unique constraint, committed before the e-mail goes out. A retried task, a second run at the same time or a
restarted worker finds the row and sends nothing. A failed send is recorded (status "failed" and the error)
and claimed again, atomically, by a later run.

At province scale (3,000 people, 10,000 reminders) the run works in batches of people: one INSERT … ON
CONFLICT DO NOTHING claims every reminder of a batch, one INSERT makes their bell notifications, the digests
go out over one SMTP connection, and one UPDATE marks them sent — SQL statements grow with batches of people,
not with reminders (bench/reminders.py, docs/benchmarks.md).
"""

import datetime
import hashlib
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import groupby
from urllib.parse import urlsplit

import holidays
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from plans.models import Plan, Task, TaskOccurrence
from reporting.access import deadline_path_for
from reporting.models import Deadline

from .emails import EmailTemplates
from .models import Notification, NotificationPreference, ReminderLog, ReminderPolicy

logger = logging.getLogger(__name__)

WEEKDAYS = {5: "Thứ Bảy", 6: "Chủ nhật"}
BATCH = 100  # people per claim: one INSERT of their log rows, one of their notifications, one UPDATE once sent


def _translated(*parts):
    """Text translated when it is shown, in the language active then (the recipient's, for a digest or a bell
    notification), not in the run's: each part is (message, parameters), one line each."""
    return lazy(lambda: "\n".join(_(message) % params for message, params in parts), str)()


@cache
def _vn_holidays(year):
    return holidays.country_holidays("VN", years=[year], language="vi")


def day_off_note(day):
    """'Hạn rơi vào Chủ nhật' / 'Hạn rơi vào ngày nghỉ lễ Tết Nguyên đán (…)', or '' on a working day."""
    return _day_off_note(day, get_language())


@lru_cache(maxsize=4096)
def _day_off_note(day, language):
    # Asked for every reminder of every digest: a run has few due dates and two languages.
    name = _vn_holidays(day.year).get(day)
    if name:
        if "Nguyên Đán" in name or name == "29 Tết":
            return _("Hạn rơi vào ngày nghỉ lễ Tết Nguyên đán (%(name)s)") % {"name": name}
        return _("Hạn rơi vào ngày nghỉ lễ (%(name)s)") % {"name": name}
    if day.weekday() == 5:
        return _("Hạn rơi vào Thứ Bảy")
    if day.weekday() == 6:
        return _("Hạn rơi vào Chủ nhật")
    return ""


@dataclass
class Reminder:
    """One thing one person is reminded of at one step."""

    kind: str  # ReminderLog.Kind
    item_id: int
    title: str
    plan: str
    due_date: datetime.date
    path: str
    step: str
    recipient: User
    on: datetime.date
    detail: str = ""  # e.g. the units that still owe a report (escalation); translated when shown (_translated)

    @property
    def key(self):
        # The due date is part of it: when a deadline moves, its reminders are owed again.
        return (self.kind, self.item_id, self.recipient.pk, self.step, self.due_date)

    def log_row(self, wanted=True, attempt=1):
        """The unsaved ReminderLog row that claims this reminder: pending (with `attempt` counted: the e-mail is
        about to go), or skipped when the person does not want it by e-mail."""
        return ReminderLog(
            kind=self.kind,
            item_id=self.item_id,
            recipient=self.recipient,
            step=self.step,
            title=self.title[:255],
            due_date=self.due_date,
            run_date=self.on,
            status=ReminderLog.Status.PENDING if wanted else ReminderLog.Status.SKIPPED,
            attempts=attempt if wanted else 0,
        )

    def notification(self):
        """The bell notification of this reminder, in the active language (see `notifications_of`)."""
        return Notification(
            user=self.recipient, title=self.notification_title()[:255], body=self.notification_body(), url=self.path
        )

    @property
    def url(self):
        return settings.SITE_URL + self.path

    @property
    def days_left(self):
        return (self.due_date - self.on).days

    @property
    def overdue(self):
        return self.days_left < 0

    @property
    def escalation(self):
        return self.step == "escalate"

    @property
    def is_report(self):
        return self.kind == ReminderLog.Kind.REPORT

    @property
    def kind_label(self):
        return _("Báo cáo") if self.is_report else _("Nhiệm vụ")

    @property
    def day_off(self):
        return day_off_note(self.due_date)

    @property
    def when(self):
        """'còn 7 ngày', 'đến hạn hôm nay', 'quá hạn 3 ngày'."""
        if self.days_left > 0:
            return _("còn %(n)s ngày") % {"n": self.days_left}
        if self.days_left == 0:
            return _("đến hạn hôm nay")
        return _("quá hạn %(n)s ngày") % {"n": -self.days_left}

    def notification_title(self):
        if self.escalation:
            return _("Quá hạn, cần lãnh đạo chỉ đạo: %(title)s") % {"title": self.title}
        return _("%(kind)s %(when)s: %(title)s") % {"kind": self.kind_label, "when": self.when, "title": self.title}

    def notification_body(self):
        lines = [_("Hạn: %(date)s") % {"date": self.due_date.strftime("%d/%m/%Y")}]
        if self.day_off:
            lines.append(self.day_off)
        if self.detail:
            lines.append(str(self.detail))
        return "\n".join(lines)


@dataclass
class Result:
    """What a run did: counts and one line per reminder, for the command's output and the task's return value."""

    on: datetime.date
    dry_run: bool = False
    sent: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    emails: int = 0
    deferred: int = 0  # not tried: the mail server had stopped answering earlier in the run

    def as_dict(self):
        return {
            "on": self.on.isoformat(),
            "sent": self.sent,
            "skipped": self.skipped,
            "emails": self.emails,
            "deferred": self.deferred,
            "errors": self.errors,
        }


def connection_lost(exc):
    """A failure of the connection itself (refused, time-out, dropped), not a refusal of one message: the server
    is gone for this run, so the remaining digests are left for the retry instead of each waiting EMAIL_TIMEOUT."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPException):  # the server answered (e.g. 550 for this recipient)
        return False
    return isinstance(exc, OSError)


class Mailer:
    """One SMTP connection for the whole batch of digests, opened at the first e-mail."""

    def __init__(self):
        self.connection = get_connection()
        self.opened = False
        self.broken = None  # the connection error that stopped the batch

    def send(self, message):
        if not self.opened:
            try:
                self.connection.open()
            except Exception as exc:
                self.broken = exc
                raise
            self.opened = True
        message.connection = self.connection
        try:
            return message.send()
        except Exception as exc:
            if connection_lost(exc):
                self.broken = exc
            raise

    def close(self):
        if self.opened:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - a QUIT to a dead server must not hide the real result
                pass


def digest_message_id(rows):
    """The same digest (the same log rows) always carries the same Message-ID, also when sent again after an
    ambiguous failure (a time-out after the server took the message): mail clients and servers that see the
    second copy can recognise it as a duplicate of the first."""
    digest = hashlib.sha256(",".join(str(pk) for pk in sorted(rows)).encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "pci.local"
    return f"<reminder-digest.{digest}@{domain}>"


def _users_by_unit(unit_ids):
    """{unit id: unit heads}, {unit id: officials} of active users with an e-mail address.

    The focal office's own people count as its officials: the office owes the consolidated report.
    """
    heads, officials = defaultdict(list), defaultdict(list)
    users = (
        User.objects.filter(unit_id__in=unit_ids, is_active=True)
        .exclude(email="")
        .select_related("unit__agency")
        .order_by("username")
    )
    for user in users:
        if user.role == User.Role.UNIT_HEAD:
            heads[user.unit_id].append(user)
        elif user.role in (User.Role.OFFICIAL, User.Role.FOCAL):
            officials[user.unit_id].append(user)
    return heads, officials


def _agency_leaders(agency_ids):
    leaders = defaultdict(list)
    users = (
        User.objects.filter(unit_id__in=agency_ids, role=User.Role.LEADER, is_active=True)
        .exclude(email="")
        .select_related("unit__agency")
    )
    for user in users.order_by("username"):
        leaders[user.unit_id].append(user)
    return leaders


def report_reminders(on, default, by_plan):
    """Reminders of report deadlines: the heads (else officials) of units that still owe the report."""
    reminders = []
    deadlines = Deadline.objects.filter(rule__plan__tracked=True).select_related(
        "rule__plan__focal_unit", "rule__plan__issuer", "rule__to_unit"
    )
    steps = {}
    for deadline in deadlines:
        policy = by_plan.get(deadline.rule.plan_id, default)
        step = policy.step_for(deadline.due_date, on)
        escalate = policy.escalates(deadline.due_date, on)
        if step is not None or escalate:
            steps[deadline] = (step, escalate)
    # Who still owes what, for every deadline at once; each deadline's units prefetched for deadline_path_for.
    owing_of = Deadline.objects.filter(pk__in=[d.pk for d in steps]).units_still_owing()
    owing_by_deadline = {d: (*steps[d], owing_of[d.pk]) for d in steps if owing_of.get(d.pk)}
    prefetch_units(list(owing_by_deadline))
    unit_ids = {u.pk for _s, _e, owing in owing_by_deadline.values() for u in owing}
    heads, officials = _users_by_unit(unit_ids)
    leaders = _agency_leaders({u.agency_id for _s, _e, owing in owing_by_deadline.values() for u in owing})
    unit_note = gettext_noop("Đơn vị: %(unit)s")
    for deadline, (step, escalate, owing) in owing_by_deadline.items():
        common = {
            "kind": ReminderLog.Kind.REPORT,
            "item_id": deadline.pk,
            "title": deadline.rule.title,
            "plan": deadline.rule.plan.display_number,
            "due_date": deadline.due_date,
            "on": on,
        }
        if step:
            for unit in owing:
                detail = _translated((unit_note, {"unit": unit}))
                for user in heads.get(unit.pk) or officials.get(unit.pk) or []:
                    path = deadline_path_for(user, deadline)
                    reminders.append(Reminder(step=step, recipient=user, detail=detail, path=path, **common))
        if escalate:
            by_agency = defaultdict(list)
            for unit in owing:
                by_agency[unit.agency_id].append(unit)
            for agency_id, units in by_agency.items():
                names = ", ".join(str(u) for u in units)
                detail = _translated((gettext_noop("Đơn vị chưa nộp: %(units)s"), {"units": names}))
                for leader in leaders.get(agency_id, []):
                    path = deadline_path_for(leader, deadline)
                    reminders.append(Reminder(step="escalate", recipient=leader, detail=detail, path=path, **common))
    return reminders


def prefetch_units(deadlines):
    """Each deadline's owing units, so that deadline_path_for answers every recipient without a query."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(deadlines, Prefetch("units", queryset=Unit.objects.order_by("path")))


def task_reminders(on, default, by_plan):
    """Reminders of the open rounds of tasks (plans.schedule): the assignees, else the lead unit's officials and
    head; then the leader. A round superseded by the next one is no longer reminded; the next one is."""
    reminders = []
    policies = [default, *by_plan.values()]
    ahead = max((max(p.days_before or [0]) for p in policies), default=0)
    behind = max((p.stop_after_days for p in policies), default=0)
    occurrences = (
        TaskOccurrence.objects.open()
        .filter(
            Q(lapses_on__isnull=True) | Q(lapses_on__gt=on),
            due_date__lte=on + datetime.timedelta(days=ahead),
            due_date__gte=on - datetime.timedelta(days=behind),
            task__plan__tracked=True,
        )
        .exclude(task__status=Task.Status.CANCELLED)
        .select_related("task__plan", "task__lead_unit", "task__leader__user")
        .prefetch_related("task__assignees")
        .order_by("due_date", "task_id")
    )
    due = []
    for occurrence in occurrences:
        task = occurrence.task
        policy = by_plan.get(task.plan_id, default)
        step = policy.step_for(occurrence.due_date, on)
        escalate = policy.escalates(occurrence.due_date, on)
        if step or escalate:
            due.append((task, occurrence.due_date, step, escalate))
    heads, officials = _users_by_unit({task.lead_unit_id for task, _d, _s, _e in due})
    lead_note = gettext_noop("Đơn vị chủ trì: %(unit)s")
    for task, due_date, step, escalate in due:
        common = {
            "kind": ReminderLog.Kind.TASK,
            "item_id": task.pk,
            "title": task.title,
            "plan": task.plan.display_number,
            "due_date": due_date,
            "path": reverse("plans:task_detail", args=[task.pk]),
            "on": on,
            "detail": _translated((lead_note, {"unit": task.lead_unit})),
        }
        if step:
            people = [u for u in task.assignees.all() if u.is_active and u.email]
            if not people:
                people = officials.get(task.lead_unit_id, []) + heads.get(task.lead_unit_id, [])
            for user in people:
                reminders.append(Reminder(step=step, recipient=user, **common))
        if escalate:
            leader_user = getattr(task.leader, "user", None) if task.leader_id else None
            if leader_user and leader_user.is_active and leader_user.email:
                reminders.append(Reminder(step="escalate", recipient=leader_user, **common))
    return reminders


def collect(on):
    """Every reminder due on `on`, one per (item, person, step)."""
    default, by_plan = ReminderPolicy.policies()
    unique = {}
    for reminder in report_reminders(on, default, by_plan) + task_reminders(on, default, by_plan):
        unique.setdefault(reminder.key, reminder)
    return list(unique.values())


def digest_order(reminders):
    """Overdue first (most overdue first), then by due date."""
    return sorted(reminders, key=lambda r: (not r.overdue, r.due_date, r.kind, r.title))


def generate_deadlines(on):
    """Deadlines of every tracked plan for the current and next year, where the plan's period covers them.

    One plan whose rules cannot be dated must not stop everyone's reminders: its error is logged, the run goes on.
    """
    for plan in Plan.objects.tracked().prefetch_related("reporting_rules"):
        for year in (on.year, on.year + 1):
            if plan.period_start <= year <= plan.period_end:
                try:
                    with transaction.atomic():
                        plan.generate_deadlines(year)
                except Exception:
                    logger.exception("deadlines of plan %s for %s could not be generated", plan.pk, year)


def claim(reminders, wanted=lambda reminder: True, attempt=1):
    """Claim `reminders` (of any number of people) in bulk: {key: log row} of those this run owns now.

    Their log rows are inserted with one INSERT … ON CONFLICT DO NOTHING (ReminderLog.objects.claim), and
    the bell notifications of those inserted with one more INSERT, in one transaction committed before any
    e-mail goes out. A reminder whose row was there already is this run's only if that row had failed: it is
    taken back by exactly one run (the UPDATE locks the row and a concurrent run re-reads status != failed
    once the lock is released). Returns (claimed {key: row}, notifications {key: notification} made now).
    """
    ordered = _lock_order(reminders)
    rows = [r.log_row(wanted(r), attempt) for r in ordered]
    with transaction.atomic():
        inserted = {row.key: row for row in ReminderLog.objects.claim(rows)}
        made = [r for r in ordered if r.key in inserted]
        notes = Notification.objects.bulk_create(notifications_of(made))
        owned = dict(inserted)
        for row in rows:
            if row.key in inserted:
                continue
            # Already claimed (or a failed send waiting for a later run): only a failed row is taken back.
            same = ReminderLog.objects.filter(
                kind=row.kind, item_id=row.item_id, recipient=row.recipient, step=row.step, due_date=row.due_date
            )
            taken = same.filter(status=ReminderLog.Status.FAILED).update(
                status=row.status, error="", attempts=F("attempts") + row.attempts
            )
            if taken == 1:
                row.pk = same.values_list("pk", flat=True).first()
                row.taken_back = True
                owned[row.key] = row
    return owned, {r.key: n for r, n in zip(made, notes, strict=True)}


def notifications_of(reminders):
    """The bell notifications of `reminders` (each person's together), each in its recipient's language."""
    notes = []
    for _pk, theirs in groupby(reminders, key=lambda r: r.recipient.pk):
        theirs = list(theirs)
        with override(theirs[0].recipient.language or settings.LANGUAGE_CODE):
            notes += [r.notification() for r in theirs]
    return notes


def _lock_order(reminders):
    """The same total order in every run (the order of the digests), so two runs inserting the same rows at the
    same time wait for each other in one direction and never deadlock."""
    return sorted(reminders, key=lambda r: (r.recipient.email, r.recipient.pk, r.kind, r.item_id, r.step, r.due_date))


def release(owned, notifications, reminders, reason):
    """Give back the claims of reminders this run will not try after all (the mail server stopped answering):
    a later run claims them again. Rows inserted now go, with their bell notifications; rows taken back from
    an earlier failure are failed again."""
    rows = [owned[r.key] for r in reminders if r.key in owned]
    new = [row.pk for row in rows if not getattr(row, "taken_back", False)]
    with transaction.atomic():
        ReminderLog.objects.filter(pk__in=new).delete()
        made = [notifications[r.key].pk for r in reminders if r.key in notifications]
        Notification.objects.filter(pk__in=made).delete()
        for row in rows:
            if getattr(row, "taken_back", False):
                ReminderLog.objects.filter(pk=row.pk).update(
                    status=ReminderLog.Status.FAILED, error=reason[:2000], attempts=F("attempts") - row.attempts
                )


def digest_context(user, reminders):
    reminders = digest_order(reminders)
    reports = [r for r in reminders if r.is_report]
    tasks = [r for r in reminders if not r.is_report]
    return {
        "user": user,
        "reminders": reminders,
        "report_count": len(reports),
        "task_count": len(tasks),
        "overdue_count": sum(1 for r in reminders if r.overdue),
        "on": reminders[0].on,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
    }


def _wants_email(reminder, preference):
    """Report reminders and escalations are mandatory; task reminders can be switched off."""
    if reminder.is_report or reminder.escalation:
        return True
    return preference.task_reminders


def send_reminders(on=None, dry_run=False, now=None):
    """Send every reminder due on `on` (default today in Asia/Ho_Chi_Minh): one digest e-mail per person.

    A person whose chosen digest hour has not come yet (by `now`, local time) is left for a later run
    the same day; with an explicit `on` and no `now` the hour is not checked. A dry run lists what would
    be sent and writes nothing (the deadlines it generates to find out are rolled back).
    """
    if now is None and on is None:
        now = timezone.localtime()
    on = on or now.date()
    result = Result(on=on, dry_run=dry_run)
    with transaction.atomic():
        generate_deadlines(on)
        reminders = collect(on)
        done = _already_claimed(reminders)
        if dry_run:
            transaction.set_rollback(True)
    by_person = defaultdict(list)
    for reminder in reminders:
        if reminder.key in done:
            result.skipped += 1  # sent (or being sent) already: the log row keeps it from going twice
        else:
            by_person[reminder.recipient].append(reminder)
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in by_person])}
    mailer = Mailer() if not dry_run else None
    try:
        _send_all(by_person, preferences, now, dry_run, result, mailer)
    finally:
        if mailer:
            mailer.close()
    return result


def _send_all(by_person, preferences, now, dry_run, result, mailer):
    due = []  # (person, their reminders, their preferences), in the order of their addresses
    for user in sorted(by_person, key=lambda u: (u.email, u.pk)):
        mine = digest_order(by_person[user])
        preference = preferences.get(user.pk) or NotificationPreference(user=user)
        if now is not None and not dry_run and timezone.localtime(now).hour < preference.digest_hour:
            result.skipped += len(mine)
            continue
        if dry_run:
            for r in mine:
                result.lines.append(
                    f"{user.email}\t{r.kind_label}: {r.title}\t{r.due_date:%d/%m/%Y}\t{r.step}"
                    + (f"\t{r.day_off}" if r.day_off else "")
                )
            result.sent += len(mine)
            continue
        due.append((user, mine, preference))
    templates = EmailTemplates("reminder-digest") if due else None
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        if mailer.broken is not None:
            result.deferred += sum(len(mine) for _u, mine, _p in batch)  # not claimed: a later run finds them
            continue
        try:
            _send_batch(batch, result, mailer, templates)
        except Exception as exc:  # the claim itself failed (the database): the next batch may still go
            logger.exception("reminders for %s people failed", len(batch))
            result.errors.append(f"{len(batch)} digest(s): {exc}")
    if result.deferred:
        result.errors.append(
            f"{result.deferred} reminder(s) not tried: the mail server stopped answering ({mailer.broken!r})"
        )


def _already_claimed(reminders):
    """Keys of reminders logged and not failed: skipped without trying to claim them (the constraint still rules)."""
    if not reminders:
        return set()
    rows = ReminderLog.objects.filter(
        item_id__in={r.item_id for r in reminders}, step__in={r.step for r in reminders}
    ).exclude(status=ReminderLog.Status.FAILED)
    return set(rows.values_list("kind", "item_id", "recipient_id", "step", "due_date"))


def _send_batch(batch, result, mailer, templates):
    """Claim the reminders of a batch of people at once, then send each person's digest over the one
    connection; one UPDATE marks the sent ones. A failed digest is recorded; when the server stops answering,
    the people not tried yet are given back (not claimed) for a later run."""
    preference_of = {user.pk: preference for user, _m, preference in batch}
    owned, notifications = claim(
        [r for _u, mine, _p in batch for r in mine],
        wanted=lambda r: _wants_email(r, preference_of[r.recipient.pk]),
    )
    sent = []
    try:
        for n, (user, mine, preference) in enumerate(batch):
            if mailer.broken is not None:
                rest = [r for _u, others, _p in batch[n:] for r in others]
                release(owned, notifications, rest, f"not tried: the mail server stopped answering ({mailer.broken!r})")
                result.deferred += len(rest)
                break
            claimed = [r for r in mine if r.key in owned]
            result.skipped += len(mine) - len(claimed)
            wanted = [r for r in claimed if _wants_email(r, preference)]
            result.skipped += len(claimed) - len(wanted)
            if not wanted:
                continue
            rows = [owned[r.key].pk for r in wanted]
            try:
                message = templates.build(digest_context(user, wanted), [user.email], user.language)
                message.extra_headers["Message-ID"] = digest_message_id(rows)
                mailer.send(message)
            except Exception as exc:  # one bad person must not stop the run
                ReminderLog.objects.filter(pk__in=rows).update(status=ReminderLog.Status.FAILED, error=str(exc)[:2000])
                result.errors.append(f"{user.email}: {exc}")
                logger.warning("reminder e-mail to %s failed: %s", user.email, exc)
                continue
            sent += rows
            result.sent += len(wanted)
            result.emails += 1
            for r in wanted:
                result.lines.append(f"{user.email}\t{r.kind_label}: {r.title}\t{r.due_date:%d/%m/%Y}\t{r.step}")
    finally:
        if sent:
            ReminderLog.objects.filter(pk__in=sent).update(status=ReminderLog.Status.SENT, sent_at=timezone.now())


# --- The focal office reminds, with one click, the units that have not reported ---------------------


def manual_step(on):
    return f"manual-{on:%Y%m%d}"


def remind_units_now(deadline, by, on=None):
    """Remind the units that still owe `deadline` now: their heads (else officials) get a bell notification
    and an e-mail (sent by a Celery task once this commits). At most once per day per unit: each person's
    reminder is claimed in the log first, so a second click the same day sends nothing.

    Returns (units reminded, units already reminded today).
    """
    on = on or timezone.localdate()
    owing = list(deadline.units_still_owing())
    heads, officials = _users_by_unit({u.pk for u in owing})
    prefetch_units([deadline])
    asked = (gettext_noop("%(name)s (đơn vị đầu mối) đề nghị đơn vị gửi báo cáo."), {"name": by.get_full_name()})
    reminders_of = {}
    for unit in owing:
        detail = _translated((gettext_noop("Đơn vị: %(unit)s"), {"unit": unit}), asked)
        reminders_of[unit] = [
            Reminder(
                kind=ReminderLog.Kind.REPORT,
                item_id=deadline.pk,
                title=deadline.rule.title,
                plan=deadline.rule.plan.display_number,
                due_date=deadline.due_date,
                path=deadline_path_for(user, deadline),
                step=manual_step(on),
                recipient=user,
                on=on,
                detail=detail,
            )
            for user in heads.get(unit.pk) or officials.get(unit.pk) or []
        ]
    reminded, already, claimed = [], [], []
    with transaction.atomic():
        # attempt=0: the Celery task that sends them counts its own attempts.
        owned, _notifications = claim([r for rs in reminders_of.values() for r in rs], attempt=0)
        for unit, reminders in reminders_of.items():
            rows = [owned[r.key].pk for r in reminders if r.key in owned]
            if rows:
                reminded.append(unit)
                claimed += rows
            elif reminders:
                already.append(unit)
        if claimed:
            from .tasks import send_logged_reminders_task

            transaction.on_commit(lambda: _queue(send_logged_reminders_task, claimed))
    return reminded, already


def _queue(task, *args):
    try:
        task.delay(*args)
    except Exception:  # the broker is down: the log rows stay pending and the bell notifications are there
        logger.exception("could not queue %s", task.name)


def send_logged_reminders(log_ids):
    """E-mail the claimed (pending or failed) reminder log rows: one digest per person."""
    rows = list(
        ReminderLog.objects.filter(pk__in=log_ids)
        .exclude(status__in=[ReminderLog.Status.SENT, ReminderLog.Status.SKIPPED])
        .select_related("recipient__unit__agency")
    )
    deadlines = {
        d.pk: d
        for d in Deadline.objects.filter(
            pk__in={r.item_id for r in rows if r.kind == ReminderLog.Kind.REPORT}
        ).select_related("rule__plan__focal_unit", "rule__plan__issuer", "rule__to_unit")
    }
    prefetch_units(list(deadlines.values()))
    by_person = defaultdict(list)
    for row in rows:
        deadline = deadlines.get(row.item_id)
        if deadline is None:
            continue
        by_person[row.recipient].append(
            (
                row,
                Reminder(
                    kind=row.kind,
                    item_id=row.item_id,
                    title=row.title,
                    plan=deadline.rule.plan.display_number,
                    due_date=row.due_date,
                    path=deadline_path_for(row.recipient, deadline),
                    step=row.step,
                    recipient=row.recipient,
                    on=row.run_date,
                ),
            )
        )
    errors = []
    templates, mailer = EmailTemplates("reminder-digest"), Mailer()
    try:
        for user, items in by_person.items():
            ids = [row.pk for row, _r in items]
            ReminderLog.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
            try:
                context = digest_context(user, [r for _row, r in items])
                mailer.send(templates.build(context, [user.email], user.language))
            except Exception as exc:
                ReminderLog.objects.filter(pk__in=ids).update(status=ReminderLog.Status.FAILED, error=str(exc)[:2000])
                errors.append(f"{user.email}: {exc}")
                continue
            ReminderLog.objects.filter(pk__in=ids).update(status=ReminderLog.Status.SENT, sent_at=timezone.now())
    finally:
        mailer.close()
    return errors
