"""The staff's search index of evidence (core/textindex.py): a file is found by its original name, its kind and
whether it was recorded covertly in the words the search page shows them in (录像, 隐蔽录制: the table keeps codes),
what its latest notes say (摄录内容, who speaks, what is said), the place and the recording device or officer number;
scoped to the agencies above its own, as cases are (cases/search.py). The ingest and the correction of notes keep the
rows; `items_rebuild` makes them again from the tables (a change of what a row holds comes with a migration that
calls it)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.search import RECENT, scope
from sanxiang.core.textindex import Entry, TextIndex, refill
from sanxiang.evidence.models import EvidenceAnnotation, EvidenceItem, EvidenceKind

ITEMS = TextIndex("evidence_item_search", key="item_id", recent=RECENT)
VALUES = ("pk", "original_name", "place", "device", "officer_number", "kind", "covert", "agency__path")
KINDS = dict(EvidenceKind.choices)
COVERT = _("隐蔽录制")  # the search page's badge
NOTES = ("description", "speakers", "dialogue")


def _with_notes(items, annotation_model):
    """The items' values with their latest notes, in one query."""
    latest = annotation_model.objects.filter(item=OuterRef("pk")).order_by("-version")
    return items.annotate(**{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in NOTES}).values_list(
        *VALUES, *(f"latest_{name}" for name in NOTES)
    )


def _entries(rows) -> Iterator[Entry]:
    for item_id, name, place, device, officer, kind, covert, path, *notes in rows:
        words = [str(KINDS.get(kind, "")), str(COVERT) if covert else ""]
        yield Entry(item_id, [name, *words, place, device, officer, *(note or "" for note in notes)], scope(path))


def items_index(items) -> None:
    """Index the items of a queryset again (an ingest, corrected notes)."""
    ITEMS.put(_entries(_with_notes(items, EvidenceAnnotation)))


def items_rebuild(item_model=EvidenceItem, annotation_model=EvidenceAnnotation, progress=None) -> int:
    """Make the index again from the tables (a migration passes its historical models)."""
    return refill(ITEMS, _with_notes(item_model.objects.order_by("pk"), annotation_model), _entries, progress)
