"""The audit page of an agency, object histories, and the ledger entry endpoint."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies import selectors as agency_selectors
from sanxiang.api.authentication import BearerTokenAuthentication
from sanxiang.audit import selectors
from sanxiang.cases import selectors as case_selectors
from sanxiang.core.models import CalendarDay, CalendarYear
from sanxiang.ledger.selectors import entry_get, entry_json
from sanxiang.publicity import disclosure_selectors
from sanxiang.publicity import selectors as publicity_selectors
from sanxiang.review import selectors as review_selectors

PAGE = 50

# The access gate of each object type that has a history page.
GATES = {
    "agencies.agency": lambda user, pk: agency_selectors.agency_get_for_user(user=user, agency_id=int(pk)),
    "agencies.user": lambda user, pk: agency_selectors.staff_get_for_user(user=user, staff_id=int(pk)),
    "agencies.certificate": lambda user, pk: agency_selectors.certificate_get_for_user(user=user, certificate_id=int(pk)),
    "agencies.servicewindow": lambda user, pk: agency_selectors.service_window_get_for_user(user=user, window_id=int(pk)),
    "cases.case": lambda user, pk: case_selectors.case_get_for_user(user=user, case_id=int(pk)),
    "review.review": lambda user, pk: review_selectors.review_get_for_user(user=user, review_id=int(pk)),
    "publicity.publication": lambda user, pk: publicity_selectors.publication_get_for_user(
        user=user, publication_id=int(pk)),
    "publicity.disclosure": lambda user, pk: disclosure_selectors.disclosure_get_for_user(
        user=user, disclosure_id=int(pk)),
    "core.calendaryear": lambda user, pk: CalendarYear.objects.get(pk=int(pk)),
    "core.calendarday": lambda user, pk: CalendarDay.objects.get(pk=pk),
}


def history(request, subject_type: str, subject_id: str):
    """The ledger history of one object, for anyone who may see the object (htmx fragment)."""
    gate = GATES.get(subject_type)
    if gate is None:
        raise Http404
    try:
        instance = gate(request.user, subject_id)
    except (ValueError, ValidationError, CalendarDay.DoesNotExist, CalendarYear.DoesNotExist):
        raise Http404 from None
    return render(request, "audit/_history.html", {"lines": selectors.history_for(request.user, instance)})


class AuditFilter(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("机关"), queryset=None, required=False)
    action = forms.ChoiceField(label=gettext_lazy("事项"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_selectors.agencies_for_user(user)
        self.fields["action"].choices = [("", _("全部"))] + sorted(selectors.ACTION_LABELS.items())


def audit_page(request):
    """Every ledger entry of the user's agencies, newest first (heads and administrators)."""
    if selectors.auditable_agency_codes(request.user) == []:
        raise PermissionDenied(_("只有负责人和系统管理员可以查看审计记录。"))
    filters = AuditFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.audit_entries(request.user, agency=data.get("agency"), action=data.get("action", ""))
    if data.get("before"):
        entries = entries.filter(index__lt=data["before"])
    page = list(entries[: PAGE + 1])
    lines = selectors.readable(page[:PAGE])
    query = request.GET.copy()
    query["before"] = lines[-1].index if lines else ""
    context = {"filters": filters, "lines": lines, "more": len(page) > PAGE, "next_query": query.urlencode()}
    return render(request, "audit/audit.html", context)


class EntryApi(APIView):
    """One ledger entry: public entries for anyone; internal ones for auditors of the entry's agency (else 404)."""

    permission_classes = [AllowAny]
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, index: int):
        entry = entry_get(index)
        if entry is None or not selectors.can_read_entry(request.user, entry):
            raise Http404
        return Response(entry_json(entry))
