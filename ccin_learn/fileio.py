"""Safe file reads and atomic writes.

A report or export written over a council's earlier file must not leave a
truncated file behind if the disk fills or the process is stopped: it is
either the old file or the complete new one, never half.

A file the kit reads (an assessment, a YAML data file) is read only if it is
a regular file no larger than a stated limit, so that a named pipe, a device
such as ``/dev/zero`` or a symlink loop gives a one-line error, never a hang.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import IO

from defusedcsv import csv

from ccin_learn.errors import KitError


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


DEFAULT_MODE = 0o666 & ~current_umask()
PRIVATE_MODE = 0o600  # logs: the owner only

# O_NONBLOCK: opening a named pipe must not wait for a writer; O_NOCTTY: a terminal
# device must not become the process's controlling terminal.
READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: Path, limit: int, error: type[KitError] = KitError) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Anything else (missing, a folder, a pipe, a device, a symlink loop, too
    large, unreadable) raises ``error`` with one line naming the file and why.
    """
    try:
        fd = os.open(path, READ_FLAGS)
    except FileNotFoundError as err:
        raise error(f"{path}: file not found") from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise error(f"{path}: symlink loop") from err
        if err.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            raise error(f"{path}: not a regular file") from err
        raise error(f"{path}: cannot read: {err.strerror}") from err
    try:
        info = os.fstat(fd)
        mode, size = info.st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise error(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise error(f"{path}: is {file_kind(mode)}, not a regular file")
        if size > limit:
            raise error(f"{path}: file is too large ({size:,} bytes; at most {limit:,} allowed)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew after fstat
            raise error(f"{path}: file is too large (more than {limit:,} bytes allowed)")
        return b"".join(chunks)
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from err
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    Any failure (no such folder, no permission, a full disk) raises KitError
    naming the path and the reason, and leaves the old file and no temporary.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if not folder.exists():
            raise KitError(f"cannot write {path}: folder {folder} does not exist")
        if not folder.is_dir():
            raise KitError(f"cannot write {path}: {folder} is not a folder")
        if path.exists() and not path.is_file():
            # Never rename over a device (/dev/null), a pipe or a folder.
            raise KitError(f"cannot write {path}: it exists and is not a regular file")
        mode = path.stat().st_mode & 0o777 if path.is_file() else DEFAULT_MODE
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise KitError(f"cannot write {path}: {err.strerror or err}") from err
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise KitError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_private_log(path: Path) -> IO[str]:
    """A log file for writing that only its owner can read (mode 0600, even if it existed).

    Server logs can hold a database host, a user name or a learner's path; another
    account on a shared machine must not read them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    os.fchmod(fd, PRIVATE_MODE)  # an older log may have been made world-readable
    return os.fdopen(fd, "w", encoding="utf-8")


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Every row of a CSV file with a header, or none when there is no file yet."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_csv_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """The rows, under a header, written atomically; formula-like cells made safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, buffer.getvalue().encode("utf-8"))
