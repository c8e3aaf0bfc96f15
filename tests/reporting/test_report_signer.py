"""The signer chosen for each consolidated report: person, title and the forms KT., TL., TUQ., Q."""

import pytest

from reporting.models import Deadline, SignerForm, signature_lines
from reporting.report import build_consolidated_context
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "form, authority, title, lines",
    [
        ("", "", "Giám đốc", ["GIÁM ĐỐC"]),
        (SignerForm.KT, "Giám đốc", "Phó Giám đốc", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        (SignerForm.TL, "Giám đốc", "Chánh Văn phòng", ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
        (SignerForm.TUQ, "Giám đốc", "Trưởng phòng KH-TC-TH", ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG KH-TC-TH"]),
        (SignerForm.Q, "Giám đốc", "", ["Q. GIÁM ĐỐC"]),
    ],
)
def test_signature_lines_follow_nd30(form, authority, title, lines):
    assert signature_lines(form, authority, title) == lines


def test_report_is_signed_by_the_plans_signer_until_the_office_chooses(deadline):
    context = build_consolidated_context(deadline)
    assert (context["signer_lines"], context["signer_name"]) == (["GIÁM ĐỐC"], "Võ Văn Rân")


def test_the_office_chooses_a_deputy_signing_for_the_director(client, deadline, people, org):
    deputy = PersonFactory(key="nguyen-van-a", full_name="Nguyễn Văn An", title="Phó Giám đốc", unit=org["sct"])
    client.force_login(people["carol"])
    response = client.post(
        f"/reports/deadlines/{deadline.pk}/settings/",
        {
            "report_number": "",
            "report_date": "21/11/2025",
            "recipients": "UBND tỉnh (b/c);\nLãnh đạo Sở;\nLưu: VT, KHTCTH.",
            "signer": deputy.pk,
            "signer_form": "KT",
            "signer_authority": "Giám đốc",
            "signer_title": "",
        },
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    context = build_consolidated_context(deadline)
    assert context["signer_lines"] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]  # the deputy's own title, on line two
    assert context["signer_name"] == "Nguyễn Văn An"
    assert context["number"] == "Số:       /BC-SCT"
    assert context["recipient_items"] == ["- UBND tỉnh (b/c);", "- Lãnh đạo Sở;", "- Lưu: VT, KHTCTH."]


def test_ky_thay_without_the_heads_title_is_refused_and_nothing_changes(client, deadline, people):
    client.force_login(people["carol"])
    client.post(
        f"/reports/deadlines/{deadline.pk}/settings/",
        {"report_number": "87/BC-SCT", "report_date": "21/11/2025", "recipients": "", "signer_form": "KT"},
    )
    assert Deadline.objects.get(pk=deadline.pk).signer_form == ""


def test_a_person_of_another_agency_cannot_be_chosen(client, deadline, people, org):
    outsider = PersonFactory(key="stp-gd", full_name="Người Sở Tư pháp", title="Giám đốc", unit=org["stp"])
    client.force_login(people["carol"])
    client.post(
        f"/reports/deadlines/{deadline.pk}/settings/",
        {"report_number": "87/BC-SCT", "report_date": "21/11/2025", "signer": outsider.pk},
    )
    assert Deadline.objects.get(pk=deadline.pk).signer_id is None
