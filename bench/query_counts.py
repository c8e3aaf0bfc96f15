#!/usr/bin/env python
"""SQL statements per page as the data grows: the plan page and the public page with 0, 1, 5 and 10 targets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pci_bench python bench/query_counts.py

Runs on the scale data (`manage.py generate_scale_data`), through Django's test client as the official of
the bench logins, inside a transaction that is rolled back: the targets it adds (one sub-index each, a
"rank ≤ 25" goal) never stay. Prints the statements per page and per added target; the goal of issue 15 is
0 per target (one pass for all the targets of a page).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")
os.environ.setdefault("DEBUG", "1")  # static files without a manifest; counts do not depend on it
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pci_bench")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["AXES_ENABLED"] = "0"


def main():
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from devtools.bench_users import BENCH_USERS
    from indicators.models import Index, SubIndex
    from plans.models import Goal, Plan, Target

    setup_test_environment()  # the test client's response.context and no ALLOWED_HOSTS surprise
    official = User.objects.get(username=BENCH_USERS["official"])
    plan = Plan.objects.filter(issuer=official.unit.agency).order_by("id").first()
    pci = Index.objects.get(code="PCI")
    subindices = list(SubIndex.objects.filter(index=pci).order_by("number"))
    province = official.unit.top_unit().province
    pages = {
        "plan page": reverse("plans:plan_detail", args=[plan.pk]),
        "public page": reverse("public:plan", args=[plan.key]),
    }
    client = Client()
    client.force_login(official)
    print(f"{connection.settings_dict['NAME']} · plan {plan.pk} · as {official.username}")
    print(f"{'page':<12} " + " ".join(f"{f'{n} targets':>11}" for n in (0, 1, 5, 10)) + f" {'per target':>11}")
    for name, url in pages.items():
        counts = []
        for n in (0, 1, 5, 10):
            with transaction.atomic():
                Target.objects.filter(plan=plan).delete()
                if name == "public page":
                    Plan.objects.filter(pk=plan.pk).update(is_public=True)
                for i in range(n):
                    target = Target.objects.create(
                        plan=plan,
                        index=pci,
                        subindex=subindices[i % len(subindices)],
                        province=province,
                        year=2024,
                        baseline_year=2023,
                    )
                    Goal.objects.create(target=target, kind=Goal.Kind.RANK_LTE, value=25)
                client.get(url)  # warm the session and caches
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                counts.append(len(queries) if status == 200 else f"HTTP {status}")
                transaction.set_rollback(True)
        per = (counts[-1] - counts[0]) / 10 if all(isinstance(c, int) for c in counts) else "–"
        print(f"{name:<12} " + " ".join(f"{c:>11}" for c in counts) + f" {per:>11}")


if __name__ == "__main__":
    main()
