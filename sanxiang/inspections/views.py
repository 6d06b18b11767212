"""Workbench pages of the inspection items (检查事项清单) with their frequencies, the working rules (抽查工作细则) and
the inspector directory (执法检查人员名录库): read by every member of staff for the agencies they see, kept by those
the services allow (links and forms are shown only to them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.selectors import agencies_for_user
from sanxiang.cases.models import Tier
from sanxiang.core.forms import import_page, run_service
from sanxiang.inspections import selectors, services
from sanxiang.inspections.forms import AgencyChoice, FrequencyForm, ItemFilter, ItemForm, RulesForm
from sanxiang.inspections.models import InspectionItem
from sanxiang.powers.forms import WithdrawForm
from sanxiang.powers.models import Power, PowerKind
from sanxiang.powers.selectors import agencies_kept_by

KEEPS = gettext_lazy("只有本机关或上级机关的系统管理员可以维护检查事项清单和抽查工作细则。")


def item_list(request):
    filters = ItemFilter(request.GET or None, agencies=agencies_for_user(request.user))
    items = selectors.items_for_user(request.user, **filters.query())
    context = {
        "filters": filters,
        "page": Paginator(items, 50).get_page(request.GET.get("page")),
        "may_keep": agencies_kept_by(request.user).exists(),
    }
    return render(request, "inspections/item_list.html", context)


def item_detail(request, item_id: int, *, bound=None, status: int = 200):
    """An item with its frequency per tier, its power, and (for its keepers) the forms to set a frequency and to
    withdraw it; `bound` is a refused form shown again with what was typed."""
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    may_keep = selectors.may_keep_items(request.user, item.agency) and item.withdrawn_on is None
    forms = {"frequency": FrequencyForm(), "withdraw": WithdrawForm()} | dict([bound] if bound else [])
    context = {
        "item": item,
        "frequencies": item.frequencies.order_by("-draw_percent", "tier"),
        "may_keep": may_keep,
        "forms": forms if may_keep else {},
    }
    return render(request, "inspections/item_detail.html", context, status=status)


def _kept(request, item_id: int) -> InspectionItem:
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    if not selectors.may_keep_items(request.user, item.agency):
        raise PermissionDenied(KEEPS)
    return item


def _inspection_powers(request):
    """The 行政检查 powers in force of the agencies the user keeps: those an item may hang on."""
    agencies = agencies_kept_by(request.user)
    if not agencies.exists():
        raise PermissionDenied(KEEPS)
    return (
        Power.objects.filter(agency__in=agencies, kind=PowerKind.INSPECTION).in_force().order_by("agency__path", "code")
    )


def item_create(request):
    form = ItemForm(request.POST or None, powers=_inspection_powers(request))
    if request.method == "POST":
        item = run_service(
            form, lambda data: services.item_create(actor=request.user, agency=data["power"].agency, **data)
        )
        if item:
            messages.success(request, _("已增加检查事项 %(code)s。") % {"code": item.code})
            return redirect("inspections:item-detail", item.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("增加检查事项")})


def item_update(request, item_id: int):
    item = _kept(request, item_id)
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    powers = _inspection_powers(request).filter(agency=item.agency)
    form = ItemForm(request.POST or None, powers=powers, new=False, initial=initial)
    if request.method == "POST":
        changed = run_service(form, lambda data: services.item_update(actor=request.user, item=item, **data))
        if changed:
            messages.success(request, _("已修改检查事项 %(code)s。") % {"code": changed.code})
            return redirect("inspections:item-detail", item.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("修改检查事项：%(i)s") % {"i": item}})


@require_POST
def item_withdraw(request, item_id: int):
    item = _kept(request, item_id)
    form = WithdrawForm(request.POST)
    if run_service(form, lambda data: services.item_withdraw(actor=request.user, item=item, **data)) is None:
        return item_detail(request, item_id, bound=("withdraw", form), status=400)
    messages.success(request, _("已取消检查事项 %(code)s。") % {"code": item.code})
    return redirect("inspections:item-detail", item.pk)


@require_POST
def frequency_set(request, item_id: int):
    item = _kept(request, item_id)
    form = FrequencyForm(request.POST)
    if run_service(form, lambda data: services.frequency_set(actor=request.user, item=item, **data)) is None:
        return item_detail(request, item_id, bound=("frequency", form), status=400)
    messages.success(request, _("已设定 %(tier)s 的抽查比例和频次。") % {"tier": Tier(form.cleaned_data["tier"]).label})
    return redirect("inspections:item-detail", item.pk)


@require_POST
def frequency_remove(request, item_id: int, tier: str):
    item = _kept(request, item_id)
    try:
        services.frequency_remove(actor=request.user, item=item, tier=tier)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已删除该分级分类的抽查比例和频次。"))
    return redirect("inspections:item-detail", item.pk)


def items_import(request):
    """Upload the items; every problem is listed by line and column, and nothing is saved unless there is none."""
    return import_page(
        request,
        agencies=agencies_kept_by(request.user),
        run=services.items_import,
        title=_("导入检查事项清单"),
        columns=services.COLUMNS,
        done="inspections:item-list",
        refused=KEEPS,
        notes=[
            _("执法事项编码为本机关执法事项库中行政检查事项的编码。"),
            _("检查方式填现场检查、非现场检查或书面检查（空白为现场检查）；纳入双随机填是或否（空白为是）。"),
            _(
                "某一分级分类的抽查比例（0 至 100）和每年检查上限（至少 1 次）须同时填写，并在“频次依据”中写明设定它们的文件。"
            ),
        ],
    )


def _agency_choice(request):
    """The agency a page is about: the one chosen among those the user sees, else the user's own."""
    agencies = agencies_for_user(request.user).filter(is_active=True).order_by("path")
    choice = AgencyChoice(request.GET or None, agencies=agencies, initial={"agency": request.user.agency})
    agency = choice.cleaned_data.get("agency") if choice.is_valid() else None
    return choice, agency or request.user.agency or agencies.first()


def rules(request):
    """抽查工作细则 of an agency, and the form to publish a new text for those who keep it."""
    choice, agency = _agency_choice(request)
    current = selectors.rules_of(agency) if agency else None
    may_keep = agency is not None and selectors.may_keep_items(request.user, agency)
    form = RulesForm(request.POST or None, instance=current) if may_keep else None
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied(KEEPS)
        saved = run_service(form, lambda data: services.rules_set(actor=request.user, agency=agency, **data))
        if saved:
            messages.success(request, _("已公布抽查工作细则。"))
            return redirect(f"{request.path}?agency={agency.pk}")
    context = {"choice": choice, "agency": agency, "rules": current, "form": form}
    return render(request, "inspections/rules.html", context, status=400 if form and form.errors else 200)


def inspector_directory(request):
    """执法检查人员名录库: the inspectors an agency may draw today, for staff."""
    choice, agency = _agency_choice(request)
    today = timezone.localdate()
    certificates = selectors.inspectors(agency, today=today) if agency else []
    context = {"choice": choice, "agency": agency, "certificates": certificates, "today": today}
    return render(request, "inspections/inspectors.html", context)
