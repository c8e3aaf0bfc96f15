from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from .models import User


@login_required
def home(request):
    """Each role lands where its work is: officials and unit heads on their tasks, the focal office on the
    plans it keeps, leadership and administrators on the list of plans (the dashboard lives at /dashboard/)."""
    user = request.user
    if user.is_admin_role or user.role == User.Role.LEADER:
        return redirect("plans:plan_list")
    if user.role == User.Role.FOCAL:
        return redirect(reverse("plans:plan_list") + "?mine=1")
    return redirect("plans:my_tasks")
