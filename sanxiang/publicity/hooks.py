"""What publicity tells the apps above it (core.hooks)."""

from sanxiang.core import hooks

public_changed = hooks.hook(
    "publicity.public_changed",
    doc="What the portal shows of a publication changed (published, corrected, withdrawn, ended): each handler takes "
    "publication_id=…, in the move's transaction. The portal drops the pages it kept of it (portal.pages).",
    required=False,
)
