"""Writes to the law library: importing the official text of a version from the national database's download.

The repository carries paraphrases and addresses only; an installation holds the official words once one of the
province's system administrators imports them (the role that keeps the calendar every agency shares). An import is
all or nothing: every problem of the file is listed, and if there is one nothing is saved.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.selectors import administers_installation
from sanxiang.laws import texts
from sanxiang.laws.citations import STATE_PREFIX
from sanxiang.laws.models import Article, Instrument
from sanxiang.laws.numerals import article_label
from sanxiang.ledger.services import ledger_append

LEDGER_ACTIONS = {"law.text_import": gettext_lazy("导入法律法规官方文本")}


class TextRejected(ValidationError):
    """Every problem of an imported file; nothing of it was saved."""

    def __init__(self, problems: list[str]):
        summary = _("文件中有 %(n)d 处问题，未导入任何内容。") % {"n": len(problems)}
        super().__init__({"non_field_errors": [summary], "file": problems})
        self.problems = problems


def _dated(version: Instrument, day: str) -> bool:
    """Whether the last date of a download's history (the day of its last revision, or for a regulation the day it
    took effect) is this version's."""
    return day in (str(version.promulgated_on), str(version.effective_from))


def _target(instrument: Instrument | None, text: texts.LawText, problems: list[str]) -> Instrument | None:
    """The version chosen, which the file's title and history must name; or, when none was chosen, the version
    the title and the history's last date name."""
    title = text.title.removeprefix(STATE_PREFIX)
    if instrument is not None:
        if text.title and title != instrument.title.removeprefix(STATE_PREFIX):
            problems.append(
                _("文件标题“%(file)s”与所选的《%(chosen)s》不符。") % {"file": text.title, "chosen": instrument.title}
            )
        elif text.last_date and not _dated(instrument, text.last_date):
            problems.append(
                _("文件题注的最后日期 %(day)s 不是所选版本（%(version)s）的日期，可能不是同一版本。")
                % {"day": text.last_date, "version": instrument.version_label}
            )
        return instrument
    if not text.title:
        problems.append(_("文件没有标题，请选择要导入的法律法规版本。"))
        return None
    versions = [version for version in Instrument.objects.all() if version.title.removeprefix(STATE_PREFIX) == title]
    if not versions:
        problems.append(_("法律法规库中没有《%(title)s》，只能导入库中已有版本的官方文本。") % {"title": text.title})
        return None
    dated = [version for version in versions if _dated(version, text.last_date)]
    if len(versions) == 1 or len(dated) == 1:
        return (dated or versions)[0]
    problems.append(_("库中有《%(title)s》的多个版本，请选择要导入的版本。") % {"title": text.title})
    return None


@transaction.atomic
def instrument_text_import(
    *, actor, file_name: str, content: bytes, instrument: Instrument | None = None
) -> Instrument:
    """导入官方文本: store the official words of every article of a version from its download (.docx or .txt),
    with the file's name and SHA-256 and the time, in one transaction with its public ledger entry. Articles the
    library did not hold are added without a paraphrase. Only the province's system administrators may import."""
    if not administers_installation(actor):
        raise PermissionDenied(_("只有省级机关的系统管理员可以导入法律法规官方文本。"))
    file_name = Path(file_name).name[:200]
    text = texts.read(file_name, content)
    problems = list(text.problems)
    target = _target(instrument, text, problems) if text.articles else None
    if target is not None:
        target = Instrument.objects.select_for_update().get(pk=target.pk)
        last = max(number for number, _words in text.articles)
        problems += [
            _("库中已收录%(label)s，文件中没有（文件共%(n)d条），可能不是同一版本。")
            % {"label": article_label(number), "n": len(text.articles)}
            for number in target.articles.filter(number__gt=last).values_list("number", flat=True)
        ]
    if problems:
        raise TextRejected(problems)
    digest, now = hashlib.sha256(content).hexdigest(), timezone.now()
    for number, words in text.articles:
        Article.objects.update_or_create(
            instrument=target,
            number=number,
            defaults={"official_text": words, "text_source": file_name, "text_sha256": digest, "text_imported_at": now},
        )
    ledger_append(
        actor=actor,
        agency=actor.agency,
        action="law.text_import",
        subject=target,
        data={"file": file_name, "sha256": digest, "articles": len(text.articles), "version": target.version_label},
        public=True,
    )
    return target
