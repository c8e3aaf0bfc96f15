"""The audit trail: who changed what, when, from what to what (django-simple-history).

Every model that matters declares `history = PortalHistory()`; its rows (`Historical<Model>`) are written on
every save and delete with the user of the request (simple_history's HistoryRequestMiddleware). Rows are never
edited or deleted by the portal: the audit page (pci_portal.audit) only reads and exports them.
"""

from simple_history.models import HistoricalRecords


class PortalHistory(HistoricalRecords):
    """HistoricalRecords that skips saves touching only excluded fields (a login's last_login, a password hash)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields or ()):
            return
        super().post_save(instance, created, using=using, **kwargs)


def record_updates(model, pks, *, reason="", user=None):
    """A history row ("~", the state after) for each row of `model` that a QuerySet.update() changed: update()
    sends no signal, so without this a progress update or a moved deadline would be missing from the trail.
    The user is `user`, else the request's (HistoryRequestMiddleware); `reason` fills history_change_reason."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if not manager_name:
        return []
    rows = list(model._base_manager.filter(pk__in=list(pks)))
    if not rows:
        return []
    return getattr(model, manager_name).bulk_history_create(
        rows, update=True, default_user=user, default_change_reason=str(reason)[:100]
    )


def tracked_models():
    """The models with an audit trail, each with its historical model: [(model, historical model)]."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        manager = getattr(model, "_meta", None) and getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            found.append((model, getattr(model, manager).model))
    return sorted(found, key=lambda pair: (pair[0]._meta.app_label, pair[0]._meta.model_name))
