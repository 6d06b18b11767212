"""What evidence needs from the apps above it (core.hooks): evidence never imports web."""

from sanxiang.core import hooks

file_corrupted = hooks.hook(
    "evidence.file_corrupted",
    doc="A stored evidence file no longer has the SHA-256 it was registered with (found while it was served). "
    "Handlers take (item, found): web notifies the agency's administrators and heads. Runs outside any transaction "
    "of the download, once the broken stream has been stopped.",
)

review_voided = hooks.hook(
    "evidence.review_voided",
    doc="Evidence added to a case (or to the inspection it came from) changed the materials its agreed legal review "
    "covered, so the decision now needs a new review. Handlers take (case, item): web tells the reviewer and the "
    "handling unit. Runs in the ingest's transaction.",
)
