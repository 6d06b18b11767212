"""Workbench pages for evidence: upload to a case or an inspection, a file's page with its custody history, view and download."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Role
from sanxiang.audit.selectors import readable
from sanxiang.cases.models import Act, Stage
from sanxiang.cases.selectors import case_get_for_user, inspection_get_for_user
from sanxiang.core.blobs import BlobError
from sanxiang.core.forms import DateTimeInput, apply_validation_error, key_param
from sanxiang.evidence import selectors, services
from sanxiang.evidence.delivery import evidence_response
from sanxiang.evidence.models import EvidenceKind, ScrubReport

TEXT = forms.Textarea(attrs={"rows": 2})


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件"))
    act = forms.ChoiceField(label=gettext_lazy("执法环节"), choices=Act.choices)
    kind = forms.ChoiceField(label=gettext_lazy("证据种类"), choices=EvidenceKind.choices)
    device = forms.CharField(label=gettext_lazy("记录设备"), max_length=100, required=False)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    captured_start = forms.DateTimeField(
        label=gettext_lazy("摄录时间（文件未记录时填写）"),
        required=False,
        widget=DateTimeInput(),
        help_text=gettext_lazy(
            "照片没有拍摄时间（EXIF）、扫描件等：填写实际摄录时间，系统标注为手工填写；文件自带时间的以文件为准。"
        ),
    )
    description = forms.CharField(label=gettext_lazy("摄录内容"), widget=TEXT)
    speakers = forms.CharField(label=gettext_lazy("对话人员身份（录音）"), widget=TEXT, required=False)
    dialogue = forms.CharField(label=gettext_lazy("主要对话内容（录音）"), widget=TEXT, required=False)
    covert = forms.BooleanField(label=gettext_lazy("隐蔽录音录像"), required=False)
    covert_basis = forms.CharField(label=gettext_lazy("隐蔽录制的法律依据"), widget=TEXT, required=False)


class AnnotationForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("摄录内容"), widget=TEXT)
    speakers = forms.CharField(label=gettext_lazy("对话人员身份"), widget=TEXT, required=False)
    dialogue = forms.CharField(label=gettext_lazy("主要对话内容"), widget=TEXT, required=False)
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=300)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("文件名、种类、摄录内容、对话、地点或记录设备"),
        max_length=100,
        help_text=gettext_lazy("输入其中连续的字词；设备编号、警号等数字和字母须完整输入。"),
    )


SEARCH_PAGE = 50


def evidence_search(request):
    """证据检索 across the cases and inspections of the agencies the user sees, newest first, 50 at a time."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        page = selectors.evidence_search(
            request.user,
            text=form.cleaned_data["q"],
            before=key_param(request.GET.get("before", "")),
            size=SEARCH_PAGE,
        )
    query = request.GET.copy()
    query["before"] = page.next_before if page and page.next_before else ""
    return render(request, "evidence/search.html", {"form": form, "page": page, "next_query": query.urlencode()})


def case_evidence(request, case_id: int):
    """The case's evidence (with its inspection's) and the seed's warnings, and the upload form (officers)."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    inspection_items = selectors.evidence_of_inspection(case.inspection) if case.inspection_id else []
    context = {
        "warnings": selectors.missing_audiovisual(case),
        "inspection_items": _rows(inspection_items),
        "takes_files": case.stage != Stage.ARCHIVED,
    }
    return _evidence_page(request, case=case, inspection=None, items=selectors.evidence_of_case(case), context=context)


def inspection_evidence(request, inspection_id: int):
    """现场检查证据 — the photos and recordings of an inspection, which a case opened from it carries over."""
    inspection = inspection_get_for_user(user=request.user, inspection_id=inspection_id)
    items = selectors.evidence_of_inspection(inspection)
    return _evidence_page(request, case=None, inspection=inspection, items=items, context={"takes_files": True})


def _rows(items: list) -> list[tuple]:
    """Each item with its current note and any warning on its time, as the evidence table shows them."""
    return [(item, item.annotations.all()[0], selectors.time_warning(item)) for item in items]


def _evidence_page(request, *, case, inspection, items: list, context: dict):
    owner = case or inspection
    adds = selectors.may_add_evidence(request.user, case=case, inspection=inspection)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not adds:
            raise PermissionDenied(_("只有参与本案或本次检查的执法人员可以登记证据。"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file")
            # derived again from the name here, whatever the page showed when the file was picked
            proposal = selectors.recorder_proposal(case=case, inspection=inspection, name=upload.name)
            try:
                with upload.open("rb") as source:
                    item = services.evidence_ingest(
                        actor=request.user,
                        source=source,
                        original_name=upload.name,
                        recorded_by=selectors.recording_officer(proposal, uploader=request.user),
                        case=case,
                        inspection=inspection,
                        **data,
                    )
            except BlobError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("已登记证据 %(number)d：%(name)s") % {"number": item.number, "name": item.original_name}
                )
                if proposal is not None:
                    messages.info(request, proposal.describe())
                if warning := proposal and proposal.officer_warning(owner):
                    messages.warning(request, _("%(warning)s，记录人登记为您本人。") % {"warning": warning})
                if data.get("captured_start") and not item.captured_by_hand:
                    messages.info(request, _("文件本身记录了摄录时间，已以文件记录为准，未采用手工填写的时间。"))
                return redirect(request.path)
    context |= {
        "owner": owner,
        "case": case,
        "inspection": inspection,
        "owner_kind": "case" if case else "inspection",
        "form": form if adds and context["takes_files"] else None,
        "review_cleared": bool(selectors.cases_with_cleared_review(case=case, inspection=inspection)),
        "items": _rows(items),
    }
    return render(request, "evidence/case_evidence.html", context)


def item_detail(request, item_id: int):
    item = selectors.evidence_get_for_user(user=request.user, item_id=item_id)
    form = AnnotationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_annotate(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已更正备注（原版本保留）。"))
            return redirect("evidence:item", item.pk)
    context = {
        "item": item,
        "annotations": item.annotations.all(),
        "form": form if selectors.may_annotate(request.user, item) else None,
        "custody": readable(selectors.custody(item), user=request.user),
        "warning": selectors.time_warning(item),
    }
    return render(request, "evidence/item.html", context)


def item_file(request, item_id: int, how: str):
    """Stream the file (inline to view, attachment to download), its hash checked as it goes (a corrupted file is cut
    off before its end, and alerted); every access is ledgered first."""
    item = selectors.evidence_get_for_user(user=request.user, item_id=item_id)
    services.evidence_access(actor=request.user, item=item, how=how)
    return evidence_response(item, as_attachment=how == "download")


def scrub_report(request):
    """The last integrity scrub, for administrators."""
    if not (request.user.is_superuser or request.user.has_role(Role.ADMIN)):
        raise PermissionDenied(_("只有系统管理员可以查看完整性校验结果。"))
    return render(request, "evidence/scrub.html", {"report": ScrubReport.objects.first()})
