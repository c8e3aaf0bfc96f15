"""Two people pressing "Lưu" on the same plan, section, task, target or rule at the same moment: the second save
waits for the first (a row lock from the version check to the commit), then is stopped by the version check
instead of silently overwriting it. Real concurrency: two requests in two threads on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from .test_edit_versions import CASES, STALE, form_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


@pytest.mark.parametrize("what, url, field, theirs, model", CASES, ids=[c[0] for c in CASES])
def test_the_second_of_two_simultaneous_saves_waits_and_is_stopped_by_the_version_check(
    objects, people, monkeypatch, what, url, field, theirs, model
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    obj = objects[what]
    url = url.format(pk=obj.pk)
    clients = {}
    for name in ("first", "second"):
        clients[name] = Client()
        clients[name].force_login(people["carol"])
    shown = form_data(clients["first"].get(url).content.decode())  # both opened the form before either saved

    first_saving, let_first_commit = threading.Event(), threading.Event()
    real_save = model.save
    calls = []

    def save(self, *args, **kwargs):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:  # the first save has passed its version check and holds the row: it pauses here
            first_saving.set()
            assert let_first_commit.wait(30)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)
    responses = {}

    def post(name, text):
        try:
            responses[name] = clients[name].post(url, {**shown, field: text})
        finally:
            connection.close()

    first = threading.Thread(target=post, args=("first", "Bản của người thứ nhất"), name="first")
    second = threading.Thread(target=post, args=("second", "Bản của người thứ hai"), name="second")
    first.start()
    assert first_saving.wait(30)
    second.start()
    second.join(2)
    assert second.is_alive()  # waiting for the first save's row lock, not reading the row as it was
    let_first_commit.set()
    first.join(30)
    second.join(30)

    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200 and STALE in responses["second"].content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == "Bản của người thứ nhất"
    assert calls == ["first"]  # the second never saved
