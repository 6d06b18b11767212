"""The audit page of an agency, object histories, the ledger entry endpoint, and the security audit log."""

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
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
from sanxiang.audit import exporting, selectors
from sanxiang.audit.models import Kind, Outcome
from sanxiang.audit.services import audit_record
from sanxiang.core.calendar import day_bounds
from sanxiang.core.forms import DateInput
from sanxiang.ledger.selectors import entry_get, entry_json, latest_timestamp
from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES
from sanxiang.ledger.witnessing import latest_standing

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
    agency = forms.ModelChoiceField(
        label=gettext_lazy("机关"), queryset=None, required=False, empty_label=gettext_lazy("全部机关")
    )
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
    if not selectors.can_audit(request.user):
        raise PermissionDenied(_("审计记录只有审计管理员可以查看。"))
    filters = AuditFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.audit_entries(request.user, agency=data.get("agency"), action=data.get("action", ""))
    if data.get("before"):
        entries = entries.filter(index__lt=data["before"])
    page = list(entries[: PAGE + 1])
    lines = selectors.readable(page[:PAGE], user=request.user)
    query = request.GET.copy()
    query["before"] = lines[-1].index if lines else ""
    context = {
        "filters": filters,
        "lines": lines,
        "more": len(page) > PAGE,
        "next_query": query.urlencode(),
        "witnessed": latest_standing(),
        "trusted_time": latest_timestamp() if settings.LEDGER_TSA_URL else None,
    }
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


# ---- the security audit log ----


class SecurityFilter(forms.Form):
    since = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("事件"), required=False)
    outcome = forms.ChoiceField(label=gettext_lazy("结果"), required=False)
    username = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=150)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + Kind.choices
        self.fields["outcome"].choices = [("", _("全部"))] + Outcome.choices

    def filtered(self, events):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("since"):
            events = events.filter(time__gte=day_bounds(data["since"])[0])
        if data.get("until"):
            events = events.filter(time__lt=day_bounds(data["until"])[1])
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        if data.get("username"):
            events = events.filter(username=data["username"].strip())
        return events

    def described(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: str(value) for key, value in data.items() if value not in (None, "") and key != "before"}


def security_log(request):
    """The security audit log, newest first, filtered by time, kind, outcome and user name (the log's readers)."""
    events = selectors.security_events_for_user(request.user)
    filters = SecurityFilter(request.GET or None)
    events = filters.filtered(events)
    if filters.is_valid() and filters.cleaned_data.get("before"):
        events = events.filter(id__lt=filters.cleaned_data["before"])
    page = list(events[: PAGE + 1])
    query = request.GET.copy()
    query["before"] = page[PAGE - 1].pk if len(page) > PAGE else ""
    export = request.GET.copy()
    export.pop("before", None)
    context = {
        "filters": filters,
        "events": selectors.security_lines(page[:PAGE]),
        "more": len(page) > PAGE,
        "next_query": query.urlencode(),
        "export_query": export.urlencode(),
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/security_log.html", context)


def security_log_export(request, file_format: str):
    """The filtered log as CSV or JSON lines, streamed; the export is itself recorded before the first byte."""
    events = selectors.security_events_for_user(request.user)
    filters = SecurityFilter(request.GET or None)
    events = filters.filtered(events).order_by("id")
    audit_record(
        kind=Kind.AUDIT_EXPORT, request=request, detail={"format": file_format, "filters": filters.described()}
    )
    chunks = exporting.csv_chunks if file_format == "csv" else exporting.jsonl_chunks
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks(events.iterator(chunk_size=2000))),
        content_type=exporting.CONTENT_TYPES[file_format],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{file_format}"'
    return response
