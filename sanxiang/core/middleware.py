from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from sanxiang.core.logs import request_id, request_id_begin, request_id_end

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


class RequestIdMiddleware:
    """Returns the request's id (the proxy's X-Request-ID when well formed, else one of ours; core.logs), which every
    log line written while serving it carries, in the response's X-Request-ID: a user's report, the proxy's access
    log and the servers' logs meet on one id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # named already when the handler received it (core.logs.request_began); a handler that sends no
        # request_started (none of Django's) gets its name here, cleared again once answered
        chosen, named_here = request_id(), False
        if chosen is None:
            chosen, named_here = request_id_begin(request.headers.get("X-Request-ID")), True
        try:
            response = self.get_response(request)
        finally:
            if named_here:
                request_id_end()
        response.headers["X-Request-ID"] = chosen
        return response


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
        if _api(view_func):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _api(view_func) -> bool:
    """Whether a view is one of DRF's (its authentication and permissions are DRF's to judge)."""
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and issubclass(view_class, APIView)


def _public(view_func) -> bool:
    """Whether a view is open to anonymous visitors: a page marked login_not_required, or an API view whose every
    permission is AllowAny."""
    if _api(view_func):
        return all(permission is AllowAny for permission in view_func.cls.permission_classes)
    return not getattr(view_func, "login_required", True)


class AnonymousBodyMiddleware:
    """Refuse the body of an anonymous request before anything reads it (a session past its password alone is
    anonymous here: `_signed_in`).

    Reading request.POST or request.FILES spools a multipart body to FILE_UPLOAD_TEMP_DIR, and the CSRF check reads
    it before LoginRequiredMiddleware redirects: anyone could fill the disk without logging in. So an anonymous
    request with a body larger than ANONYMOUS_BODY_MAX_BYTES (the login form and the portal's forms are far
    smaller, and a body that small is never spooled), or a multipart body to anything but a public view, is answered
    at once from its headers, the body left unread: a page asks for login, the API answers 401, a public page 413. An API call that carries its bearer token goes on: DRF checks the
    token before it parses the body. Placed before CsrfViewMiddleware, whose process_view reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH", "DELETE") or _signed_in(request.user):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The views a password-only session may reach (second step, enrolment, logout) take its small bodies.
        public = _public(view_func) or (request.user.is_authenticated and _second_factor_exempt(view_func))
        if length <= settings.ANONYMOUS_BODY_MAX_BYTES and (
            public or not request.content_type.startswith("multipart/")
        ):
            return None
        if _api(view_func):
            # DRF checks a bearer token before it parses the body; APIClient.force_authenticate (tests) likewise
            # authenticates inside the view.
            if request.META.get("HTTP_AUTHORIZATION") or getattr(request, "_force_auth_user", None) is not None:
                return None
            return JsonResponse(
                {"error": {"code": "not_authenticated", "message": _("请先登录，或提供有效的访问令牌。")}},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        if public:
            return HttpResponse(_("请求内容过大。"), status=413, content_type="text/plain; charset=utf-8")
        # A session past its password only belongs at the second step.
        step = settings.SECOND_FACTOR_URL if request.user.is_authenticated else settings.LOGIN_URL
        return redirect_to_login(request.get_full_path(), resolve_url(step))


def _signed_in(user) -> bool:
    """Signed in with both factors. A session past its password alone is anonymous for request bodies too: it may
    post the small forms of the second step and enrolment (public views), and nothing larger."""
    return user.is_authenticated and user.is_verified()


class PrivateCacheMiddleware:
    """`Cache-Control: no-store` on every answer a shared or browser cache must not keep: workbench pages and
    downloads (any view that needs a login) and every API answer. Public portal pages keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and (_api(match.func) or not _public(match.func)):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response


def _second_factor_exempt(view_func) -> bool:
    return getattr(view_func, "second_factor_exempt", False)


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
        if not user.is_authenticated or user.is_verified() or _second_factor_exempt(view_func):
            return None
        if _api(view_func) or not getattr(view_func, "login_required", True):
            request.user = AnonymousUser()
            request.second_factor_pending = True
            return None
        return redirect_to_login(request.get_full_path(), resolve_url(settings.SECOND_FACTOR_URL))
