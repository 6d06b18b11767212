from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from rest_framework.views import APIView

# No inline scripts or styles anywhere: pages load /static/ files only, so an injected <script> cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not: a strict CSP and a closed Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Deny by default; API views are left to DRF, whose default permission is IsAuthenticated.

    Letting DRF decide keeps token-authenticated devices from being redirected to an HTML login page, while a
    view that forgets its permissions still refuses anonymous callers.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def second_factor_exempt(view):
    """Marks the few views a session signed in with its password alone may reach: the second step and logout."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware:
    """Deny by default to a session that has not passed the second factor (等保2.0: two factors for staff).

    The workbench login only signs a user in once both factors pass, but any other way to a session (Django's
    admin login, a session from before two-factor login) ends here: workbench pages send it to the second step;
    public pages and the API see it as anonymous, so a page that shows more to staff shows it nothing more, and
    the API answers `second_factor_required`. Bearer tokens are not sessions: they were obtained with both factors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or getattr(view_func, "second_factor_exempt", False):
            return None
        view_class = getattr(view_func, "cls", None)
        is_api = view_class is not None and issubclass(view_class, APIView)
        if is_api or not getattr(view_func, "login_required", True):
            request.user = AnonymousUser()
            request.second_factor_pending = True
            return None
        return redirect_to_login(request.get_full_path(), resolve_url(settings.SECOND_FACTOR_URL))
