from sanxiang.web.models import Notification


def notifications(request):
    """The number of unread notifications, for the bell in the workbench header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workbench/"):
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
