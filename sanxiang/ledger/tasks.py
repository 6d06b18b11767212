"""Background work of the ledger (huey): a backstop for checkpoints a serving process failed to sign, the
witnesses' cosignatures and the time-stamping authority's tokens.

Every process signs its own commits within LEDGER_CHECKPOINT_SECONDS (ledger.cadence); the minute's task covers
a process that died with a checkpoint pending, sends the latest checkpoint again to witnesses that have not
cosigned it, and asks the TSA again for recent checkpoints left without a token (one was down, or the process died
before asking).
"""

from huey import crontab
from huey.contrib.djhuey import db_task

from sanxiang.core.periodic import periodic_task
from sanxiang.ledger.services import checkpoint_if_due
from sanxiang.ledger.timestamping import checkpoint_timestamp, timestamps_retry
from sanxiang.ledger.witnessing import checkpoint_witness, witnesses


@periodic_task(crontab())  # every minute; checkpoint_if_due decides whether one is needed
def periodic_checkpoint():
    checkpoint_if_due()
    if witnesses():
        checkpoint_witness()
    timestamps_retry()


@db_task()
def attest_checkpoint(size: int):
    """Queued as a checkpoint commits: its cosignatures and its time-stamp token, asked for outside the transaction
    that signed it."""
    if witnesses():
        checkpoint_witness(size=size)
    checkpoint_timestamp(size=size)
