"""The read-only mirror of another installation's exchange feed: the sources pulled from, and their records.

Rows are written only by `services.mirror_batch_store` (called by the reference client) after every proof and the
checkpoint signature of a batch verified; pages and API only read them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MirrorSource(models.Model):
    """镜像来源 — an installation whose exchange feed this one mirrors, with its pinned checkpoint key."""

    url = models.URLField(_("来源地址"), max_length=300, unique=True)
    origin = models.CharField(_("账本名称"), max_length=200, blank=True)
    verifier_key = models.CharField(_("检查点验证公钥"), max_length=300, blank=True)
    next_since = models.BigIntegerField(_("下次拉取起点"), default=-1)
    checkpoint_size = models.BigIntegerField(_("已验证检查点条目数"), default=0)
    checkpoint_root = models.CharField(_("已验证检查点根哈希"), max_length=64, blank=True)
    checkpoint_note = models.TextField(_("已验证检查点"), blank=True)
    # the source's tree hash, pinned with its first checkpoint: consistency proofs are checked with it
    tree_hash = models.CharField(_("账本杂凑算法"), max_length=10, blank=True)
    pulled_at = models.DateTimeField(_("最近拉取"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("镜像来源")
        verbose_name_plural = _("镜像来源")
        ordering = ["url"]
        constraints = [models.CheckConstraint(condition=models.Q(next_since__gte=-1), name="mirror_since_valid")]

    def __str__(self) -> str:
        return self.url


class MirrorRecord(models.Model):
    """镜像记录 — one exchange record of a source, as pulled and verified, keyed by the source's ledger index."""

    source = models.ForeignKey(MirrorSource, on_delete=models.PROTECT, related_name="records")
    index = models.BigIntegerField(_("账本序号"))
    kind = models.CharField(_("记录类型"), max_length=20, db_index=True)
    record = models.JSONField(_("交换记录"))
    leaf = models.BinaryField(_("账本条目"))
    leaf_hash = models.CharField(_("叶哈希"), max_length=64)
    checkpoint_size = models.BigIntegerField(_("所依检查点条目数"))
    pulled_at = models.DateTimeField(_("拉取时间"))

    class Meta:
        verbose_name = _("镜像记录")
        verbose_name_plural = _("镜像记录")
        ordering = ["source", "index"]
        constraints = [models.UniqueConstraint(fields=["source", "index"], name="mirror_record_per_index")]

    def __str__(self) -> str:
        return f"{self.source_id}#{self.index} {self.kind}"
