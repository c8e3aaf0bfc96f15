"""Admin pieces every app shares."""


class RecordAdminMixin:
    """Rows the portal writes (sessions, imports): the admin shows them; no one adds or edits one by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdminMixin(RecordAdminMixin):
    """History (task updates, evidence, audit rows) is append-only, in the admin too: not deleted either."""

    def has_delete_permission(self, request, obj=None):
        return False
