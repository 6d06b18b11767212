"""Background work of the ledger (huey): a backstop for checkpoints a serving process failed to sign.

Every process signs its own commits within LEDGER_CHECKPOINT_SECONDS (ledger.cadence); this task only covers a
process that died with a checkpoint pending.
"""

from huey import crontab

from sanxiang.core.periodic import periodic_task
from sanxiang.ledger.services import checkpoint_if_due


@periodic_task(crontab())  # every minute; checkpoint_if_due decides whether one is needed
def periodic_checkpoint():
    checkpoint_if_due()
