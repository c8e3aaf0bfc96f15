"""Users in the portal: create with an invitation, change role and unit, lock (sessions end at once), import from
the Excel template with a preview and per-row Vietnamese errors (re-import updates, never duplicates); the profile
page and "log out other sessions". A province administrator gets 404 on another province's users."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Unit, User, UserImport
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qng_admin(org):
    return UserFactory(username="qng.quantri", role=User.Role.PROVINCE_ADMIN, unit=org["ubnd"])


@pytest.fixture
def outsider(org):
    root = UnitFactory(code="TTH-UBND", name="UBND tỉnh Thừa Thiên Huế", kind=Unit.Kind.PEOPLE_COMMITTEE)
    return UserFactory(username="tth.user", role=User.Role.OFFICIAL, unit=root)


def _link(message):
    return re.search(r"http://\S+", message.get_body(("plain",)).get_content()).group(0)


def logs_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}).status_code == 302


def test_a_new_user_is_invited_by_e_mail_and_sets_a_password(
    client, org, qng_admin, eager, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(qng_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:user_create"),
            {"full_name": "Phạm Thị Hoa", "email": "Hoa.Pham@quangngai.gov.vn", "unit": org["qltm"].pk,
             "role": "official", "title": "Chuyên viên", "phone": "0255 3822 111"},
        )  # fmt: skip
    assert response.status_code == 302
    hoa = User.objects.get(email="hoa.pham@quangngai.gov.vn")
    assert hoa.username == "hoa.pham" and not hoa.has_usable_password() and hoa.unit == org["qltm"]
    [mail] = smtp_server.messages
    assert mail["to"] == ["hoa.pham@quangngai.gov.vn"]
    text = mail["message"].get_body(("plain",)).get_content()
    assert "Tên đăng nhập: hoa.pham" in text and "hết hạn sau 7 ngày" in text and "Phòng Quản lý thương mại" in text
    client.logout()
    form = client.get(_link(mail["message"]), follow=True)
    assert "Chào mừng đến Cổng PCI" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Hoa Sen Ha 2026", "new_password2": "Hoa Sen Ha 2026"}
    )
    assert done.status_code == 302 and done.url == reverse("login")
    assert logs_in(client, "hoa.pham", "Hoa Sen Ha 2026")
    client.logout()
    assert client.get(_link(mail["message"])).status_code == 410  # one-time


def test_a_province_administrator_gets_404_on_another_provinces_users(client, people, qng_admin, outsider):
    client.force_login(qng_admin)
    assert client.get(reverse("people:user_edit", args=[outsider.pk])).status_code == 404
    for action in ("deactivate", "invite", "unlock"):
        assert client.post(reverse("people:user_action", args=[outsider.pk, action])).status_code == 404
    page = client.get(reverse("people:user_list")).content.decode()
    assert "tth.user" not in page and "alice" in page
    # …nor put someone into another province's unit.
    response = client.post(
        reverse("people:user_edit", args=[people["alice"].pk]),
        {"full_name": "A", "email": "alice@example.vn", "unit": outsider.unit.pk, "role": "official"},
    )
    assert response.status_code == 200
    people["alice"].refresh_from_db()
    assert people["alice"].unit.code == "QNG-SCT-QLTM"


def test_an_agency_administrator_cannot_make_a_province_administrator(client, people, org):
    sct_admin = UserFactory(role=User.Role.AGENCY_ADMIN, unit=org["khtcth"])
    client.force_login(sct_admin)
    response = client.post(
        reverse("people:user_edit", args=[people["alice"].pk]),
        {
            "full_name": "Nguyễn Thị Alice",
            "email": "alice@example.vn",
            "unit": org["qltm"].pk,
            "role": "province_admin",
        },
    )
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert client.get(reverse("people:user_edit", args=[people["eve"].pk])).status_code == 404  # Sở Tư pháp


def test_changing_role_and_unit(client, people, org, qng_admin):
    client.force_login(qng_admin)
    response = client.post(
        reverse("people:user_edit", args=[people["alice"].pk]),
        {"full_name": "Nguyễn Thị Alice", "email": "alice@example.vn", "unit": org["qlxnk"].pk, "role": "unit_head",
         "title": "Phó Trưởng phòng", "phone": ""},
    )  # fmt: skip
    assert response.status_code == 302
    alice = User.objects.get(pk=people["alice"].pk)
    assert (alice.unit, alice.role, alice.title) == (org["qlxnk"], "unit_head", "Phó Trưởng phòng")


def test_locking_a_user_ends_their_sessions_at_once(client, people, qng_admin):
    alice_browser = Client()
    assert logs_in(alice_browser, "alice", "mat-khau-123")
    assert alice_browser.get(reverse("plans:my_tasks")).status_code == 200
    client.force_login(qng_admin)
    client.post(reverse("people:user_action", args=[people["alice"].pk, "deactivate"]))
    assert alice_browser.get(reverse("plans:my_tasks")).status_code == 302
    assert not logs_in(Client(), "alice", "mat-khau-123")
    client.post(reverse("people:user_action", args=[people["alice"].pk, "activate"]))
    assert logs_in(Client(), "alice", "mat-khau-123")


def test_people_without_an_administrator_role_cannot_manage_users(client, people):
    for who in ("alice", "carol", "dave"):
        client.force_login(people[who])
        assert client.get(reverse("people:user_list")).status_code == 403
        assert client.get(reverse("people:user_import")).status_code == 403
        assert client.get(reverse("people:user_edit", args=[people["bob"].pk])).status_code == 404


# --- Import from the template -----------------------------------------------------------------------------


def _xlsx(rows, header=("Họ và tên", "E-mail", "Đơn vị", "Vai trò", "Chức vụ", "Điện thoại")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "nguoi-dung.xlsx"
    return out


ROWS = [
    ("Lê Văn Một", "mot@qng.gov.vn", "QNG-SCT-QLTM", "Chuyên viên", "Chuyên viên", "0901000001"),
    ("Lê Văn Hai", "hai@qng.gov.vn", "Phòng Quản lý Xuất nhập khẩu", "Trưởng đơn vị", "Trưởng phòng", ""),
    ("Nguyễn Thị Alice", "alice@example.vn", "QNG-SCT-QLTM", "Chuyên viên", "Chuyên viên chính", ""),
    ("", "ba@qng", "Phòng không có", "Giám đốc", "", ""),
    ("Lê Văn Bốn", "mot@qng.gov.vn", "Sở Tư pháp", "Quản trị viên", "", ""),
]


def _upload(client, rows, capture):
    with capture(execute=True):
        response = client.post(reverse("people:user_import"), {"file": _xlsx(rows)})
    assert response.status_code == 302, response.content.decode()
    return response.url


def test_the_page_offers_a_template_with_the_columns_and_the_administrators_units(client, org, qng_admin):
    client.force_login(qng_admin)
    response = client.get(reverse("people:user_import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Người dùng"][1]] == [
        "Họ và tên",
        "E-mail",
        "Đơn vị",
        "Vai trò",
        "Chức vụ",
        "Điện thoại",
    ]
    codes = [row[0].value for row in wb["Đơn vị"].iter_rows(min_row=2)]
    assert "QNG-SCT-QLTM" in codes and "QNG-STP" in codes


def test_a_unit_named_like_a_formula_is_text_in_the_template(client, org, qng_admin):
    import zipfile

    UnitFactory(code="QNG-SCT-F", name='=HYPERLINK("http://evil.example","Bấm vào đây")', parent=org["sct"])
    client.force_login(qng_admin)
    content = client.get(reverse("people:user_import_template")).content
    names = {row[1].value: row[1] for row in load_workbook(io.BytesIO(content))["Đơn vị"].iter_rows(min_row=2)}
    cell = names['=HYPERLINK("http://evil.example","Bấm vào đây")']  # the text as typed, not a computed value
    assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets


def test_import_previews_with_per_row_errors_then_creates_and_re_import_updates(
    client, people, org, qng_admin, eager, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(qng_admin)
    url = _upload(client, ROWS, django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert "Xem trước: 2 tạo mới, 1 cập nhật, 0 không đổi, 2 dòng lỗi." in page
    assert "Thiếu họ và tên." in page and "E-mail “ba@qng” không hợp lệ." in page
    assert "Không có đơn vị “Phòng không có” trong phạm vi đồng chí quản trị" in page
    assert "Vai trò “Giám đốc” không có" in page
    assert "E-mail trùng với dòng 2." in page and "Đồng chí không được giao vai trò “Quản trị viên”." in page
    assert not User.objects.filter(email="mot@qng.gov.vn").exists()  # nothing written before confirming

    job = UserImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:user_import_confirm", args=[job.pk]))
    page = client.get(url).content.decode()
    assert "Đã nhập xong: 2 tài khoản mới (đã gửi thư mời), 1 tài khoản cập nhật" in page
    assert User.objects.get(email="hai@qng.gov.vn").unit == org["qlxnk"]
    assert User.objects.get(pk=people["alice"].pk).title == "Chuyên viên chính"
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["hai@qng.gov.vn", "mot@qng.gov.vn"]

    # The same file again: nothing new, nothing duplicated; a changed title is an update.
    again = [ROWS[0][:4] + ("Phó Trưởng phòng", ""), ROWS[1], ROWS[2]]
    url = _upload(client, again, django_capture_on_commit_callbacks)
    assert "Xem trước: 0 tạo mới, 1 cập nhật, 2 không đổi, 0 dòng lỗi." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:user_import_confirm", args=[UserImport.objects.order_by("-created_at")[0].pk]))
    assert User.objects.filter(email="mot@qng.gov.vn").count() == 1
    assert User.objects.get(email="mot@qng.gov.vn").title == "Phó Trưởng phòng"
    assert len(smtp_server.messages) == 2  # no second invitation


def test_a_file_that_is_not_the_template_is_refused_in_vietnamese(
    client, qng_admin, eager, django_capture_on_commit_callbacks
):
    client.force_login(qng_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:user_import"), {"file": _xlsx([("x",)], header=("Tên", "Thư"))})
    url = response.url
    assert "Dòng tiêu đề thiếu cột: Họ và tên, E-mail, Đơn vị, Vai trò" in client.get(url).content.decode()
    fake = io.BytesIO(b"<html>not a workbook</html>")
    fake.name = "nguoi-dung.xlsx"
    response = client.post(reverse("people:user_import"), {"file": fake})
    assert response.status_code == 200 and "không phải" in response.content.decode().lower()


def test_another_administrator_cannot_open_my_import(client, qng_admin, org, eager, django_capture_on_commit_callbacks):
    client.force_login(qng_admin)
    url = _upload(client, ROWS[:1], django_capture_on_commit_callbacks)
    client.force_login(UserFactory(role=User.Role.PROVINCE_ADMIN, unit=org["ubnd"]))
    assert client.get(url).status_code == 404


# --- Profile and sessions ----------------------------------------------------------------------------------


def test_the_profile_page_keeps_contact_details_and_notification_choices(client, people):
    client.force_login(people["alice"])
    page = client.get(reverse("profile")).content.decode()
    assert "Thông tin cá nhân" in page and "Tùy chọn nhận thông báo" in page and "Các phiên đăng nhập" in page
    response = client.post(
        reverse("profile"),
        {"section": "profile", "profile-full_name": "Nguyễn Thị Alice", "profile-title": "Chuyên viên chính",
         "profile-phone": "0255 3822 999", "profile-email": "alice.nguyen@example.vn"},
    )  # fmt: skip
    assert response.status_code == 302
    alice = User.objects.get(pk=people["alice"].pk)
    assert (alice.title, alice.phone, alice.email) == ("Chuyên viên chính", "0255 3822 999", "alice.nguyen@example.vn")
    taken = client.post(
        reverse("profile"),
        {"section": "profile", "profile-full_name": "A", "profile-email": "bob@example.vn"},
    )
    assert "E-mail này đã thuộc một tài khoản khác." in taken.content.decode()


def test_log_out_other_sessions(client, people):
    other = Client()
    assert logs_in(other, "alice", "mat-khau-123")
    assert logs_in(client, "alice", "mat-khau-123")
    page = client.get(reverse("profile")).content.decode()
    assert page.count("từ ") >= 2 and "phiên này" in page
    response = client.post(reverse("logout_other_sessions"), follow=True)
    assert "Đã đăng xuất 1 phiên khác." in response.content.decode()
    assert other.get(reverse("plans:my_tasks")).status_code == 302
    assert client.get(reverse("plans:my_tasks")).status_code == 200


def test_a_leader_created_in_the_portal_is_a_person_plans_can_name(client, org, qng_admin):
    client.force_login(qng_admin)
    client.post(
        reverse("people:user_create"),
        {"full_name": "Võ Văn Rân", "email": "ran@qng.gov.vn", "unit": org["sct"].pk, "role": "leader",
         "title": "Giám đốc Sở"},
    )  # fmt: skip
    ran = User.objects.get(email="ran@qng.gov.vn")
    assert (ran.person.full_name, ran.person.title, ran.person.unit) == ("Võ Văn Rân", "Giám đốc Sở", org["sct"])
