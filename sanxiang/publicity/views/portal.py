"""Portal pages of publicity: search, the decision page, its proof, withdrawals, counts and the Atom feed."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.publicity import selectors


@login_not_required
@require_GET
def search(request):
    return render(request, "publicity/search.html", {"results": selectors.public_search()})
