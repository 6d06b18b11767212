"""Workbench pages of publicity: the timeliness desk and one publication with its side-by-side redaction."""

from django.shortcuts import render
from django.utils import timezone

from sanxiang.publicity import selectors


def desk(request):
    rows = selectors.desk(request.user, today=timezone.localdate())
    return render(request, "publicity/desk.html", {"rows": rows})
