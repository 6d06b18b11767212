"""When checkpoints get signed: soon after every commit, by whichever process made it.

The app itself keeps the promise that every entry is covered by a signed checkpoint within
LEDGER_CHECKPOINT_SECONDS; no background worker has to be running for it. After a transaction that appended
entries commits, the process signs at once when the latest checkpoint is older than the bound, and otherwise
arms one timer (per process) for the moment it will be. A process that exits with a timer pending signs on its
way out, so a one-off command leaves no unsigned tail behind. The huey task stays as a backstop for a process
that died before its timer fired.

Signing twice is harmless: `checkpoint_create` locks the log head and returns the checkpoint that already covers
the current size, so several processes racing here produce at most one checkpoint per size.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections, transaction

log = logging.getLogger(__name__)

_lock = threading.Lock()
_timer: threading.Timer | None = None
_exit_hook: Callable[[], object] | None = None


class AfterCommit:
    """The on-commit callback of a transaction that appended entries (one per transaction, see `request`)."""

    def __init__(self, due_in: Callable[[], float | None], sign: Callable[[], object]):
        self.due_in, self.sign = due_in, sign

    def __call__(self) -> None:
        # A timer armed in this process fires no later than this commit's entries fall due, and looks again then:
        # under steady writes, most commits need not ask the database anything.
        if pending():
            return
        _sign_or_wait(due_in=self.due_in, sign=self.sign)


def request(*, due_in: Callable[[], float | None], sign: Callable[[], object]) -> None:
    """Ask for a checkpoint once the current transaction commits (nothing happens if it rolls back)."""
    connection = transaction.get_connection()
    # A bulk import appends thousands of entries in one transaction: one callback is enough. Django keeps the
    # pending callbacks as (savepoint ids, callable, robust) and drops those of a rolled-back savepoint.
    if any(isinstance(pending[1], AfterCommit) for pending in connection.run_on_commit):
        return
    # robust: the business change is committed; a signing failure is logged (and `ledger verify` shows the
    # unsigned tail), it must not turn a successful request into an error page.
    transaction.on_commit(AfterCommit(due_in, sign), robust=True)


def sign_later(wait: float, *, due_in: Callable[[], float | None], sign: Callable[[], object]) -> None:
    """Arm this process's timer to sign in `wait` seconds, unless one is armed already (it fires no later)."""
    global _timer, _exit_hook
    if not settings.LEDGER_CHECKPOINT_TIMER:
        return
    with _lock:
        if _timer is not None and _timer.is_alive():
            return
        _timer = threading.Timer(wait, _fire, kwargs={"due_in": due_in, "sign": sign})
        _timer.daemon = True  # never keeps a process alive; the exit hook signs instead
        _timer.start()
        if _exit_hook is None:
            _exit_hook = sign
            atexit.register(_sign_on_exit)


def pending() -> bool:
    """Whether this process has a checkpoint timer armed."""
    return _timer is not None and _timer.is_alive()


def _sign_or_wait(*, due_in: Callable[[], float | None], sign: Callable[[], object]) -> None:
    wait = due_in()
    if wait is None:
        return
    if wait <= 0:
        sign()
    else:
        sign_later(wait, due_in=due_in, sign=sign)


def _fire(*, due_in, sign) -> None:
    global _timer
    try:
        with _lock:
            _timer = None
        # Another process may have signed meanwhile and more entries come: then this waits for the new due time.
        _sign_or_wait(due_in=due_in, sign=sign)
    except Exception:
        log.exception("ledger: the scheduled checkpoint could not be signed")
    finally:
        connections.close_all()  # this thread's connections only


def _sign_on_exit() -> None:
    global _timer
    with _lock:
        timer, _timer = _timer, None
    if timer is None or not timer.is_alive():
        return
    timer.cancel()
    try:
        _exit_hook()
    except Exception:
        log.exception("ledger: the checkpoint due at exit could not be signed")
