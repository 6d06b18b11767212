from django.utils.functional import SimpleLazyObject

from sanxiang.audit.selectors import can_audit, can_read_security_log
from sanxiang.inspections.feedback_selectors import may_supervise
from sanxiang.publicity.selectors import acts_for
from sanxiang.supervision.selectors import reads_notices
from sanxiang.web.models import Notification


def notifications(request):
    """The number of unread notifications, for the bell in the workbench header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workbench/"):
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}


def menu(request):
    """Which items of the workbench menu that only some may use to offer (asked only if a page shows the menu): the
    audit page, the security audit log, the supervision of inspections, the notices of 行政执法监督, and the publicity desk's import and manual licence entry — each read from
    the check its page makes."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workbench/"):
        return {}
    return {
        "audits": SimpleLazyObject(lambda: can_audit(user)),
        "reads_security_log": SimpleLazyObject(lambda: can_read_security_log(user)),
        "does_publicity": SimpleLazyObject(lambda: user.agency is not None and acts_for(user, user.agency)),
        "supervises": SimpleLazyObject(lambda: may_supervise(user)),
        "reads_notices": SimpleLazyObject(lambda: reads_notices(user)),
    }


def layout(request):
    """The frame of a page that belongs to no app (the 403 and 404 pages): the workbench's, with its menu, for staff
    signed in with both factors on a workbench address; the public portal's otherwise. Either way the user has a
    way on from the page."""
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)()
    return {"layout": "workbench.html" if staff and request.path.startswith("/workbench/") else "portal.html"}
