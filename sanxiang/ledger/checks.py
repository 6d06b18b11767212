from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


@register()
def signing_key_check(app_configs=None, **kwargs):
    """Refuse to start with a damaged key file, or without the key once checkpoints were signed with it."""
    from sanxiang.ledger.models import Checkpoint
    from sanxiang.ledger.signing import load_signer

    path = settings.LEDGER_KEY_FILE
    try:
        signed = path.exists() or Checkpoint.objects.exists()
    except DatabaseError:  # before the first migration
        return []
    if not signed:
        return []
    try:
        load_signer(path, name=settings.LEDGER_ORIGIN, create=False)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="sanxiang.ledger.E001")]
    return []
