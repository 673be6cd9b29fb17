"""A one-line progress bar on stderr, only when stderr is a terminal (never in logs or CI)."""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class ProgressBar:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None, label: str = "checking links"):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.label = label
        self._lock = threading.Lock()

    def __call__(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self.enabled and self.total:
                width = 30
                filled = int(width * min(self.done, self.total) / self.total)
                self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
                self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\n")
            self.stream.flush()
