"""Workbench pages of the law library (法律法规库): search, a law's versions and articles, an article, the rules
with the articles they cite, and the import of an official text. The portal serves the same three reading pages
from the same contexts (`search_context`, `instrument_context`, `article_context`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.selectors import administers_installation
from sanxiang.core.forms import DateInput, apply_validation_error
from sanxiang.laws import selectors, services, texts
from sanxiang.laws.models import InForce, Instrument, InstrumentKind


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("法规名称、简称、文号、条文内容，或“行政处罚法第五十一条”"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=[("", "—"), *InstrumentKind.choices], required=False)
    status = forms.ChoiceField(label=gettext_lazy("效力"), choices=[("", "—"), *InForce.choices], required=False)
    on = forms.DateField(
        label=gettext_lazy("效力日期"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("按哪一天判断效力；不填为今天"),
    )


class ImportForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=gettext_lazy("法律法规版本"),
        queryset=Instrument.objects.order_by("title", "-effective_from"),
        required=False,
        help_text=gettext_lazy("不选则按文件标题和题注中的最后日期识别"),
    )
    file = forms.FileField(label=gettext_lazy("官方文本（.docx 或 .txt）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > texts.MAX_BYTES:  # refused before it is read into memory
            raise ValidationError(_("文件超过 5 MB，不像一部法律法规的文本。"))
        return upload


def search_context(request) -> dict:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    found = selectors.library_search(
        query=data.get("q", ""), kind=data.get("kind", ""), status=data.get("status", ""), on=on
    )
    return {"form": form, "found": found, "on": on}


def instrument_context(instrument_id: int) -> dict:
    instrument = selectors.instrument_get_for_user(user=None, instrument_id=instrument_id)
    return {
        "instrument": instrument,
        "versions": selectors.versions_of(instrument),
        "articles": instrument.articles.all(),
        "today": timezone.localdate(),
    }


def article_context(article_id: int) -> dict:
    article = selectors.article_get(article_id=article_id)
    today = timezone.localdate()
    return {
        "article": article,
        "instrument": article.instrument,
        "citing": selectors.rules_citing(article, on=today),
        "today": today,
    }


def index(request):
    context = search_context(request) | {"may_import": administers_installation(request.user)}
    return render(request, "laws/index.html", context)


def instrument(request, instrument_id: int):
    return render(request, "laws/instrument.html", instrument_context(instrument_id))


def article(request, article_id: int):
    return render(request, "laws/article.html", article_context(article_id))


class RulesForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("行为发生日"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("按哪一天判断所引条款的效力；不填为今天"),
    )


def rules(request):
    """The rules in force for the user's agency, each citation linked, flagged when a version it cites is not in
    force on the day asked (today by default)."""
    form = RulesForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    readings = selectors.rules_read(agency=request.user.agency, on=on)
    return render(request, "laws/rules.html", {"form": form, "readings": readings, "on": on})


def import_text(request):
    """Upload a version's official text; every problem is listed and nothing is saved unless there is none."""
    if not administers_installation(request.user):
        raise PermissionDenied(_("只有省级机关的系统管理员可以导入法律法规官方文本。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = services.instrument_text_import(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                instrument=form.cleaned_data["instrument"],
            )
        except services.TextRejected as error:
            problems = error.problems
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("已导入%(version)s的官方文本。") % {"version": imported})
            return redirect("laws:instrument", imported.pk)
    return render(request, "laws/import.html", {"form": form, "problems": problems}, status=400 if problems else 200)
