from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


@register()
def signing_key_check(app_configs=None, **kwargs):
    """Refuse to start with a damaged or world-readable key file, without the key once checkpoints were signed with
    it, or with a signer factory that does not load; warn while the key sits in the data folder."""
    from sanxiang.ledger.keys import SIGNERS
    from sanxiang.ledger.models import Checkpoint
    from sanxiang.ledger.services import ledger_signer
    from sanxiang.ledger.signing import load_signer

    if settings.LEDGER_SIGNER:
        try:
            ledger_signer()
        except ImproperlyConfigured as error:
            return [Error(str(error), id="sanxiang.ledger.E001")]
        return []
    path = settings.LEDGER_KEY_FILE
    try:
        signed = path.exists() or Checkpoint.objects.exists()
    except DatabaseError:  # before the first migration
        return []
    if not signed:
        return []
    try:
        load_signer(path, name=settings.LEDGER_ORIGIN, create=False, kind=SIGNERS[settings.LEDGER_SIGNATURE])
    except ImproperlyConfigured as error:
        return [Error(str(error), id="sanxiang.ledger.E001")]
    if not settings.DEBUG and path.resolve().is_relative_to(settings.DATA_DIR.resolve()):
        # A copy of the data folder (a backup, a support dump) would carry the key that signs the log.
        return [
            Warning(
                f"账本签名密钥 {path} 位于数据目录中，数据目录的备份或拷贝会带走密钥。",
                hint="把密钥移到数据目录之外（权限 0600），并设置 SANXIANG_LEDGER_KEY_FILE；或用 SANXIANG_LEDGER_SIGNER "
                "接入密码机。(Move the key out of the data folder and point SANXIANG_LEDGER_KEY_FILE at it.)",
                id="sanxiang.ledger.W001",
            )
        ]
    return []


@register()
def attestation_check(app_configs=None, **kwargs):
    """Stop at start-up, not in the minute's task: a tree hash other than the log's (its proofs would all fail), a
    witness key that does not parse, TSA roots that cannot be read."""
    from sanxiang.ledger.models import LogHead
    from sanxiang.ledger.timestamping import configured_roots
    from sanxiang.ledger.witnessing import witnesses

    errors = []
    try:
        head = LogHead.objects.filter(pk=1).values_list("size", "hash_algorithm").first()
    except DatabaseError:  # before the first migration
        head = None
    if head is not None and head[0] and head[1] != settings.LEDGER_HASH:
        errors.append(
            Error(
                f"账本以 {head[1]} 建立，而 SANXIANG_LEDGER_HASH={settings.LEDGER_HASH}：证明将全部核验失败。"
                f"(The log was created with {head[1]}; set SANXIANG_LEDGER_HASH={head[1]}.)",
                id="sanxiang.ledger.E002",
            )
        )
    for check in (witnesses, configured_roots):
        try:
            check()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="sanxiang.ledger.E003"))
    return errors
