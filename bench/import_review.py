"""Weight of the plan-import review page: the Quảng Ngãi seed (.docx) read for the focal office of the demo,
with the demo's unit tree and with UNITS more units in the same province tree (a province at scale).

    DATABASE_URL=… python bench/import_review.py [UNITS]      # after `manage.py load_demo`

Prints bytes, <option> elements and SQL statements of one GET of the review page. Nothing is kept: the extra
units and the import are rolled back (the uploaded copy of the seed is removed from storage).
Figures do not depend on machine load.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pci_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Unit, User  # noqa: E402
from plans.models import PlanImport  # noqa: E402
from plans.tasks import run_import  # noqa: E402
from tests.plans.import_docs import seed_file  # noqa: E402


class Rollback(Exception):
    pass


def measure(extra):
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username="qng.tonghop")
    top = Unit.objects.get(code="QNG-UBND")
    for d in range(extra // 10):
        agency = Unit.objects.create(code=f"BENCH-D{d}", name=f"Cơ quan thử {d}", kind="department", parent=top)
        for k in range(9):
            Unit.objects.create(code=f"BENCH-D{d}-{k}", name=f"Phòng {k} của cơ quan thử {d}", parent=agency)
    data, name = seed_file("qng", "docx")
    imp = PlanImport.objects.create(
        file=SimpleUploadedFile(name, data), original_name=name, size=len(data), created_by=user
    )
    stored = imp.file
    try:
        run_import(imp.pk)
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/imports/{imp.pk}/")
        body = response.content.decode()
        units = Unit.objects.filter(path__startswith=top.path).count()
        print(
            f"{units} units in the tree: status {response.status_code}, {len(response.content) // 1024} KB, "
            f"{body.count('<option')} <option>, {len(queries)} SQL statements"
        )
    finally:
        stored.storage.delete(stored.name)


if __name__ == "__main__":
    for extra in (0, int(sys.argv[1]) if len(sys.argv) > 1 else 400):
        try:
            with transaction.atomic():
                measure(extra)
                raise Rollback
        except Rollback:
            pass
