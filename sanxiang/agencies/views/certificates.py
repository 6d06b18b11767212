"""Workbench pages for enforcement certificates (执法证)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies import selectors, services
from sanxiang.agencies.actions import CERTIFICATES
from sanxiang.agencies.forms import CertificateFilterForm, CertificateIssueForm
from sanxiang.core.actions import action_post
from sanxiang.core.forms import run_service


def certificate_list(request):
    today = timezone.localdate()
    filters = CertificateFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else None
    certificates = selectors.certificates_for_user(request.user, status=status, today=today)
    if filters.is_valid() and filters.cleaned_data["q"]:
        term = filters.cleaned_data["q"]
        certificates = certificates.filter(Q(number__icontains=term) | Q(holder__full_name__icontains=term))
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    template = (
        "agencies/_certificate_rows.html" if request.headers.get("HX-Request") else "agencies/certificate_list.html"
    )
    return render(request, template, {"page": page, "filters": filters, "today": today})


def certificate_issue(request, staff_id: int):
    holder = selectors.staff_get_for_user(user=request.user, staff_id=staff_id, action=selectors.MANAGE)
    form = CertificateIssueForm(request.POST or None)
    if request.method == "POST":
        certificate = run_service(
            form, lambda data: services.certificate_issue(actor=request.user, holder=holder, **data)
        )
        if certificate:
            messages.success(request, _("已登记执法证 %(number)s。") % {"number": certificate.number})
            return redirect("agencies:certificate-detail", certificate.pk)
    title = _("为 %(name)s 登记执法证") % {"name": holder.full_name}
    return render(request, "agencies/form.html", {"form": form, "title": title, "back_staff": holder})


def certificate_detail(request, certificate_id: int, *, bound=None, status: int = 200):
    """The certificate, and for its administrators the moves its status allows."""
    certificate = selectors.certificate_get_for_user(user=request.user, certificate_id=certificate_id)
    context = {
        "certificate": certificate,
        "status": certificate.status_on(timezone.localdate()),
        "actions": CERTIFICATES.forms(request.user, certificate, initial={}, bound=bound)
        if selectors.can_manage(request.user, certificate.agency)
        else [],
    }
    return render(request, "agencies/certificate_detail.html", context, status=status)


@require_POST
def certificate_action(request, certificate_id: int, action: str):
    certificate = selectors.certificate_get_for_user(
        user=request.user, certificate_id=certificate_id, action=selectors.MANAGE
    )
    return action_post(request, CERTIFICATES, certificate, action, page=certificate_detail)
