import pytest


@pytest.fixture
def eager(settings):
    """Celery runs tasks in-process (the e-mails of accounts are sent by a task)."""
    from pci_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
