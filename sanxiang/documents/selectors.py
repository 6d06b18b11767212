from django.http import Http404

from sanxiang.agencies.selectors import can_view
from sanxiang.documents.models import Document


def document_get_for_user(*, user, document_id: int) -> Document:
    """A document of an agency the user may see (404 otherwise)."""
    document = Document.objects.select_related("agency").filter(pk=document_id).first()
    if document is None or not can_view(user, document.agency):
        raise Http404
    return document


def documents_for(instance) -> list[Document]:
    return list(
        Document.objects.filter(subject_type=instance._meta.label_lower, subject_id=str(instance.pk)).order_by("id")
    )


def document_public(public_id) -> Document:
    document = Document.objects.select_related("agency").filter(public_id=public_id).first()
    if document is None:
        raise Http404
    return document
