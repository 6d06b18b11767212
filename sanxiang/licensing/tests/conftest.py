import pytest

from sanxiang.licensing import hooks


@pytest.fixture
def published():
    """What the licensing hooks told the apps above (publicity), recorded besides their own handlers."""
    calls = []

    def issued(**kwargs):
        calls.append(("issued", kwargs))

    def changed(**kwargs):
        calls.append(("changed", kwargs))

    hooks.decision_issued._handlers.append(issued)
    hooks.decision_changed._handlers.append(changed)
    yield calls
    hooks.decision_issued._handlers.remove(issued)
    hooks.decision_changed._handlers.remove(changed)
