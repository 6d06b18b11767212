"""What an installation's integrity is made of, declared here and provided by the apps that keep it (core.hooks).

A restore (core.backup) must prove that what it put back is whole — the ledger recomputes, every stored file still
has its hash — and must refuse to overwrite an installation that already holds records. Core knows neither the
ledger nor the evidence, so each app that keeps such records registers a provider here in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sanxiang.core import hooks


@dataclass
class IntegrityResult:
    """What one check found: `summary` for the operator, one line per problem (the first few are shown)."""

    name: str
    ok: bool
    summary: str
    problems: list[str] = field(default_factory=list)


class IntegrityProvider(Protocol):
    name: str  # short English name, as the command prints it ("ledger", "evidence")
    label: str  # what is checked, in Chinese

    def holds_data(self) -> bool:
        """Whether the database holds records of this kind (a restore refuses to overwrite them)."""

    def check(self, *, progress: Callable[[int, int], None] | None = None) -> IntegrityResult:
        """Recompute and compare; progress(done, total) while it runs."""


providers = hooks.hook(
    "core.integrity",
    doc="The integrity checks a restore runs, and the records that make an installation non-empty: each handler is an "
    "IntegrityProvider (holds_data(), check(progress=)). The ledger (verify) and the evidence (scrub) provide one.",
)
