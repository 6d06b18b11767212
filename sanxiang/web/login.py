"""Staff login in two steps (等保2.0: two factors): the password, then a 6-digit code from the authenticator app —
or, where the account has one and the browser can use it, a security key (WebAuthn).

The password step signs nobody in: it remembers the account in the session for a few minutes and sends it to the
second step (or, for an account an administrator has issued an enrolment, to binding its authenticator). Only a
correct code signs the user in, so the lock-out forgets earlier failures only once both factors passed.
"""

import base64
import time

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sanxiang.agencies.models import User
from sanxiang.agencies.security_keys import relying_party
from sanxiang.agencies.selectors import otp_enrolment_open
from sanxiang.agencies.services import otp_enrolment_begin, otp_enrolment_complete, security_key_check
from sanxiang.core.middleware import second_factor_exempt
from sanxiang.core.second_factor import Outcome, code_check, code_failed, confirmed_device, cooloff_seconds
from sanxiang.web.security_keys import challenge_take, login_options

PENDING = "second_factor_pending"
# The password step is good for this long; after it the user starts again from the password.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态验证码"),
        min_length=6,
        max_length=6,
        help_text=gettext_lazy("手机验证器（如微信小程序、Google Authenticator、FreeOTP）上显示的 6 位数字"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(_("请输入 6 位数字。"))
        return code


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is not None:
            step = "web:second-factor"
        elif otp_enrolment_open(staff=user) is not None:
            step = "web:enrol"
        else:
            form.add_error(
                None, _("此账号尚未绑定动态验证码，不能登录。请联系本机关系统管理员签发动态验证码绑定后再登录。")
            )
            return self.form_invalid(form)
        # A new session: nothing of an earlier one (even a half-signed-in account) carries into this login.
        self.request.session.flush()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect(step)


def _pending(request) -> tuple[User | None, dict]:
    """The account that passed the password step in this session (or signed in some other way without the second
    factor), and where to go after it."""
    if request.user.is_authenticated:
        return request.user, {"backend": request.session.get(BACKEND_SESSION_KEY), "next": ""}
    state = request.session.get(PENDING)
    if not state or time.time() - state["at"] > PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=state["user"], is_active=True).select_related("agency").first()
    return user, state


def _sign_in(request, user, state, device):
    if not request.user.is_authenticated:
        login(request, user, backend=state["backend"])
    otp_login(request, device)
    request.session.pop(PENDING, None)
    return redirect(state.get("next") or "web:home")


def _locked(request):
    request.session.flush()
    return render(request, "web/locked_out.html", {"cooloff_minutes": cooloff_seconds() // 60}, status=429)


def _start_again(request, message):
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("web:login")


@login_not_required
@second_factor_exempt
@sensitive_post_parameters("code")
@never_cache
def second_factor(request):
    """The second step: the code from the account's authenticator."""
    user, state = _pending(request)
    if user is None:
        return _start_again(request, _("登录已超时，请重新输入用户名和密码。"))
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("web:home")
    if confirmed_device(user) is None:
        if otp_enrolment_open(staff=user) is not None:
            return redirect("web:enrol")
        return _start_again(request, _("此账号尚未绑定动态验证码，不能登录。请联系本机关系统管理员。"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, device = code_check(request=request, user=user, code=form.cleaned_data["code"])
        if outcome is Outcome.VERIFIED:
            return _sign_in(request, user, state, device)
        if outcome is Outcome.LOCKED:
            return _locked(request)
        if outcome is Outcome.THROTTLED:
            form.add_error("code", _("尝试过于频繁，请等几秒后输入验证器上的新数字。"))
        else:
            form.add_error("code", _("动态验证码不正确或已用过，请输入验证器上当前显示的 6 位数字。"))
    key_options = login_options(request, user=user, rp=relying_party(request))
    return render(request, "web/second_factor.html", {"form": form, "account": user, "key_options": key_options})


@login_not_required
@second_factor_exempt
@sensitive_post_parameters("credential")
@never_cache
@require_POST
def security_key_login(request):
    """The second step with a security key: the browser's answer to the challenge the code page offered."""
    user, state = _pending(request)
    if user is None:
        return _start_again(request, _("登录已超时，请重新输入用户名和密码。"))
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("web:home")
    outcome, key = security_key_check(
        request=request,
        user=user,
        credential=request.POST.get("credential", ""),
        challenge=challenge_take(request.session, purpose="login", user=user),
        relying_party=relying_party(request),
    )
    if outcome is Outcome.VERIFIED:
        return _sign_in(request, user, state, key)
    if outcome is Outcome.LOCKED:
        return _locked(request)
    messages.error(
        request, _("安全密钥验证未通过（密钥不属于此账号、已删除，或操作已超时）。请重试，或输入动态验证码。")
    )
    return redirect("web:second-factor")


@login_not_required
@second_factor_exempt
@sensitive_post_parameters("code")
@never_cache
def enrol(request):
    """Binding an authenticator, for an account an administrator has issued an enrolment: scan, then confirm."""
    user, state = _pending(request)
    if user is None:
        return _start_again(request, _("登录已超时，请重新输入用户名和密码。"))
    if otp_enrolment_open(staff=user) is None:
        if confirmed_device(user) is not None:
            return redirect("web:second-factor")
        return _start_again(request, _("没有待完成的动态验证码绑定，或已过期。请联系本机关系统管理员重新签发。"))
    device = otp_enrolment_begin(staff=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_enrolment_complete(staff=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            if code_failed(request, user):
                return _locked(request)
            form.add_error("code", error.messages[0])
        else:
            messages.success(request, _("动态验证码已绑定。以后登录时请输入验证器上的 6 位数字。"))
            return _sign_in(request, user, state, device)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, omitsize=True)
    return render(
        request,
        "web/enrol.html",
        {"form": form, "account": user, "qr": qr, "secret": _spaced(device.bin_key)},
    )


def _spaced(key: bytes) -> str:
    """The seed in base32, in groups of four, for typing into an app that cannot scan."""
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
