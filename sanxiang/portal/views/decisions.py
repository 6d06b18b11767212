"""The portal's decisions (事后公开, no login): search, the decision page with its versions, PDF and proof,
withdrawal notices, per-agency counts and on-time rates, and the Atom feed. Only published versions are ever read
here (publicity.selectors decides what is public)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sanxiang.agencies.models import Agency
from sanxiang.documents.views import kept_pdf_response
from sanxiang.ledger import merkle
from sanxiang.ledger.selectors import entry_get, entry_timestamp
from sanxiang.ledger.vocabulary import is_public
from sanxiang.portal.pages import Page, kept_response, render_page
from sanxiang.publicity import rendering, selectors
from sanxiang.publicity.models import Kind
from sanxiang.reports import dashboards

FIRST_YEAR = 2019  # the plan (黑环发〔2019〕112号) starts the portal


def _years() -> list[tuple[str, str]]:
    return [(str(year), str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：超标排放、企业名称、文号")}),
    )
    party = forms.CharField(label=_("行政相对人"), required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label=_("机关"),
        queryset=Agency.objects.filter(is_active=True).order_by("path"),
        to_field_name="code",
        required=False,
        empty_label=_("全部机关"),
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + Kind.choices)
    violation = forms.ChoiceField(label=_("违法行为类型"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + _years()
        self.fields["violation"].choices = [("", _("全部类型"))] + [(name, name) for name in selectors.violations()]


def portal(view):
    return login_not_required(require_GET(view))


@portal
def search(request):
    """公示查询: Chinese full-text search with filters, newest first, 20 a page."""
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        results = selectors.public_search(
            text=data.get("q", ""),
            party=data.get("party", ""),
            agency=data.get("agency"),
            year=data.get("year"),
            kind=data.get("kind", ""),
            violation=data.get("violation", ""),
            before=data.get("before"),
        )
    more = request.GET.copy()
    if results:
        more["before"] = results[-1].pk
    return render(
        request,
        "portal/decisions/search.html",
        {
            "form": form,
            "results": results,
            "more": more.urlencode() if len(results) == 20 else "",
            "kinds": Kind.choices,
        },
    )


@portal
def decision(request, publication_id: int, number: int | None = None):
    """One decision: the 双公示 summary, the redacted full text, its version history and proof — or, once
    withdrawn, the notice of why, in its place. Kept as rendered until the record moves (portal.pages)."""
    return kept_response(request, lambda: decision_page(publication_id, number))


def decision_page(publication_id: int, number: int | None) -> Page:
    publication = selectors.public_get(publication_id)
    if publication.status != publication.Status.PUBLISHED:
        return render_page("portal/decisions/withdrawn.html", {"publication": publication}, publication=publication)
    version = selectors.public_version(publication, number)
    context = {
        "publication": publication,
        "version": version,
        "versions": selectors.public_versions(publication),
        "summary": selectors.public_summary(version.summary),
    }
    return render_page("portal/decisions/decision.html", context, publication=publication)


@portal
def version_text(request, publication_id: int, number: int):
    """The exact published text whose SHA-256 the ledger holds (UTF-8, no trailing newline added)."""
    version = selectors.public_version(selectors.public_get(publication_id), number)
    return HttpResponse(version.public_text.encode(), content_type="text/plain; charset=utf-8")


@portal
def version_pdf(request, publication_id: int, number: int):
    publication = selectors.public_get(publication_id)
    version = selectors.public_version(publication, number)
    return kept_pdf_response(
        request,
        lambda: rendering.version_pdf(publication, version),
        filename=f"decision-{publication.pk}-v{number}.pdf",
        layout="portal.html",
        back=reverse("public:decision", args=[publication.pk]),
    )


@portal
def version_entry(request, publication_id: int, number: int):
    """The ledger entry of a published version, byte for byte as hashed into the log (RFC 8785 JSON)."""
    version = selectors.public_version(selectors.public_get(publication_id), number)
    entry = entry_get(version.ledger_index) if version.ledger_index is not None else None
    if entry is None or not is_public(entry):
        raise Http404
    return HttpResponse(bytes(entry.body), content_type="application/json")


@portal
def verify(request, publication_id: int, number: int):
    """The page whose script checks, in the reader's browser, that this text is the one in the signed log."""
    publication = selectors.public_get(publication_id)
    version = selectors.public_version(publication, number)
    context = {
        "publication": publication,
        "version": version,
        "tree_hash": merkle.algorithm(),  # the log's: SHA-256, or SM3 in 国密 mode
        "gm_signature": settings.LEDGER_SIGNATURE == "sm2",
        "trusted_time": None if version.ledger_index is None else entry_timestamp(version.ledger_index),
    }
    return render(request, "portal/decisions/verify.html", context)


@portal
def withdrawals(request):
    return render(request, "portal/decisions/withdrawals.html", {"records": selectors.withdrawals(limit=100)})


@portal
def statistics(request):
    """Per agency and month, published and missing decisions (zeros shown), and the on-time rates."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= today.year else today.year
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    # the province's year in the report's own definitions, drawn as charts (counted ahead by the worker)
    board = dashboards.public_board(year, today)
    # on a phone a row of zeros for each of the province's agencies buries the few that decided anything: the
    # agencies with nothing to count are named once under each table instead
    counts, quiet_counts = _split(
        selectors.monthly_counts(agencies, year=year, today=today),
        lambda row: any(cell["published"] or cell["missing"] or cell["withheld"] for cell in row["months"]),
    )
    compliance, quiet_compliance = _split(
        selectors.compliance(agencies, today=today, year=year), lambda row: row["due"] or row["missing"]
    )
    return render(
        request,
        "portal/decisions/statistics.html",
        {
            "year": year,
            "years": [value for value, _label in _years()],
            "months": selectors.months_of(year, today),
            "counts": counts,
            "quiet_counts": quiet_counts,
            "compliance": compliance,
            "quiet_compliance": quiet_compliance,
            "board": board,
        },
    )


def _split(rows: list[dict], counted) -> tuple[list[dict], list]:
    """The rows with something `counted`, and the agencies of the others."""
    return [row for row in rows if counted(row)], [row["agency"] for row in rows if not counted(row)]


@portal
def feed(request):
    """Atom feed of publications, corrections and withdrawals."""
    events = selectors.feed_events(limit=50)
    response = render(
        request,
        "portal/decisions/feed.xml",
        {"events": events, "updated": events[0]["time"] if events else timezone.now()},
        content_type="application/atom+xml; charset=utf-8",
    )
    return response
