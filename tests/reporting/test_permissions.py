"""Who may read, fill, review and track reports: a matrix, generated."""

import pytest
from django.urls import reverse

from reporting import services

pytestmark = pytest.mark.django_db

# Reading and filling the trade division's (QLTM) report; reviewing it; the deadline's tracker.
EXPECTED = {
    #          view fill review tracker
    "bob": (200, 302, 403, 403),  # head of the division
    "hung": (404, 404, 404, 403),  # head of another division
    "alice": (200, 403, 403, 403),  # official of the division: reads, cannot submit
    "frank": (404, 404, 404, 403),  # official of another division
    "carol": (200, 302, 302, 200),  # focal office of the plan
    "dave": (200, 403, 403, 200),  # leadership reads, the tracker too (read-only)
    "eve": (404, 404, 404, 404),  # another agency
    "admin": (200, 302, 302, 200),
}


@pytest.mark.parametrize("username", EXPECTED)
def test_permission_matrix(client, username, deadline, unit_tasks, org, heads, people):
    user = heads.get(username) or people[username]
    sub = services.submit_report(services.start_submission(deadline, org["qltm"]), heads["bob"])
    services.return_report(sub, people["carol"], "Bổ sung số liệu.")
    client.force_login(user)
    page = reverse("reporting:submission", args=[deadline.pk, org["qltm"].pk])
    view, fill, review, tracker = EXPECTED[username]
    assert client.get(page).status_code == view
    data = {
        "rows-TOTAL_FORMS": "0",
        "rows-INITIAL_FORMS": "0",
        "summary": "Tóm tắt",
        "version": str(sub.version),
        "save": "1",
    }
    assert client.post(page, data).status_code == fill
    sub.status = "submitted"
    sub.save()
    assert client.post(reverse("reporting:submission_accept", args=[sub.pk])).status_code == review
    assert client.get(reverse("reporting:tracker", args=[deadline.pk])).status_code == tracker


def test_a_unit_that_does_not_report_on_the_deadline_is_404(client, deadline, org, people):
    client.force_login(people["carol"])
    # The focal office reports to itself on no deadline; the other agency's division is not a reporting unit.
    for unit in (org["khtcth"], org["stp_hc"]):
        assert client.get(reverse("reporting:submission", args=[deadline.pk, unit.pk])).status_code == 404


def test_official_cannot_submit_through_the_verb_path_either(client, deadline, unit_tasks, org, people):
    client.force_login(people["alice"])
    page = reverse("reporting:submission", args=[deadline.pk, org["qltm"].pk])
    data = {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0", "submit": "1"}
    assert client.post(page, data).status_code == 403
    assert not deadline.submissions.filter(status="submitted").exists()


def test_leader_of_an_agency_that_only_coordinates_a_task_cannot_read_the_reports(
    client, deadline, unit_tasks, org, heads, people
):
    from accounts.models import User
    from tests.factories import UserFactory

    unit_tasks[0].coordinating_units.add(org["stp_hc"])  # Sở Tư pháp coordinates one task: the plan is visible
    stp_leader = UserFactory(username="stp-leader", role=User.Role.LEADER, unit=org["stp"])
    services.save_draft(services.start_submission(deadline, org["qltm"]), heads["bob"], {"summary": "Bản nháp nội bộ"})
    client.force_login(stp_leader)
    page = client.get(reverse("reporting:submission", args=[deadline.pk, org["qltm"].pk]))
    assert page.status_code == 404
    assert "Bản nháp nội bộ" not in page.content.decode()


def test_province_leadership_reads_every_agencys_reports(client, deadline, unit_tasks, org, heads):
    from accounts.models import User
    from tests.factories import UserFactory

    services.save_draft(services.start_submission(deadline, org["qltm"]), heads["bob"], {"summary": "Bản nháp"})
    client.force_login(UserFactory(username="ubnd-leader", role=User.Role.LEADER, unit=org["ubnd"]))
    assert client.get(reverse("reporting:submission", args=[deadline.pk, org["qltm"].pk])).status_code == 200
