"""Signatures on site (现场签名) and corrections (更正): each signature is bound to the SHA-256 of the document
version shown to the signer, recorded by one of the act's officers on their phone, and ledgered with digests only;
a version once signed never changes — a correction is a new version, which needs its own signatures."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.core.blobs import blob_put, blob_read
from sanxiang.core.errors import Conflict, RuleViolation
from sanxiang.core.text import refuse_control_characters
from sanxiang.documents import signing
from sanxiang.documents.models import Document, Signature, SignerRole
from sanxiang.documents.selectors import is_act_officer, officers_of
from sanxiang.documents.services import _queue_pdf, document_issue, pdf_queued_at_issue
from sanxiang.documents.types import doc_type
from sanxiang.documents.types.signers import SIGNERS, Signers
from sanxiang.ledger.transitions import NEW, Move, StateMachine

SIGNED, REFUSED = Signature.Status.SIGNED, Signature.Status.REFUSED
SIGNATURE = StateMachine(
    model=Signature,
    prefix="signature",
    versioned=False,
    moves={
        "add": Move({NEW}, SIGNED, gettext_lazy("现场签名"), roles={"officer"}),
        "refuse": Move({NEW}, REFUSED, gettext_lazy("记录拒绝签名"), roles={"officer"}),
    },
)
LEDGER_ACTIONS = SIGNATURE.labels()
INTERNAL_ACTIONS = {action: "a signature on a document of a case that is not public" for action in LEDGER_ACTIONS}


def _require_act_officer(actor, document: Document) -> list:
    officers = officers_of(document)
    if not is_act_officer(actor, officers):
        raise PermissionDenied(_("只有参与该执法活动的执法人员可以在本人手机上记录签名或更正文书。"))
    return officers


def _open_version(actor, document: Document, version_sha256: str, move: str) -> tuple[Document, Signers, list]:
    """The document locked for signing, if it is the version the signer was shown and still the latest."""
    SIGNATURE.require(actor, document.agency, move)
    document = Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    signers = SIGNERS.get(document.doc_type)
    if signers is None:
        raise ValidationError(_("“%(type)s”不在现场签名。") % {"type": document.title}, code="not_signed_on_site")
    officers = _require_act_officer(actor, document)
    newer = Document.objects.filter(supersedes=document).first()
    if newer is not None:
        raise Conflict(
            _("该文书已被更正为第 %(version)d 版，旧版本不能再签名；请打开最新版本，核对后重新签名。")
            % {"version": newer.version}
        )
    if version_sha256 != document.docx_sha256:
        raise Conflict(_("签名时显示的文书版本（SHA-256）与该文书不一致，请重新打开文书，核对后再签名。"))
    return document, signers, officers


def _principal_free(document: Document, signers: Signers, role: str) -> None:
    if document.signatures.filter(role=role).exists():
        raise ValidationError(
            {"role": [_("%(role)s已经签名或已记录拒绝签名。") % {"role": SignerRole(role).label}]},
            code="already_signed",
        )


def _name(name: str, field: str = "name") -> str:
    refuse_control_characters({field: name})
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationError({field: [_("请填写签名人姓名（不超过 60 字）。")]})
    return name


def _drawn(document: Document, *, actor, role: str, name: str, strokes, signed_at, officer=None) -> Signature:
    strokes = signing.clean_strokes(strokes)
    return Signature(
        document=document,
        document_sha256=document.docx_sha256,
        role=role,
        name=name,
        officer=officer,
        status=SIGNED,
        strokes=strokes,
        strokes_sha256=signing.strokes_digest(strokes),
        svg=signing.strokes_svg(strokes),
        png_sha256=blob_put(signing.strokes_png(strokes)),
        signed_at=signed_at or timezone.now(),
        recorded_by=actor,
    )


def _ledger(actor, signature: Signature, move: str) -> None:
    signature.save()
    SIGNATURE.start(signature, move)
    # Digests and the capacity only: neither the name nor the image of a person goes into the log.
    facts = {
        "document": signature.document_id,
        "version_sha256": signature.document_sha256,
        "role": signature.role,
        "strokes_sha256": signature.strokes_sha256,
    }
    SIGNATURE.commit(actor, signature, move, facts)


def _refresh_signed_copy(document: Document) -> None:
    """The copy of the version that carries its signatures, made again with the one just added; its PDF follows
    from the background worker."""
    rows = [
        {
            "role": signature.get_role_display(),
            "name": signature.name,
            "time": f"{timezone.localtime(signature.signed_at):%Y-%m-%d %H:%M}",
            "png": blob_read(signature.png_sha256) if signature.png_sha256 else None,
            "note": f"{signature.get_status_display()}：{signature.note}",
        }
        for signature in document.signatures.all()
    ]
    content = signing.signature_page(blob_read(document.docx_sha256), document.docx_sha256, rows)
    document.signed_docx_sha256, document.signed_pdf_sha256 = blob_put(content), ""
    document.save(update_fields=["signed_docx_sha256", "signed_pdf_sha256"])
    if pdf_queued_at_issue():
        transaction.on_commit(lambda: _queue_pdf(document))


@transaction.atomic
def signature_add(
    *,
    actor,
    document: Document,
    version_sha256: str,
    role: str,
    strokes,
    name: str = "",
    officer=None,
    signed_at: dt.datetime | None = None,
) -> Signature:
    """One hand signature on the version the signer was shown (`version_sha256`), submitted from the phone of one of
    the act's officers: the principal's (the party, the person questioned) once, each of the act's officers once
    under their own name, witnesses. Refused, with nothing stored, for a version since corrected or another one."""
    document, signers, officers = _open_version(actor, document, version_sha256, "add")
    if role not in (signers.principal, SignerRole.OFFICER, SignerRole.WITNESS):
        raise ValidationError({"role": [_("该文书没有这一签名人身份。")]})
    if role == SignerRole.OFFICER:
        if officer is None or officer.pk not in {member.pk for member in officers}:
            raise ValidationError({"officer": [_("执法人员签名须是参与该执法活动的执法人员本人。")]})
        if document.signatures.filter(officer=officer).exists():
            raise ValidationError({"officer": [_("该执法人员已经签名。")]}, code="already_signed")
        name = officer.full_name or officer.username
    else:
        officer, name = None, _name(name)
        if role == signers.principal:
            _principal_free(document, signers, role)
    signature = _drawn(
        document, actor=actor, role=role, name=name, strokes=strokes, signed_at=signed_at, officer=officer
    )
    _ledger(actor, signature, "add")
    _refresh_signed_copy(document)
    return signature


@transaction.atomic
def signature_refusal_record(
    *,
    actor,
    document: Document,
    version_sha256: str,
    note: str,
    witness_name: str,
    witness_strokes,
    name: str = "",
    signed_at: dt.datetime | None = None,
) -> Signature:
    """拒绝签名: the principal refuses to sign (or is absent); the officer notes what happened and a witness signs,
    both recorded together — a refusal without a witness's signature is not recorded at all."""
    document, signers, officers = _open_version(actor, document, version_sha256, "refuse")
    _principal_free(document, signers, signers.principal)
    refuse_control_characters({"note": note})
    if not note.strip() or len(note.strip()) > 300:
        raise ValidationError({"note": [_("请注明拒绝签名或不在场的情况（不超过 300 字）。")]})
    witness_name = _name(witness_name, "witness_name")
    if witness_name in {officer.full_name for officer in officers}:
        raise RuleViolation(
            _("见证人须是执法人员以外的人"), code="witness_is_officer", citation="《行政强制法》第十八条"
        )
    signed_at = signed_at or timezone.now()
    principal = (name or document.values.get("party_name") or document.values.get("interviewee") or "").strip()
    refusal = Signature(
        document=document,
        document_sha256=document.docx_sha256,
        role=signers.principal,
        name=principal[:60] or _("（未填写）"),
        status=REFUSED,
        note=note.strip(),
        signed_at=signed_at,
        recorded_by=actor,
    )
    witness = _drawn(
        document,
        actor=actor,
        role=SignerRole.WITNESS,
        name=witness_name,
        strokes=witness_strokes,
        signed_at=signed_at,
    )
    _ledger(actor, refusal, "refuse")
    _ledger(actor, witness, "add")
    _refresh_signed_copy(document)
    return refusal


@transaction.atomic
def document_correct(*, actor, document: Document, changes: dict, on: dt.date | None = None) -> Document:
    """更正: the next version of a document with some fields corrected. The version corrected keeps its content and
    signatures and can no longer be signed; the new one is signed anew. Only the latest version is corrected."""
    _require_act_officer(actor, document)
    document = Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    if Document.objects.filter(supersedes=document).exists():
        raise Conflict(_("该文书已有更正后的新版本，只能更正最新版本。"))
    unknown = set(changes) - doc_type(document.doc_type).fields
    if unknown or not changes:
        raise ValidationError(
            _("请填写要更正的内容。") if not changes else _("未知字段：%(f)s") % {"f": sorted(unknown)}
        )
    refuse_control_characters(changes)
    return document_issue(
        actor=actor,
        agency=document.agency,
        doc_type_code=document.doc_type,
        subject=None,
        context=document.values | changes,
        issued_on=on or timezone.localdate(),
        supersedes=document,
    )
