"""Workbench pages of the powers catalogue (执法事项库): read by every member of staff for the agencies they see,
kept by those the services allow (links and forms are shown only to them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanxiang.agencies.selectors import agencies_for_user
from sanxiang.core.forms import import_page, run_service
from sanxiang.powers import selectors, services
from sanxiang.powers.forms import PowerFilter, PowerForm, WithdrawForm
from sanxiang.powers.models import Power

KEEPS = gettext_lazy("只有本机关或上级机关的系统管理员可以维护执法事项库。")


def power_list(request):
    """The catalogue of the agencies the user sees, in force unless asked otherwise, by kind."""
    filters = PowerFilter(request.GET or None, agencies=agencies_for_user(request.user))
    powers = selectors.powers_for_user(request.user, **filters.query())
    context = {
        "filters": filters,
        "page": Paginator(powers, 50).get_page(request.GET.get("page")),
        "may_keep": selectors.agencies_kept_by(request.user).exists(),
    }
    return render(request, "powers/list.html", context)


def power_detail(request, power_id: int, *, withdraw_form: WithdrawForm | None = None, status: int = 200):
    """A power with what hangs on it: violations, legal-review lines, inspection items; its history."""
    power = selectors.power_get_for_user(user=request.user, power_id=power_id)
    may_keep = selectors.may_keep_powers(request.user, power.agency)
    context = {
        "power": power,
        "may_keep": may_keep and power.withdrawn_on is None,
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    return render(request, "powers/detail.html", context, status=status)


def power_create(request):
    agencies = selectors.agencies_kept_by(request.user)
    if not agencies.exists():
        raise PermissionDenied(KEEPS)
    form = PowerForm(request.POST or None, agencies=agencies, initial={"agency": request.user.agency_id})
    if request.method == "POST":
        power = run_service(form, lambda data: services.power_create(actor=request.user, **data))
        if power:
            messages.success(request, _("已增加执法事项 %(code)s。") % {"code": power.code})
            return redirect("powers:detail", power.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("增加执法事项")})


def power_update(request, power_id: int):
    power = _kept(request, power_id)
    initial = {name: getattr(power, name) for name in services.POWER_FIELDS}
    form = PowerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        changed = run_service(form, lambda data: services.power_update(actor=request.user, power=power, **data))
        if changed:
            messages.success(request, _("已修改执法事项 %(code)s。") % {"code": changed.code})
            return redirect("powers:detail", power.pk)
    return render(request, "agencies/form.html", {"form": form, "title": _("修改执法事项：%(p)s") % {"p": power}})


@require_POST
def power_withdraw(request, power_id: int):
    power = _kept(request, power_id)
    form = WithdrawForm(request.POST)
    withdrawn = run_service(form, lambda data: services.power_withdraw(actor=request.user, power=power, **data))
    if withdrawn is None:
        return power_detail(request, power_id, withdraw_form=form, status=400)
    messages.success(request, _("已取消执法事项 %(code)s。") % {"code": withdrawn.code})
    return redirect("powers:detail", power.pk)


def _kept(request, power_id: int) -> Power:
    """A power the user may see (404) and keep (403)."""
    power = selectors.power_get_for_user(user=request.user, power_id=power_id)
    if not selectors.may_keep_powers(request.user, power.agency):
        raise PermissionDenied(KEEPS)
    return power


def power_import(request):
    """Upload a catalogue; every problem is listed by line and column, and nothing is saved unless there is none."""
    return import_page(
        request,
        agencies=selectors.agencies_kept_by(request.user),
        run=services.powers_import,
        title=_("导入执法事项库"),
        columns=services.COLUMNS,
        done="powers:list",
        refused=KEEPS,
    )
