"""The portal's open data (开放数据, no login): the download page and the downloads of published 双公示 records in
the current national layout, built by the publicity app's export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.publicity import layouts, opendata
from sanxiang.publicity.views.opendata import KIND_CHOICES, ExportForm, export_response


@login_not_required
@require_GET
def index(request):
    """The download page: each kind in each format, all records or those published since a day."""
    return _index(request, ExportForm())


@login_not_required
@require_GET
def download(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _index(request, form, status=400)
    return export_response(request, form.cleaned_data)


def _index(request, form: ExportForm, *, status: int = 200):
    links = [
        (label, [(name, f"?kind={kind}&format={name}") for name in opendata.CONTENT_TYPES])
        for kind, label in KIND_CHOICES
    ]
    return render(
        request,
        "portal/opendata/index.html",
        {
            "form": form,
            "links": links,
            "layouts": layouts.CURRENT.values(),
            "source": layouts.CURRENT_SOURCE,
        },
        status=status,
    )
