"""The ledger's hook: entries were appended. The audit app takes the administrative ones (staff, roles,
certificates, rules, agency settings, the calendar) into its security log, with the address they came from."""

from sanxiang.core.hooks import hook

entries_appended = hook(
    "ledger.entries_appended",
    doc="entries_appended(records=[ledger.services.Record], indexes=[int]) after they are written, in the "
    "caller's transaction",
    required=False,
)
