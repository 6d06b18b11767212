"""Reads with policy for resumable uploads: the access gate."""

from django.http import Http404

from sanxiang.uploads.models import Upload


def upload_get_for_user(*, user, upload_id) -> Upload:
    """An upload its own sender asks about (404 for anyone else's: only the uploader resumes, reads or ends it)."""
    upload = Upload.objects.select_related("case").filter(pk=upload_id, owner_id=user.pk).first()
    if upload is None:
        raise Http404
    return upload
