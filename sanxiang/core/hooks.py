"""Hooks and registries: how a lower app lets a higher one act, or tell it something, without importing it.

Apps depend one way (docs/architecture.md). When a lower app needs a higher one's work done — a decision issued
in `cases` opens its publication record in `publicity` — the lower app declares a hook, the higher app registers
its handler in its AppConfig.ready(), and the lower app calls the hook. A handler runs at once, in the caller's
transaction, so what it writes commits or rolls back with the caller's change. A registry is the same idea for
facts instead of work: each app registers its entries (the labels of its ledger actions, say) and a lower app
reads them all.

Every hook and registry is declared once, here, under a unique name, so that a test can list them and check that
each hook that needs a handler has one once the apps are ready.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_DECLARED: dict[str, Hook | Registry] = {}


def _declare(item):
    if item.name in _DECLARED:
        raise ImproperlyConfigured(f"hook or registry {item.name!r} is declared twice")
    _DECLARED[item.name] = item
    return item


def declared() -> list[Hook | Registry]:
    """Every hook and registry, in the order they were declared."""
    return list(_DECLARED.values())


class Hook:
    """A point where a lower app calls the handlers that higher apps registered.

    `single` hooks take exactly one provider (an object implementing an interface the declaring app documents);
    the others call every handler in the order they were registered. A `required` hook without a handler is an
    installation error, raised when it is called rather than silently doing nothing.
    """

    def __init__(self, name: str, *, doc: str, single: bool = False, required: bool = True):
        self.name, self.doc, self.single, self.required = name, doc, single, required
        self._handlers: list[Any] = []

    def register(self, handler: Any) -> None:
        """Add a handler (from AppConfig.ready()); registering the same handler again changes nothing."""
        if handler in self._handlers:
            return
        if self.single and self._handlers:
            raise ImproperlyConfigured(f"hook {self.name!r} already has its provider {self._handlers[0]!r}")
        self._handlers.append(handler)

    @property
    def handlers(self) -> tuple:
        return tuple(self._handlers)

    @property
    def provider(self) -> Any:
        """The one provider of a single hook."""
        if not self.single:
            raise TypeError(f"hook {self.name!r} takes several handlers; call it instead")
        self._require()
        return self._handlers[0]

    def __call__(self, **kwargs) -> list:
        """Call every handler with the same keyword arguments; returns their results in order."""
        if self.single:
            raise TypeError(f"hook {self.name!r} has one provider; use .provider")
        self._require()
        return [handler(**kwargs) for handler in self._handlers]

    def _require(self) -> None:
        if self.required and not self._handlers:
            raise ImproperlyConfigured(f"hook {self.name!r} has no handler: is the app that provides it installed?")

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"


class Registry(Mapping):
    """A table that several apps fill, key by key, at start-up; a key registered twice with another value is an
    error, so two apps can never silently claim the same name."""

    def __init__(self, name: str, *, doc: str):
        self.name, self.doc = name, doc
        self._entries: dict[str, Any] = {}

    def register(self, entries: Mapping[str, Any]) -> None:
        for key, value in entries.items():
            if key in self._entries and self._entries[key] != value:
                raise ImproperlyConfigured(f"{self.name}: {key!r} is already registered as {self._entries[key]!r}")
            self._entries[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._entries)} entries>"


def hook(name: str, *, doc: str, single: bool = False, required: bool = True) -> Hook:
    """Declare a hook."""
    return _declare(Hook(name, doc=doc, single=single, required=required))


def registry(name: str, *, doc: str) -> Registry:
    """Declare a registry."""
    return _declare(Registry(name, doc=doc))
