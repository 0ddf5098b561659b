"""Atomic file writes: a file is either the old one or the complete new one, never half.

A report or export written over a council's earlier file must not leave a
truncated file behind if the disk fills or the process is stopped.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ccin_learn.errors import KitError


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


DEFAULT_MODE = 0o666 & ~current_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise KitError(f"cannot write {path}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    mode = path.stat().st_mode & 0o777 if path.is_file() else DEFAULT_MODE
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise KitError(f"cannot write {path}: {err.strerror}") from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
