"""Seeds and reads a portal database for the migration test (tests/plans/test_targets_migration.py).

Run in a checkout of the portal (the current directory), with DATABASE_URL naming the database:

    python migration_probe.py seed             # old code: what load_demo and the scale data do not make
    python migration_probe.py snapshot OUT     # old or new code: the rows, as tables and as models, in JSON

It uses nothing but Django and the names both versions share, so the same file reads the database before the
migration with the old code and after it with the new one; models are found by name wherever they live.
"""

import json
import os
import sys

sys.path[:1] = [os.getcwd()]  # the checkout, not this file's directory
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import translation  # noqa: E402

TARGET_MODELS = ["Target", "TargetMember", "Goal", "HistoricalTarget", "HistoricalGoal"]
GROUP_NAME = "Kiểm tra chuyển đổi: biên tập mục tiêu"


def model(name):
    """The model called `name` in indicators or plans (before or after the move)."""
    found = [m for m in apps.get_models() if m.__name__ == name and m._meta.app_label in ("indicators", "plans")]
    assert len(found) == 1, (name, found)
    return found[0]


@transaction.atomic
def seed():
    """A goal over a group of sub-indices with a stated member baseline, an edit in the audit trail, a group,
    a user and a direct permission on the target models, and an admin log line about a target."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    Target, Goal, TargetMember = model("Target"), model("Goal"), model("TargetMember")
    Plan = apps.get_model("plans", "Plan")
    SubIndex = apps.get_model("indicators", "SubIndex")
    User = apps.get_model("accounts", "User")

    plan = Plan.objects.get(key="qng-sct-2021")
    template = Target.objects.filter(plan=plan, subindex__isnull=True, indicator__isnull=True).first()
    group_target = Target.objects.create(
        plan=plan, index=template.index, province=template.province, year=template.year, baseline_year=2020
    )
    members = SubIndex.objects.filter(index=template.index, number__in=[2, 5, 9])
    group_target.subindex_group.set(members)
    TargetMember.objects.filter(target=group_target, subindex__number=5).update(baseline_rank=40)
    Goal.objects.create(target=group_target, kind="rank_lte", value=30, min_count=2)
    template.text = (template.text or "") + " (sửa trước khi chuyển)"
    template.save()  # a "~" row in the audit trail

    editors = Group.objects.create(name=GROUP_NAME)
    editors.permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators", codename__in=["change_target", "view_goal", "add_targetmember"]
        )
    )
    official = User.objects.filter(is_superuser=False).order_by("username").first()
    official.groups.add(editors)
    official.user_permissions.add(Permission.objects.get(content_type__app_label="indicators", codename="delete_goal"))
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or official
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Target),
        object_id=str(template.pk),
        object_repr=str(template)[:200],
        action_flag=CHANGE,
        change_message="[]",
    )


def snapshot():
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from pci_portal.history import tracked_models

    out = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        out["tables"] = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            out["tables"][table] = cursor.fetchone()[0]
    out["models"] = {
        m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True) if m._meta.managed
    }
    out["rows"] = {name: list(model(name)._default_manager.order_by("pk").values()) for name in TARGET_MODELS}
    out["content_types"] = {f"{ct.app_label}.{ct.model}": ct.pk for ct in ContentType.objects.all()}

    User = apps.get_model("accounts", "User")
    out["permissions"] = {
        u.username: sorted(u.get_all_permissions())
        for u in User.objects.filter(is_superuser=False).exclude(groups=None, user_permissions=None).distinct()
    }
    out["group_permissions"] = {
        g.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all())
        for g in Group.objects.all()
    }
    LogEntry = apps.get_model("admin", "LogEntry")
    out["admin_log"] = [
        [
            f"{e.content_type.app_label}.{e.content_type.model}",
            e.object_id,
            type(e.get_edited_object()).__name__ if e.content_type.model_class() else "(no model)",
        ]
        for e in LogEntry.objects.select_related("content_type").order_by("pk")
    ]
    out["audit"] = {model._meta.label: history.objects.count() for model, history in tracked_models()}

    # What a user reads about each target through the ORM: subject, goal, baseline, result, verdict and why.
    Target = model("Target")
    with translation.override("vi"):
        out["assessments"] = {}
        for target in Target.objects.order_by("pk"):
            a = target.assess()
            out["assessments"][target.pk] = [
                a.subject,
                a.goal_text,
                a.baseline_text,
                a.result_text,
                str(a.label),
                a.reasons_text,
                [s.number for s in target.group()],
                target.history.count(),
            ]
    return out


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed()
    else:
        with open(sys.argv[2], "w") as f:
            json.dump(snapshot(), f, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
