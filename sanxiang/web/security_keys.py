"""安全密钥: the holder's own page of security keys (WebAuthn), and the challenges their ceremonies answer.

A challenge lives in the session, for one purpose and one account, CHALLENGE_SECONDS at most, and is taken out
before its answer is checked, so an answer is good once: a replay finds no challenge, or a newer one it did not sign.
"""

import time

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from sanxiang.agencies.security_keys import (
    CHALLENGE_SECONDS,
    authentication_options,
    registration_options,
    relying_party,
)
from sanxiang.agencies.selectors import security_key_get_for_user, security_keys_of
from sanxiang.agencies.services import security_key_register, security_key_remove
from sanxiang.core.forms import run_service

CHALLENGE = "security_key_challenge"


def challenge_keep(session, *, purpose: str, user, challenge: bytes) -> None:
    """Remember the challenge just sent to the browser (replacing any earlier one)."""
    session[CHALLENGE] = {
        "purpose": purpose,
        "user": user.pk,
        "challenge": bytes_to_base64url(challenge),
        "at": time.time(),
    }


def challenge_take(session, *, purpose: str, user) -> bytes | None:
    """The challenge kept for this purpose and account, removed from the session; None if there is none (already
    used), it was for something else, or it is too old."""
    kept = session.pop(CHALLENGE, None)
    if not kept or kept["purpose"] != purpose or kept["user"] != user.pk:
        return None
    if time.time() - kept["at"] > CHALLENGE_SECONDS:
        return None
    return base64url_to_bytes(kept["challenge"])


def login_options(request, *, user, rp) -> dict | None:
    """The options of a login with one of `user`'s keys (None if the account has none, or the page's address cannot
    have keys), their challenge kept for the answer."""
    keys = security_keys_of(user=user)
    if not keys or rp is None:
        return None
    options, challenge = authentication_options(keys=keys, rp=rp)
    challenge_keep(request.session, purpose="login", user=user, challenge=challenge)
    return options


class SecurityKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=64,
        initial=gettext_lazy("安全密钥"),
        help_text=gettext_lazy("便于日后辨认，如“蓝色 USB 密钥”“办公电脑”"),
    )
    # The browser's answer (JSON), filled in by security_key.js.
    credential = forms.CharField(widget=forms.HiddenInput, required=False)


@never_cache
def security_keys(request):
    """安全密钥: the holder's keys; adding one needs this session's second factor, which approves it."""
    rp = relying_party(request)
    form = SecurityKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rp is None or not form.cleaned_data["credential"]:
            form.add_error(None, _("此浏览器或此访问地址不能使用安全密钥，未添加。"))
        else:
            key = run_service(
                form,
                lambda data: security_key_register(
                    actor=request.user,
                    approved_by=getattr(request.user, "otp_device", None),
                    credential=data["credential"],
                    challenge=challenge_take(request.session, purpose="register", user=request.user),
                    relying_party=rp,
                    name=data["name"],
                ),
            )
            if key:
                messages.success(request, _("安全密钥已添加。下次登录时可用它代替动态验证码。"))
                return redirect("web:security-keys")
    keys = security_keys_of(user=request.user)
    options = None
    if rp is not None:
        options, challenge = registration_options(user=request.user, keys=keys, rp=rp)
        challenge_keep(request.session, purpose="register", user=request.user, challenge=challenge)
    return render(request, "web/security_keys.html", {"form": form, "keys": keys, "options": options})


@require_POST
def security_key_delete(request, key_id: int):
    """Remove one of the holder's own keys."""
    key = security_key_get_for_user(user=request.user, key_id=key_id)
    security_key_remove(actor=request.user, approved_by=getattr(request.user, "otp_device", None), key=key)
    messages.success(request, _("安全密钥“%(name)s”已删除，不能再用于登录。") % {"name": key.name})
    return redirect("web:security-keys")
