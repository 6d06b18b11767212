"""The portal's law library (法律法规库, no login): search, a law's versions and articles, and an article — the
workbench's reading pages for anyone, so a party reads the article a decision or notice cites in one click."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.laws.views import article_context, instrument_context, search_context


@login_not_required
@require_GET
def index(request):
    return render(request, "portal/laws/index.html", search_context(request))


@login_not_required
@require_GET
def instrument(request, instrument_id: int):
    return render(request, "portal/laws/instrument.html", instrument_context(instrument_id))


@login_not_required
@require_GET
def article(request, article_id: int):
    return render(request, "portal/laws/article.html", article_context(article_id))
