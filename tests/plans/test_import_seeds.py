"""The bar of the importer: each source plan, as .txt and as the .docx and text PDF made from it, gives the
plan that demo/data/demo.yaml holds — scored field by field against what `load_demo` produces."""

import pytest

from demo.loader import load_demo
from plans.importing import Directory, read_document
from plans.importing.save import save_draft
from plans.models import Plan

from .import_docs import seed_file
from .import_scoring import score, snapshot

pytestmark = pytest.mark.django_db

DEMO_KEYS = {"tth": "tth-bql-2024", "qng": "qng-sct-2021"}


@pytest.fixture
def demo(reference):
    load_demo()


@pytest.mark.parametrize("seed", ["tth", "qng"])
def test_each_seed_imports_as_the_demo_plan_field_by_field(demo, seed):
    expected = snapshot(Plan.objects.get(key=DEMO_KEYS[seed]))
    directory = Directory.from_db()
    scores = {}
    for fmt in ("txt", "docx", "pdf"):
        data, name = seed_file(seed, fmt)
        draft = read_document(data, name, directory)
        plan = save_draft(draft, key=f"import-{seed}-{fmt}")
        matched, total, misses = score(snapshot(plan, draft), expected)
        scores[fmt] = (matched, total, misses)
        print(f"\nSCORE {seed} {fmt}: {matched}/{total} = {matched / total:.1%}")
        for field, want, got in misses:
            print(f"  {field}: demo={want!r}\n  {' ' * len(field)}  got={got!r}")
        # Every line of the source is accounted for: read into a field, kept verbatim, or listed as not used.
        assert {line.use for line in draft.lines} <= {"used", "verbatim", "unused"}
        assert not [line.text for line in draft.lines if line.use == "unused"], f"{fmt}: every line of a seed is read"
    assert all(not misses for _, _, misses in scores.values()), {f: f"{m}/{t}" for f, (m, t, _) in scores.items()}
