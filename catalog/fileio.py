"""Writing files so that a reader sees the old file or the new one, never half of one.

Every file the project writes (paper YAML, README.md, reports, the link cache, repository
metadata) goes through these two functions: the content goes to a temporary file beside the
target, is flushed to disk, and replaces the target with one ``os.replace``. A failure at any
point (an encoding error, a full disk, Ctrl+C) leaves the target as it was and no temporary file
behind. Text is UTF-8 with the newlines it was given (``\\n``: no platform translation).

With ``only_if_changed`` (the default) a file whose bytes are already the wanted ones is not
touched, so its modification time stays and tools watching it do not rebuild for nothing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, only_if_changed: bool = True) -> bool:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically; returns whether it wrote."""
    return write_bytes_atomic(path, text.encode("utf-8"), only_if_changed=only_if_changed)


def write_bytes_atomic(path: Path, data: bytes, *, only_if_changed: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically, creating missing folders; returns whether it wrote."""
    path = Path(path)
    if only_if_changed and _holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # a replaced file keeps its permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return True


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a file whose content is exactly ``data`` (cheap size check first)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty, uniquely named temporary file in the target's folder, open for writing.

    Unlike :func:`tempfile.mkstemp` (always 0600) it is created with 0666 less the umask, so a
    new file gets the same permissions as any other file the user creates.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
