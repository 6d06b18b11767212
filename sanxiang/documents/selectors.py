from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from sanxiang.agencies.selectors import can_view
from sanxiang.core.rules import rule
from sanxiang.documents.hooks import act_officers
from sanxiang.documents.models import Document, Signature, SignerRole
from sanxiang.documents.types.signers import SIGNERS


def document_get_for_user(*, user, document_id: int) -> Document:
    """A document of an agency the user may see (404 otherwise)."""
    document = Document.objects.select_related("agency").filter(pk=document_id).first()
    if document is None or not can_view(user, document.agency):
        raise Http404
    return document


def officers_of(document: Document) -> list:
    """The officers of the act the document records (the app that owns its subject says who), [] for none."""
    handler = act_officers.get(document.subject_type)
    return list(handler(document.subject_id)) if handler else []


def is_act_officer(user, officers) -> bool:
    """Whether `user` is one of the `officers` of an act done on the spot (users or their ids; no user, the
    platform itself, and a superuser count as one): they alone record the act, the signatures on its documents and
    their corrections, and pages offer those forms only to them."""
    return user is None or user.is_superuser or user.pk in {getattr(officer, "pk", officer) for officer in officers}


def documents_for(instance) -> list[Document]:
    return list(
        Document.objects.filter(subject_type=instance._meta.label_lower, subject_id=str(instance.pk)).order_by("id")
    )


def document_public(public_id) -> Document:
    document = Document.objects.select_related("agency").filter(public_id=public_id).first()
    if document is None:
        raise Http404
    return document


@dataclass(frozen=True)
class Signing:
    """What a document signed on site has and still needs (domain.md §10.1)."""

    signatures: list[Signature]
    missing: list[str]
    citation: str
    superseded_by: Document | None

    @property
    def complete(self) -> bool:
        return not self.missing


def signing_state(document: Document) -> Signing | None:
    """The signatures of the version, and what it still lacks to be complete: the principal's signature (or their
    refusal with a witness's), and the officers' own; None for a type not signed on site."""
    signers = SIGNERS.get(document.doc_type)
    if signers is None:
        return None
    signatures = list(document.signatures.select_related("officer"))
    principal = [row for row in signatures if row.role == signers.principal]
    witnessed = any(row.role == SignerRole.WITNESS for row in signatures)
    missing = []
    if not principal:
        missing.append(_("%(role)s签名（或拒绝签名及见证人签名）") % {"role": SignerRole(signers.principal).label})
    elif principal[0].status == Signature.Status.REFUSED and not witnessed:
        missing.append(_("见证人签名"))
    needed = signers.officers or rule("officers.min", document.agency).number
    officers = sum(row.role == SignerRole.OFFICER for row in signatures)
    if officers < needed:
        missing.append(_("执法人员签名（还差 %(n)d 人）") % {"n": needed - officers})
    newer = Document.objects.filter(supersedes=document).first()
    return Signing(signatures, missing, signers.citation, newer)
