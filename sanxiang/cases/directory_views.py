"""Workbench pages of the regulated-entity directory (监管对象名录库) — the parties of the agencies the user sees, by
name or code, area, tier and industry; a party with its cases and history; registration, correction and import by
those who keep the agency's directory — and the violations hung on a penalty power (挂接) by those who keep the
agency's powers. Links and forms are shown only to whom the services admit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.selectors import agencies_for_user
from sanxiang.cases import selectors, services
from sanxiang.cases.directory_forms import DirectoryFilter, PartyCorrectForm, PartyForm, PowerViolationsForm
from sanxiang.cases.services.directory import COLUMNS
from sanxiang.core.forms import import_page, run_service
from sanxiang.powers.selectors import agencies_kept_by, may_keep_powers, power_get_for_user

KEEPS = gettext_lazy("只有本机关的执法人员或负责人可以登记、更正和导入监管对象名录。")


def party_list(request):
    filters = DirectoryFilter(request.GET or None, agencies=agencies_for_user(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    parties = selectors.parties_for_user(
        request.user,
        search=data.get("q", "").strip(),
        agency=data.get("agency"),
        division=data.get("division", ""),
        tier=data.get("tier", ""),
        industry=data.get("industry", "").strip(),
    )
    page = Paginator(parties, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "correctable": {party.pk for party in page if selectors.may_correct_party(request.user, party)},
        "keeps": agencies_kept_by(request.user, keeps=selectors.may_keep_directory).exists(),
    }
    return render(request, "cases/party_list.html", context)


def party_detail(request, party_id: int):
    """A party as the directory holds it, its cases the user sees, and its history."""
    party = selectors.party_get_for_user(user=request.user, party_id=party_id)
    context = {
        "party": party,
        "may_correct": selectors.may_correct_party(request.user, party),
        "cases": selectors.cases_for_user(request.user).filter(party=party)[:50],
    }
    return render(request, "cases/party_detail.html", context)


def party_create(request):
    agency = request.user.agency
    if agency is None or not selectors.may_keep_directory(request.user, agency):
        raise PermissionDenied(KEEPS)
    form = PartyForm(request.POST or None)
    if request.method == "POST":
        party = run_service(form, lambda data: services.party_create(actor=request.user, agency=agency, **data))
        if party:
            messages.success(request, _("已登记 %(name)s。") % {"name": party.name})
            return redirect("cases:party-detail", party.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("登记当事人")})


def party_correct(request, party_id: int):
    """更正当事人信息: the form shows the record as it stands; only the fields changed are corrected."""
    party = selectors.party_get_for_user(user=request.user, party_id=party_id)
    if not selectors.may_correct_party(request.user, party):
        raise PermissionDenied(_("只有登记该当事人的机关的执法人员或负责人可以更正当事人信息。"))
    initial = {field: getattr(party, field) for field in PartyForm.base_fields}
    form = PartyCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        corrected = run_service(form, lambda data: services.party_correct(actor=request.user, party=party, **data))
        if corrected:
            messages.success(request, _("已更正 %(name)s 的信息。") % {"name": corrected.name})
            return redirect("cases:party-detail", party.pk)
    return render(
        request, "cases/form.html", {"form": form, "title": _("更正当事人信息：%(name)s") % {"name": party.name}}
    )


def party_import(request):
    """Upload a directory; every problem is listed by line and column, and nothing is saved unless there is none."""
    return import_page(
        request,
        agencies=agencies_kept_by(request.user, keeps=selectors.may_keep_directory),
        run=services.parties_import,
        title=_("导入监管对象名录"),
        columns=COLUMNS,
        done="cases:party-list",
        refused=KEEPS,
        notes=[
            _(
                "按统一社会信用代码识别：本机关名录已有的，按文件更正其信息（记入执法全过程记录）；没有的，登记为新的监管对象。"
            ),
            _("文件中有的列才导入，该列的空格即清空该项；类别空白为法人，分级分类空白为一般监管。"),
            _("分级分类填重点监管、一般监管或正面清单；重点排污单位填是或否；区划代码为 6 位县级行政区划代码。"),
        ],
    )


def power_violations(request, power_id: int):
    """挂接违法行为: which violations of the shared catalogue a penalty power of the agency punishes."""
    power = power_get_for_user(user=request.user, power_id=power_id)
    if not may_keep_powers(request.user, power.agency):
        raise PermissionDenied(_("只有本机关或上级机关的系统管理员可以维护执法事项库。"))
    form = PowerViolationsForm(request.POST or None, initial={"violations": list(power.violations.all())})
    if request.method == "POST":
        done = run_service(form, lambda data: services.power_violations_set(actor=request.user, power=power, **data))
        if done:
            messages.success(request, _("已更新 %(code)s 挂接的违法行为。") % {"code": power.code})
            return redirect("powers:detail", power.pk)
    title = _("挂接违法行为：%(power)s") % {"power": power}
    return render(request, "cases/form.html", {"form": form, "title": title})
