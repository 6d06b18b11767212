"""Background work of the ledger (huey): a backstop for checkpoints a serving process failed to sign, and the
witnesses' cosignatures.

Every process signs its own commits within LEDGER_CHECKPOINT_SECONDS (ledger.cadence); the minute's task covers
a process that died with a checkpoint pending, and sends the latest checkpoint again to witnesses that have not
cosigned it (one was down, or the process died before sending).
"""

from huey import crontab
from huey.contrib.djhuey import db_task

from sanxiang.core.periodic import periodic_task
from sanxiang.ledger.services import checkpoint_if_due
from sanxiang.ledger.witnessing import checkpoint_witness, witnesses


@periodic_task(crontab())  # every minute; checkpoint_if_due decides whether one is needed
def periodic_checkpoint():
    checkpoint_if_due()
    if witnesses():
        checkpoint_witness()


@db_task()
def witness_checkpoint(size: int):
    """Queued as a checkpoint commits: its cosignatures, collected outside the transaction that signed it."""
    checkpoint_witness(size=size)
