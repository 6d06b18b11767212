"""Issue and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from sanxiang.api.models import ApiToken

TOKEN_PREFIX = "sx_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str, lifetime: dt.timedelta | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "api",
        prefix=raw[:10],
        key_hash=token_hash(raw),
        expires_at=timezone.now() + lifetime if lifetime else None,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
