"""Keeping `UserSession` rows in step with logins and logouts."""


def remember_session(sender, request, user, **kwargs):
    from .models import UserSession

    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    meta = getattr(request, "META", {})
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": meta.get("REMOTE_ADDR") or None,
            "user_agent": (meta.get("HTTP_USER_AGENT") or "")[:255],
        },
    )


def forget_session(sender, request, user, **kwargs):
    from .models import UserSession

    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
