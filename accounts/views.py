from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from plans.models import Plan


@login_required
def home(request):
    """Landing page after login; each role's workspace grows from here."""
    plans = Plan.objects.tracked().visible_to(request.user).select_related("issuer")
    return render(request, "accounts/home.html", {"plans": plans})
