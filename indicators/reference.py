"""The reference data every installation gets: indices, PCI sub-indices and indicators, provinces.

Read from indicators/data/reference.yaml by a data migration (with the historical
models) and by `manage.py load_reference` (to pick up corrections). Idempotent:
rows are matched by their codes.
"""

import datetime
from pathlib import Path

import yaml

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "reference.yaml"
MERGER_DATE = datetime.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15 takes effect


def read_reference():
    with open(REFERENCE_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def names_2025():
    """{code: name} of the units of 1 July 2025 whose row continues an older one under another name."""
    return {
        new["code"]: new["name"]
        for new in read_reference()["provinces_2025"]
        if new.get("merged_from_codes") == [new.get("code")] and new["merged_from"] != [new["name"]]
    }


def _if_field(model, **values):
    """The values whose field the (possibly historical, older) model has: migrations run this loader too."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in values.items() if k in names}


def load_reference(get_model=None):
    """Create or update the reference rows; `get_model(app_label, name)` lets a migration pass its apps."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Index = get_model("indicators", "Index")
    SubIndex = get_model("indicators", "SubIndex")
    SubIndexName = get_model("indicators", "SubIndexName")
    Indicator = get_model("indicators", "Indicator")
    Province = get_model("indicators", "Province")
    data = read_reference()

    for idx in data["indices"]:
        index, _ = Index.objects.update_or_create(
            code=idx["code"],
            defaults={
                "name": idx["name"],
                "name_en": idx.get("name_en", ""),
                "publisher": idx.get("publisher", ""),
                "first_year": idx.get("first_year"),
                "score_max": idx.get("score_max"),
            }
            | _if_field(Index, unit=idx.get("unit", "")),
        )
        for sub in idx.get("subindices") or []:
            subindex, _ = SubIndex.objects.update_or_create(
                index=index,
                number=int(sub["code"]),
                defaults={"name": sub["name"], "name_en": sub.get("name_en", ""), "weight": sub.get("weight")},
            )
            for n in sub.get("names") or []:
                SubIndexName.objects.update_or_create(
                    subindex=subindex,
                    from_year=n.get("from_year"),
                    to_year=n.get("to_year"),
                    defaults={"name": n["name"], "name_en": n.get("name_en", "")},
                )
            for order, ind in enumerate(sub.get("indicators") or []):
                Indicator.objects.update_or_create(
                    code=ind["code"],
                    defaults={
                        "subindex": subindex,
                        "name": ind["name"],
                        "name_en": ind.get("name_en", ""),
                        "group": ind.get("group", ""),
                        "from_year": ind.get("from_year"),
                        "to_year": ind.get("to_year"),
                        "order": order,
                    },
                )

    merged_into = {}
    new_units = {}
    for new in data["provinces_2025"]:
        sources = new["merged_from"]
        if sources == [new["name"]] or new.get("merged_from_codes") == [new.get("code")]:
            continue  # unchanged or only renamed (Thừa Thiên Huế → Huế): the old row simply continues
        code = new.get("code") or new["name"]
        prov, _ = Province.objects.update_or_create(
            code=code,
            defaults={
                "name": new["name"],
                "name_en": new.get("name_en", ""),
                "kind": new.get("kind", "province"),
                "region": new.get("region", ""),
                "valid_from": MERGER_DATE,
                "valid_to": None,
                "note": new.get("note", ""),
            },
        )
        new_units[new["name"]] = prov
        for old in sources:
            merged_into[old] = prov
    for old in data["provinces"]:
        successor = merged_into.get(old["name"])
        Province.objects.update_or_create(
            code=old["code"],
            defaults={
                "name": old["name"],
                "name_en": old.get("name_en", ""),
                "kind": old.get("kind", "province"),
                "region": old.get("region", ""),
                "valid_from": None,
                "valid_to": MERGER_DATE - datetime.timedelta(days=1) if successor else None,
                "successor": successor,
                "note": old.get("note", ""),
            },
        )
