"""What evidence needs from the apps above it (core.hooks): evidence never imports web."""

from sanxiang.core import hooks

file_corrupted = hooks.hook(
    "evidence.file_corrupted",
    doc="A stored evidence file no longer has the SHA-256 it was registered with (found while it was served). "
    "Handlers take (item, found): web notifies the agency's administrators and heads. Runs outside any transaction "
    "of the download, once the broken stream has been stopped.",
)
