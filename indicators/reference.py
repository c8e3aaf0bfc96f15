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


def _has_model(get_model, name):
    try:
        get_model("indicators", name)
    except LookupError:
        return False
    return True


def _load_regions(Region, Province, data, old_by_code):
    """The regions of both periods with their members: the 63 by their `region`, the 34 by the stated rule."""
    before = {}
    for r in data.get("regions") or []:
        region, _ = Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "name_en": r.get("name_en", ""),
                "from_year": r.get("from_year"),
                "to_year": r.get("to_year"),
            },
        )
        before[r["name"]] = region
        region.provinces.set([p for p, old in old_by_code.values() if old.get("region") == r["name"]])
    after = {}
    for r in data.get("regions_2025") or []:
        region, _ = Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "name_en": r.get("name_en", ""),
                "from_year": r.get("from_year"),
                "to_year": r.get("to_year"),
            },
        )
        after[r["name"]] = (region, [])
    for new in data["provinces_2025"]:
        first = old_by_code[new["merged_from_codes"][0]][1]
        name = new.get("region") or first.get("region", "")
        unit = Province.objects.get(code=new["code"])
        if unit.region != name:
            Province.objects.filter(pk=unit.pk).update(region=name)
        after[name][1].append(unit)
    for region, members in after.values():
        region.provinces.set(members)


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

    Region = get_model("indicators", "Region") if _has_model(get_model, "Region") else None
    TierLevel = get_model("indicators", "TierLevel") if _has_model(get_model, "TierLevel") else None
    if TierLevel is not None:
        positions = {}
        for tier in data.get("tiers") or []:
            index = Index.objects.get(code=tier.get("index", "PCI"))
            position = positions.setdefault(index.pk, 0)
            positions[index.pk] += 1
            TierLevel.objects.update_or_create(
                index=index,
                code=tier["code"],
                from_year=tier.get("from_year"),
                defaults={
                    "name": tier["name"],
                    "name_en": tier.get("name_en", ""),
                    "position": position,
                    "to_year": tier.get("to_year"),
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
    renamed = {
        new["code"]: new
        for new in data["provinces_2025"]
        if new.get("merged_from_codes") == [new.get("code")] and new["merged_from"] != [new["name"]]
    }
    old_by_code = {}
    for old in data["provinces"]:
        successor = merged_into.get(old["name"])
        new = renamed.get(old["code"])
        prov, _ = Province.objects.update_or_create(
            code=old["code"],
            defaults={
                "name": old["name"],
                "name_en": old.get("name_en", ""),
                "kind": (new or old).get("kind", "province"),
                "region": old.get("region", ""),
                "valid_from": None,
                "valid_to": MERGER_DATE - datetime.timedelta(days=1) if successor else None,
                "successor": successor,
                "note": (new or old).get("note", ""),
            }
            | _if_field(
                Province,
                renamed_to=new["name"] if new else "",
                renamed_on=new.get("renamed_on") if new else None,
            ),
        )
        old_by_code[old["code"]] = (prov, old)
    if Region is not None:
        _load_regions(Region, Province, data, old_by_code)
