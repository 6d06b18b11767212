from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sanxiang.agencies.services import password_change as password_change_service
from sanxiang.agencies.training_selectors import training_desk
from sanxiang.cases.selectors import cases_handled_by
from sanxiang.core.forms import run_service
from sanxiang.inspections.task_selectors import tasks_due
from sanxiang.licensing.selectors import work_today
from sanxiang.supervision.selectors import notices_to_answer, notices_to_review
from sanxiang.web.forms import PasswordChangeForm
from sanxiang.web.selectors import due_items_for_user
from sanxiang.web.services import notifications_mark_read


def login_refused(request, wait: int):
    """What a login over the rate gets (sanxiang.api.throttling.login_throttled sets 429 and Retry-After)."""
    return render(request, "web/throttled.html", {"wait": wait})


@never_cache
def password_change(request):
    """修改密码: the holder's own change; the only page (with logout) while a change is due."""
    reason = request.user.password_change_reason()
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST":
        user = run_service(
            form, lambda data: password_change_service(actor=request.user, old=data["old"], new=data["new"])
        )
        if user:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form, "reason": reason})


def home(request):
    today = timezone.localdate()
    context = {
        "items": due_items_for_user(request.user, today=today),
        "mine": cases_handled_by(request.user)[:50],
        # 今日任务: the officer's inspection tasks due today or overdue
        "tasks": tasks_due(request.user, today=today)[:50],
        # and the applications waiting for acceptance or a decision soon in the user's agencies
        "licensing": work_today(request.user, today=today),
        # and, for heads and system administrators, the officers still short of this year's training hours
        "training": training_desk(request.user, today=today),
        # 行政执法监督: notices to the head's agency to sign or answer, and responses waiting for the supervisor
        "notices": notices_to_answer(request.user)[:20],
        "to_review": notices_to_review(request.user).count(),
        "today": today,
    }
    return render(request, "web/home.html", context)


@login_not_required
@never_cache
def healthz(request):
    """Liveness probe for load balancers: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def favicon(request):
    """/favicon.ico, which browsers and bookmarks ask for whatever a page names: the site's icon."""
    return redirect(static("sanxiang/favicon.svg"), permanent=True)


def notifications(request):
    """The user's notifications, unread first; POST marks them all read."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("web:notifications")
    items = request.user.notifications.all()[:200]
    return render(request, "web/notifications.html", {"items": items})
