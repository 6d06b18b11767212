from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sanxiang.web.selectors import due_items_for_user
from sanxiang.web.services import notifications_mark_read


def home(request):
    today = timezone.localdate()
    return render(request, "web/home.html", {"items": due_items_for_user(request.user, today=today), "today": today})


@login_not_required
@never_cache
def healthz(request):
    """Liveness probe for load balancers: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


def notifications(request):
    """The user's notifications, unread first; POST marks them all read."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("web:notifications")
    items = request.user.notifications.all()[:200]
    return render(request, "web/notifications.html", {"items": items})
