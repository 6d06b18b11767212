"""Issue and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.api.models import ApiToken, TokenScope
from sanxiang.core.security import security_event
from sanxiang.ledger.services import ledger_append

TOKEN_PREFIX = "sx_"
LEDGER_ACTIONS = {"api_token.create": gettext_lazy("签发 API 令牌"), "api_token.revoke": gettext_lazy("撤销 API 令牌")}


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor, user, name: str, scope: str = TokenScope.READ, lifetime: dt.timedelta | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user` with `scope` (read, write or partner; read unless asked), valid
    SANXIANG_API_TOKEN_DAYS unless `lifetime` says otherwise; the raw value is returned once and never stored."""
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("令牌范围只能是 read、write 或 partner。")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = lifetime if lifetime is not None else dt.timedelta(days=settings.API_TOKEN_DAYS)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "api",
        prefix=raw[:10],
        key_hash=token_hash(raw),
        scope=scope,
        expires_at=timezone.now() + lifetime,
    )
    ledger_append(
        actor=actor,
        agency=user.agency,
        action="api_token.create",
        subject=token,
        data={"user": f"staff:{user.pk}", "scope": scope, "expires_at": token.expires_at},
    )
    security_event(
        kind="token_create",
        user=actor,
        agency=user.agency,
        subject=token,
        detail={"for_user": user.pk, "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once (revoking twice changes nothing)."""
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user__agency").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        ledger_append(
            actor=actor,
            agency=token.user.agency,
            action="api_token.revoke",
            subject=token,
            data={"user": f"staff:{token.user_id}"},
        )
        security_event(
            kind="token_revoke",
            user=actor,
            agency=token.user.agency,
            subject=token,
            detail={"for_user": token.user_id, "prefix": token.prefix},
        )
    return token
