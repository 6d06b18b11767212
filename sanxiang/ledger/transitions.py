"""The one way a record changes state: lock it, check the move against its machine's table, apply it, and append
the ledger entry with the state before and after — all in the caller's transaction.

Each state machine declares its table of moves once, and each transition is one service function:

    CERTIFICATE = StateMachine(
        model=Certificate, prefix="certificate", related=("agency",), versioned=False,
        moves={"suspend": Move({VALID}, SUSPENDED, _("暂扣")), ...},
        refused=_("执法证当前状态为“%(state)s”，不能%(action)s。"),
    )

    @transaction.atomic
    def certificate_suspend(*, actor, certificate, reason):
        certificate = CERTIFICATE.lock(certificate, "suspend")
        ...  # the move's own rules and changes
        CERTIFICATE.commit(actor, certificate, "suspend", data={...})

`commit` refuses a record that was not locked (or started) for that move — the mark is on the object `lock`
returned — and a state the table does not allow the move to reach, so a transition cannot skip its check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from sanxiang.core.errors import Conflict
from sanxiang.ledger.services import ledger_append, ledger_append_many, record_for
from sanxiang.ledger.vocabulary import ROLE_LABELS

NEW = None  # the "state" of a record that the move itself creates


@dataclass(frozen=True, init=False)
class Move:
    """A move of the table: the states it may start from, where it leads, and its label.

    `target` is one state (the move sets it), several states (the service chooses one, the machine checks it) or
    None (the state stays what it was).
    """

    sources: frozenset
    targets: frozenset | None
    label: str
    roles: frozenset | None

    def __init__(self, sources: Iterable, target=None, label: str = "", roles: Iterable | None = None):
        targets = (
            None
            if target is None
            else frozenset(target)
            if isinstance(target, set | frozenset)
            else frozenset({target})
        )
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "label", label)
        # Who may take the move (role names); None leaves it to the service (a move made by the platform itself).
        object.__setattr__(self, "roles", None if roles is None else frozenset(roles))


@dataclass
class _Opened:
    move: str
    before: object
    agency: object = None  # the record's agency when the move began: who may act is judged there


class StateMachine:
    """The moves of one model's state field, and the lock / check / commit that every transition goes through."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        prefix: str,
        moves: dict[str, Move],
        field: str = "status",
        related: tuple[str, ...] = (),
        versioned: bool = True,
        conflict: str = "",
        refused: str = "",
    ):
        self.model, self.prefix, self.moves, self.field = model, prefix, moves, field
        self.related, self.versioned = related, versioned
        # %(now)d and %(seen)d: the stored version and the one the caller read
        self.conflict = conflict or gettext_lazy(
            "记录已被他人修改（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"
        )
        # %(state)s and %(action)s: the record's state and the move's label
        self.refused = refused or gettext_lazy("当前状态为“%(state)s”，不能%(action)s。")

    def state(self, record):
        return getattr(record, self.field)

    def allows(self, record, move: str) -> bool:
        """Whether the table allows `move` from the record's current state (for offering a step on a page)."""
        return self.state(record) in self.moves[move].sources

    def labels(self) -> dict[str, object]:
        """The ledger actions of this machine with their labels."""
        return {f"{self.prefix}.{name}": move.label for name, move in self.moves.items()}

    def lock(self, record: models.Model, move: str, *, version: int | None = None) -> models.Model:
        """The record, locked until the transaction ends, if nobody changed it since the caller read `version` and
        the table allows `move` from its state."""
        locked = self.model.objects.select_for_update(of=("self",)).select_related(*self.related).get(pk=record.pk)
        if version is not None and self.versioned and locked.version != version:
            raise Conflict(str(self.conflict) % {"now": locked.version, "seen": version})
        if not self.allows(locked, move):
            raise ValidationError(self.refusal(locked, move), code="invalid_transition")
        locked._transition = _Opened(move, self.state(locked), getattr(locked, "agency", None))
        return locked

    def lock_many(self, records: Iterable[models.Model], move: str) -> list[models.Model]:
        """`lock` for many records at once (one query; no version to compare), in the order given; the table must
        allow `move` from every one's state."""
        records = list(records)
        rows = (
            self.model.objects.select_for_update(of=("self",))
            .select_related(*self.related)
            .filter(pk__in=[record.pk for record in records])
            .order_by("pk")  # every caller locks in the same order: two jobs cannot wait on each other
        )
        found = {row.pk: row for row in rows}
        locked = []
        for record in records:
            if record.pk not in found:
                raise self.model.DoesNotExist(f"{self.prefix} {record.pk}")
            record = found[record.pk]
            if not self.allows(record, move):
                raise ValidationError(self.refusal(record, move), code="invalid_transition")
            record._transition = _Opened(move, self.state(record), getattr(record, "agency", None))
            locked.append(record)
        return locked

    def start(self, record: models.Model, move: str) -> models.Model:
        """A record this transaction has just created by `move` (its previous state is NEW)."""
        if NEW not in self.moves[move].sources:
            raise ValueError(f"{self.prefix}.{move} does not create a record")
        record._transition = _Opened(move, NEW, getattr(record, "agency", None))
        return record

    def permits(self, actor, agency, move: str) -> bool:
        """Whether `actor` may take `move` on a record of `agency`: a role the move names, held in that agency, one
        above it or one below it (an investigator of a branch). No actor is the platform itself (the demo, a
        background job); a superuser may do anything."""
        if actor is None or actor.is_superuser:
            return True
        roles = self.moves[move].roles
        if roles is not None and not roles & actor.roles:
            return False
        if agency is None or actor.agency is None:
            return actor.agency is not None or agency is None
        return agency.is_within(actor.agency) or actor.agency.is_within(agency)

    def require(self, actor, agency, move: str) -> None:
        """Refuse (403) an actor who may not take `move` in `agency`, before a service does any work (`commit`
        checks again)."""
        if not self.permits(actor, agency, move):
            raise PermissionDenied(self.forbidden(move))

    def forbidden(self, move: str) -> str:
        """Why the actor may not take `move`: the roles that may."""
        roles = sorted(str(ROLE_LABELS.get(role, role)) for role in self.moves[move].roles or ())
        return str(gettext_lazy("只有%(roles)s可以%(action)s（查审分离，各负其责）。")) % {
            "roles": "、".join(roles) or str(gettext_lazy("本机关人员")),
            "action": self.moves[move].label,
        }

    def refusal(self, record, move: str) -> str:
        """Why the table refuses `move` from the record's state (a machine may say more, e.g. for an archived case)."""
        display = getattr(record, f"get_{self.field}_display", lambda: self.state(record))()
        return str(self.refused) % {"state": display, "action": self.moves[move].label}

    def facts(self, record) -> dict:
        """The non-personal key fields every entry of this machine carries (besides the states)."""
        return {"version": record.version} if self.versioned else {}

    def before_save(self, record) -> None:
        """Derived fields to refresh before the record is saved (a case's next deadline)."""

    def commit(
        self, actor, record: models.Model, move: str, data: dict | None = None, *, public: bool = False, agency=None
    ) -> int:
        """Apply the move's target state, save, and append the entry (previous and new state, the machine's facts,
        `data`); returns the entry's index."""
        facts = self._apply(actor, record, move)
        record.save()
        del record._transition
        return ledger_append(
            actor=actor,
            agency=agency if agency is not None else record.agency,
            action=f"{self.prefix}.{move}",
            subject=record,
            data=facts | (data or {}),
            public=public,
        )

    def commit_many(self, actor, records: list[models.Model], move: str, data=None, *, fields=()) -> list[int]:
        """`commit` for many records and one move, for a background job that moves hundreds at once: those `start`
        marked are created in one statement, those `lock_many` gave are updated in one (the state, the version and
        `fields`), and the entries appended together. `data(record)`: the facts each entry adds."""
        if type(self).commit is not StateMachine.commit or type(self).before_save is not StateMachine.before_save:
            raise RuntimeError(
                f"{self.prefix}: a machine with its own commit or before_save moves one record at a time"
            )
        created, changed, facts = [], [], []
        for record in records:
            facts.append(self._apply(actor, record, move) | (data(record) if data else {}))
            (created if record._state.adding else changed).append(record)
        self.model.objects.bulk_create(created)
        if changed:
            self.model.objects.bulk_update(changed, [self.field, *(["version"] if self.versioned else []), *fields])
        for record in records:
            del record._transition
        return ledger_append_many(
            [
                record_for(
                    actor=actor, agency=record.agency, action=f"{self.prefix}.{move}", subject=record, data=entry
                )
                for record, entry in zip(records, facts, strict=True)
            ]
        )

    def _apply(self, actor, record: models.Model, move: str) -> dict:
        """The checks and changes of a commit before the save: the mark of `lock` or `start` (removed once saved), who
        may, the target state, the version; returns the entry's facts with the states before and after."""
        opened = getattr(record, "_transition", None)
        if opened is None or opened.move != move:
            raise RuntimeError(f"{self.prefix}.{move}: the record was not locked for this move")
        if not self.permits(actor, opened.agency, move):  # the caller's transaction rolls back what the move did
            raise PermissionDenied(self.forbidden(move))
        targets = self.moves[move].targets
        if targets is not None and len(targets) == 1:
            setattr(record, self.field, next(iter(targets)))
        after = self.state(record)
        allowed = after in targets if targets is not None else opened.before is NEW or after == opened.before
        if not allowed:
            raise RuntimeError(f"{self.prefix}.{move} may not lead to {after!r}")
        if self.versioned:
            record.version += 1
        self.before_save(record)
        return self.facts(record) | {self.field: after, f"previous_{self.field}": opened.before}
