import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from sanxiang.api.models import ApiToken
from sanxiang.api.services import token_hash
from sanxiang.core.security import security_event

# Record use at most this often, so a busy device does not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sx_…` — tokens for devices and partner systems."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为“Bearer 令牌”。"))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌含有无效字符。")) from None
        token = ApiToken.objects.select_related("user", "user__agency").filter(key_hash=token_hash(raw)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
            raise exceptions.AuthenticationFailed(_("令牌无效、已撤销或已过期。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        changed = token.user.password_changed_at
        if changed is not None and token.created_at < changed:
            raise exceptions.AuthenticationFailed(_("密码已重设，此前签发的令牌已失效。"))
        if token.user.password_change_reason(now=now):
            raise exceptions.AuthenticationFailed(_("密码已过期，请先登录工作台修改密码。"))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # Conditional on the value read, so that of several processes seeing the same old value one wins.
            won = ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
            first_today = token.last_used_at is None or timezone.localdate(token.last_used_at) < timezone.localdate(now)
            if won and first_today:
                # The audit log gets a token's first use of each day, not every call: the time of the latest use
                # is last_used_at, and what the calls did is in the ledger.
                security_event(kind="token_use", request=request, user=token.user, subject=token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI document (obtained at /api/v1/auth/token)."""

    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token 取得的令牌"}
