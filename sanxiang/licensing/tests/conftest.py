import pytest

from sanxiang.licensing import hooks


@pytest.fixture
def published(monkeypatch):
    """What the licensing hooks told the apps above (publicity), recorded as (hook name, arguments) after their own
    handlers ran."""
    calls = []
    for hook in (hooks.decision_issued, hooks.decision_changed):
        monkeypatch.setattr(hook, "_handlers", [*hook.handlers, lambda name=hook.name, **kw: calls.append((name, kw))])
    return calls
