"""How the facts of a ledger entry or audit event read on a page: each value in words ("是", "否", "—", a list
joined), the common keys under their Chinese names, never a Python repr."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The keys entries carry most often; a key not named here is shown as written.
KEY_LABELS = {
    "stage": _("阶段"),
    "previous_stage": _("原阶段"),
    "status": _("状态"),
    "previous_status": _("原状态"),
    "version": _("版本"),
    "number": _("编号"),
    "public": _("公开"),
    "kinds": _("处罚种类"),
    "kind": _("种类"),
    "fine": _("罚款"),
    "confiscation": _("没收金额"),
    "outcome": _("结果"),
    "served_on": _("送达日期"),
    "decision_number": _("决定书文号"),
    "investigators": _("承办人"),
    "participants": _("参加人"),
    "officers": _("执法人员"),
    "approved": _("同意"),
    "late": _("补录或逾期"),
    "reason": _("理由"),
    "roles": _("角色"),
    "sha256": _("SHA-256"),
    "method": _("方式"),
    "party": _("当事人"),
    "source": _("来源"),
    "security_key": _("安全密钥编号"),
    "approved_by": _("批准的验证设备"),
}


# Values written as codes that a reader meets often.
VALUE_WORDS = {"password": _("密码"), "token": _("令牌"), "totp": _("动态验证码"), "security_key": _("安全密钥")}


def _words(value) -> str:
    if isinstance(value, str) and value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    if isinstance(value, list | tuple):
        return "、".join(_words(item) for item in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{KEY_LABELS.get(key, key)}：{_words(item)}" for key, item in value.items())
    return str(value)


@register.filter
def facts(data) -> list[tuple[str, str]]:
    """(label, value in words) for each fact of `data`, the digest left out."""
    return [(str(KEY_LABELS.get(key, key)), _words(value)) for key, value in (data or {}).items() if key != "digest"]
