"""A progress bar for long command-line runs, written to standard error only when it is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, *, label: str = "", unit: str = "", stream=None, width: int = 30):
        self.total, self.label, self.unit, self.width = total, label, unit, width
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        share = min(done / self.total, 1.0) if self.total else 1.0
        bar = "#" * int(share * self.width)
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r{self.label} [{bar:<{self.width}}] {share:6.1%} {done:,}/{self.total:,} {self.unit} ({rate:,.0f}/s)"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.update(self.total)
            self.stream.write("\n")
