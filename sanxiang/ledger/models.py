"""The append-only ledger: entries, the Merkle tree's stored nodes, and signed checkpoints.

Entries, nodes and checkpoints are never updated or deleted (database triggers refuse it); LogHead is the one
mutable row, the serialisation point for appends and a cache of the tree's right edge that verification ignores.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LogHead(models.Model):
    """The current size of the log and the roots of its complete subtrees (the frontier), locked by every append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")
    hash_algorithm = models.CharField(max_length=16, default="sha256")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_single_head")]


class Entry(models.Model):
    """账本条目 — one business event. `body` (RFC 8785 JSON) is what is hashed; the other columns index it."""

    index = models.BigIntegerField(_("序号"), primary_key=True, db_column="idx")
    time = models.DateTimeField(_("时间"))
    agency_code = models.CharField(_("机关代码"), max_length=12, blank=True, db_index=True)
    actor = models.CharField(_("操作人"), max_length=40)
    action = models.CharField(_("事项"), max_length=60, db_index=True)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    public = models.BooleanField(_("公开"), default=False)
    body = models.BinaryField()

    class Meta:
        verbose_name = _("账本条目")
        verbose_name_plural = _("账本条目")
        indexes = [models.Index(fields=["subject_type", "subject_id", "index"], name="ledger_entry_subject")]

    def __str__(self) -> str:
        return f"#{self.index} {self.action}"


class Node(models.Model):
    """A complete subtree's hash, keyed by post-order position (see merkle.position)."""

    position = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField()


class Checkpoint(models.Model):
    """已签名检查点 — a C2SP tlog-checkpoint for one tree size, signed as a C2SP signed note."""

    size = models.BigIntegerField(_("条目数"), primary_key=True)
    root = models.BinaryField()
    note = models.TextField(_("签名文本"))
    hash_algorithm = models.CharField(max_length=16)
    signature_algorithm = models.CharField(max_length=16)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Cosignature(models.Model):
    """见证联署 — a witness's C2SP cosignature of one checkpoint (ledger.cosign), kept as the witness sent it.

    Not a ledger entry: an entry would need a checkpoint of its own, whose cosignatures would need another."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("检查点")
    )
    witness = models.CharField(_("见证方"), max_length=200)  # the witness key's name
    key_id = models.CharField(max_length=8)  # hex: a witness that changes its key cosigns anew
    line = models.TextField(_("联署签名"))  # the signature line, ending in a newline
    signed_at = models.DateTimeField(_("联署时间"))  # the time inside the cosignature
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("见证联署")
        verbose_name_plural = _("见证联署")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness", "key_id"], name="ledger_cosignature_once")
        ]


class Timestamp(models.Model):
    """可信时间戳 — an RFC 3161 time-stamp token from a time-stamping authority over one checkpoint's text: proof,
    signed by someone other than the operator, that the tree head existed by `gen_time`."""

    checkpoint = models.OneToOneField(
        Checkpoint, on_delete=models.PROTECT, primary_key=True, related_name="timestamp", verbose_name=_("检查点")
    )
    response = models.BinaryField()  # the TimeStampResp, DER, as the authority sent it
    gen_time = models.DateTimeField(_("时间戳时间"))
    authority = models.CharField(_("时间戳服务"), max_length=300)  # the URL asked
    received_at = models.DateTimeField()

    class Meta:
        # a public page asks for the earliest stamp among later checkpoints (selectors.entry_timestamp); an index of
        # its own, not db_index: SQLite would rebuild the table, and with it drop its append-only triggers
        indexes = [models.Index(fields=["gen_time"], name="ledger_timestamp_gen_time")]
        verbose_name = _("可信时间戳")
        verbose_name_plural = _("可信时间戳")
