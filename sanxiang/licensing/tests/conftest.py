import pytest

from sanxiang.licensing import hooks


@pytest.fixture
def published(monkeypatch):
    """What the licensing hooks told the apps above (publicity), recorded after their own handlers ran."""
    calls = []
    for hook, name in ((hooks.decision_issued, "issued"), (hooks.decision_changed, "changed")):
        monkeypatch.setattr(
            hook, "_handlers", [*hook.handlers, lambda name=name, **kwargs: calls.append((name, kwargs))]
        )
    return calls
