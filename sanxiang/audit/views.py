"""The audit page of an agency, object histories, and the ledger entry endpoint."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
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
from sanxiang.api.permissions import TokenScopePermission
from sanxiang.audit import selectors
from sanxiang.ledger.selectors import entry_get, entry_json
from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

PAGE = 50


def history(request, subject_type: str, subject_id: str):
    """The ledger history of one object, for anyone who may see the object (htmx fragment); each app registers the
    access gate of its objects in ledger.vocabulary.HISTORY_GATES."""
    if subject_type not in HISTORY_GATES:
        raise Http404
    gate, keyword = HISTORY_GATES[subject_type]
    try:
        instance = gate(user=request.user, **{keyword: subject_id})
    except (ValueError, ValidationError, ObjectDoesNotExist):
        raise Http404 from None
    return render(request, "audit/_history.html", {"lines": selectors.history_for(request.user, instance)})


class AuditFilter(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("机关"), queryset=None, required=False)
    action = forms.ChoiceField(label=gettext_lazy("事项"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_selectors.agencies_for_user(user)
        self.fields["action"].choices = [("", _("全部"))] + sorted(
            (action, str(label)) for action, label in ACTION_LABELS.items()
        )


def audit_page(request):
    """Every ledger entry of the user's agencies, newest first (audit administrators only: 三员分立)."""
    if selectors.auditable_agency_codes(request.user) == []:
        raise PermissionDenied(_("审计记录只有审计管理员可以查看。"))
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
    """One ledger entry: public entries for anyone; internal ones for audit administrators of the entry's agency
    (else 404)."""

    permission_classes = [AllowAny, TokenScopePermission]
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, index: int):
        entry = entry_get(index)
        if entry is None or not selectors.can_read_entry(request.user, entry):
            raise Http404
        return Response(entry_json(entry))
