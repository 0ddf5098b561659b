"""A bubblewrap sandbox and whole-submission limits for a learner's grading kernel.

A learner's notebook is arbitrary code. Without a sandbox it runs with the
trainer's rights: it can read the issuer's signing key, the hidden tests and
other learners' work, rewrite the gradebook, leave a daemon behind or kill the
grader. So each kernel runs inside ``bwrap`` (bubblewrap):

* its own user, pid, network, IPC, UTS and cgroup namespaces (no network at
  all, not even the host's loopback), no capabilities, a new session (no
  TIOCSTI), a cleared environment;
* read-only: the system's programs and libraries and the Python prefixes only,
  never the project tree (``assessments/`` holds the model answers) nor the
  trainer's home; writable: the submission's own scratch copy (the kernel's
  working folder) and the kernel's private runtime folder; ``/tmp`` is private;
* ``--die-with-parent`` and the pid namespace: when the kernel ends, every
  process it started ends with it.

Limits apply to the whole submission, all its processes together: a cgroup
(v1 or v2) caps real memory (tmpfs included) and the number of processes where
the grader may create one; elsewhere (a non-root trainer on a hub) a watchdog
sums the sandbox's resident memory and counts its processes every 50 ms and
kills it when over. Per process: file size, no core dumps, CPU time, and a
generous address-space cap so that one huge allocation fails as the learner's
own ``MemoryError`` rather than killing the kernel.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ccin_learn.errors import KitError, one_line

MB = 1024 * 1024
CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids")
# The unprivileged id the learner's code has inside the sandbox.
NOBODY = 65534
NO_SANDBOX_HINT = (
    "install bubblewrap, or pass --no-sandbox to grade without one "
    "(learners' code then runs with your rights)"
)
WATCH_INTERVAL = 0.05


@dataclass(frozen=True)
class Limits:
    """What one submission may use, all its processes together."""

    memory_mb: int
    processes: int = 64
    cpu_seconds: int = 900
    file_mb: int = 64

    def describe(self) -> str:
        return f"{self.memory_mb} MB, {self.processes} processes"


# ---- the bwrap command --------------------------------------------------------------------

SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib32", "/lib64", "/libx32", "/sbin")
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
    "/etc/fonts",
    "/etc/matplotlibrc",
)


def python_prefixes() -> list[str]:
    """The folders this Python needs read-only: the venv and the interpreter it was made from."""
    found: list[str] = []
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        for path in (prefix, os.path.realpath(prefix)):
            if path not in found and not any(path.startswith(f + os.sep) for f in found):
                found.append(path)
    return found


def site_dirs() -> list[str]:
    """Package folders this Python was given beyond its prefixes, which the kernel needs too.

    A hub may run the kit with the system's Python and the kit's packages on PYTHONPATH
    (its venv's Python under another account's home being closed to graders): the
    sandbox's cleared environment would leave the kernel without ipykernel. Only
    folders named ``site-packages`` or ``dist-packages`` are passed on, never a project
    folder, which may hold model answers and hidden tests.
    """
    prefixes = python_prefixes()
    found: list[str] = []
    for entry in sys.path:
        path = os.path.realpath(entry) if entry else ""
        if (
            os.path.basename(path) in ("site-packages", "dist-packages")
            and os.path.isdir(path)
            and not any(path == p or path.startswith(p + os.sep) for p in prefixes)
            and path not in found
        ):
            found.append(path)
    return found


def system_mounts() -> list[str]:
    """bwrap arguments for the system's programs and libraries, read-only.

    On a merged-/usr system /bin, /lib... are symlinks into /usr: recreate them as
    symlinks, as binding them would bind /usr twice.
    """
    args: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    for prefix in python_prefixes() + site_dirs():
        args += ["--ro-bind", prefix, prefix]
    return args


def sandbox_env(home: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the trainer's leaks in."""
    return {
        "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "USER": "learner",
        "LOGNAME": "learner",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        # OpenBLAS and friends reserve memory per thread; one thread keeps numpy working
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
    } | ({"PYTHONPATH": os.pathsep.join(site_dirs())} if site_dirs() else {})


def bwrap_command(
    command: list[str], cwd: str, writable: list[str], limits: Limits, bwrap: str = "bwrap"
) -> list[str]:
    """The bwrap command line that runs ``command`` in ``cwd`` inside the sandbox."""
    args = [
        bwrap,
        "--unshare-all",
        "--unshare-user",  # required (not just tried) for --disable-userns
        "--disable-userns",  # no nested user namespace: less kernel surface inside
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        str(NOBODY),
        "--gid",
        str(NOBODY),
        "--hostname",
        "grading",
        "--clearenv",
    ]
    # HOME is the private /tmp, not the working folder: that folder is copied into the
    # cohort after grading, and IPython's profile files have no place there.
    for name, value in sandbox_env("/tmp").items():
        args += ["--setenv", name, value]
    # /tmp first: a kit (its venv) may live under /tmp, and a bind made before the
    # tmpfs would be hidden by it (bwrap applies these in order)
    args += ["--size", str(limits.memory_mb * MB), "--tmpfs", "/tmp"]
    args += system_mounts()
    args += ["--dev", "/dev", "--proc", "/proc"]
    for path in writable:
        args += ["--bind", path, path]
    args += ["--chdir", cwd, "--", *command]
    return args


def probe_bwrap(limits: Limits, scratch: Path) -> None:
    """Refuse (KitError) when bubblewrap is missing or cannot start a sandbox here.

    Run once per grading run: a machine without user namespaces, or a container
    that forbids them, fails here with bwrap's own reason rather than on every
    learner's kernel.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise KitError(f"cannot sandbox learners' code: bwrap was not found; {NO_SANDBOX_HINT}")
    scratch.mkdir(parents=True, exist_ok=True)
    command = bwrap_command([sys.executable, "-c", "pass"], str(scratch), [str(scratch)], limits)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        reason = one_line(err)
        raise KitError(f"cannot sandbox learners' code: {reason}; {NO_SANDBOX_HINT}") from None
    if done.returncode != 0:
        reason = one_line(done.stderr)[:200] or f"bwrap exited with {done.returncode}"
        raise KitError(f"cannot sandbox learners' code: {reason}; {NO_SANDBOX_HINT}")


# ---- per-process limits -------------------------------------------------------------------


def process_limits(limits: Limits, address_space: bool) -> None:
    """Limits each process inherits: file size, no core dumps, CPU time, address space.

    The address-space cap is generous (real memory is the cgroup's or the
    watchdog's job): OpenBLAS's virtual reservations must fit under it, and a
    single 10 GB allocation must still fail as a MemoryError.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = limits.file_mb * MB
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    if address_space:
        space = (limits.memory_mb + 2048) * MB
        resource.setrlimit(resource.RLIMIT_AS, (space, space))


# ---- cgroups ------------------------------------------------------------------------------


def own_cgroups() -> dict[str, str]:
    """This process's cgroup path per v1 controller ("" for the v2 unified hierarchy)."""
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        for name in names.split(",") if names else [""]:
            paths[name] = path
    return paths


class Cgroup:
    """One kernel's cgroup(s): created, joined, emptied and removed by name.

    v1 needs a folder per controller (memory, pids); v2 one folder. The folders
    sit under this process's own cgroup, so a grader confined by its host
    (a container, a systemd slice) stays confined.
    """

    def __init__(self, folders: list[Path], version: int) -> None:
        self.folders, self.version = folders, version
        self.limits = Limits(memory_mb=0)  # set by create()

    @classmethod
    def named(cls, name: str) -> Cgroup | None:
        """The cgroup ``name`` would be, under the first hierarchy we may write; else None."""
        own = own_cgroups()
        unified = CGROUP_ROOT / "cgroup.controllers"
        if unified.is_file():
            base = CGROUP_ROOT / own.get("", "/").lstrip("/")
            if os.access(base, os.W_OK):
                return cls([base / name], 2)
            return None
        folders = []
        for controller in V1_CONTROLLERS:
            base = CGROUP_ROOT / controller / own.get(controller, "/").lstrip("/")
            if not os.access(base, os.W_OK):
                return None
            folders.append(base / name)
        return cls(folders, 1)

    @property
    def mechanism(self) -> str:
        return f"cgroup v{self.version}"

    def create(self, limits: Limits) -> None:
        """Make the folders and set the limits (raises OSError when not allowed)."""
        self.limits = limits
        if self.version == 2:
            parent = self.folders[0].parent
            with contextlib.suppress(OSError):
                (parent / "cgroup.subtree_control").write_text("+memory +pids")
        for folder in self.folders:
            folder.mkdir(exist_ok=True)
        memory = str(limits.memory_mb * MB)
        if self.version == 1:
            memory_dir, pids_dir = self.folders
            (memory_dir / "memory.limit_in_bytes").write_text(memory)
            swap = memory_dir / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(memory)
            (pids_dir / "pids.max").write_text(str(limits.processes))
        else:
            folder = self.folders[0]
            (folder / "memory.max").write_text(memory)
            with contextlib.suppress(OSError):
                (folder / "memory.swap.max").write_text("0")
            (folder / "pids.max").write_text(str(limits.processes))

    def join(self, pid: int = 0) -> None:
        """Move ``pid`` (0: this process) in; its children are born inside."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(pid or os.getpid()))

    def hits(self) -> dict[str, int]:
        """How often the memory and process limits stopped something (OOM kills, failed forks)."""
        counts = {"memory": 0, "processes": 0}
        files = {
            "memory": ("memory.oom_control", "memory.events"),
            "processes": ("pids.events",),
        }
        keys = {"memory": "oom_kill", "processes": "max"}
        for what, names in files.items():
            for folder in self.folders:
                for name in names:
                    counts[what] += read_count(folder / name, keys[what])
        return counts

    def pids(self) -> set[int]:
        found: set[int] = set()
        for folder in self.folders:
            with contextlib.suppress(OSError):
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
        return found

    def empty(self, wait: float = 2.0) -> int:
        """Kill every process left inside; how many there were. Raises if some survive."""
        left = self.pids()
        deadline = time.monotonic() + wait
        while self.pids():
            for pid in self.pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if time.monotonic() > deadline:
                raise KitError(f"processes {sorted(self.pids())} would not stop")
            time.sleep(0.01)
        return len(left)

    def remove(self, grace: float = 0.0) -> int:
        """Empty and remove the cgroup; how many processes were still inside.

        ``grace``: seconds to let processes that are already ending (a kernel just
        shut down) go by themselves before counting the rest as left behind.
        """
        if not any(f.is_dir() for f in self.folders):
            return 0
        deadline = time.monotonic() + grace
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.02)
        left = self.empty()
        for folder in self.folders:
            with contextlib.suppress(FileNotFoundError):
                retry_rmdir(folder)
        return left


def read_count(path: Path, key: str) -> int:
    """The number after ``key`` in a cgroup's "key value" file (0 when absent)."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        name, _, value = line.partition(" ")
        if name == key and value.strip().isdigit():
            return int(value)
    return 0


def retry_rmdir(folder: Path) -> None:
    """rmdir a cgroup; the kernel may need a moment after its last process exits."""
    for _ in range(100):
        try:
            folder.rmdir()
            return
        except OSError as err:
            if err.errno == 2:
                return
            time.sleep(0.01)
    folder.rmdir()


def remove_cgroups(prefix: str) -> None:
    """Remove every cgroup named ``prefix...`` (after killing what is inside).

    A grading worker that died (killed, crashed) cannot remove its kernel's cgroup;
    the run does it at the end, so nothing of it stays behind.
    """
    probe = Cgroup.named(prefix)
    if probe is None:
        return
    names = {p.name for f in probe.folders for p in f.parent.glob(f"{prefix}*") if p.is_dir()}
    for name in sorted(names):
        group = Cgroup.named(name)
        if group is not None:
            with contextlib.suppress(KitError, OSError):
                group.remove()


@contextlib.contextmanager
def removing_cgroups(prefix: str) -> Iterator[None]:
    """On leaving, remove the cgroups named ``prefix...`` (``remove_cgroups``)."""
    try:
        yield
    finally:
        remove_cgroups(prefix)


def usable_cgroup(name: str, limits: Limits) -> Cgroup | None:
    """A cgroup we may create and limit here, tried once (then removed), else None."""
    group = Cgroup.named(name)
    if group is None:
        return None
    try:
        group.create(limits)
    except OSError:
        with contextlib.suppress(KitError, OSError):
            group.remove()
        return None
    group.remove()
    return group


# ---- the watchdog fallback ----------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def resident_bytes(pids: list[int]) -> int:
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
    return total


def watch(process: subprocess.Popen, limits: Limits) -> int:
    """Wait for ``process``, killing its whole tree when it goes over the limits.

    The fallback where no cgroup is writable: sampling every 50 ms can miss a
    burst between samples, which the per-process limits then bound.
    """
    while process.poll() is None:
        tree = process_tree(process.pid)
        if len(tree) > limits.processes + 2 or resident_bytes(tree) > limits.memory_mb * MB:
            # the root first: bwrap then ends its pid namespace, which takes every
            # process inside with it; killing the children first let bwrap exit on
            # its own first, with an ordinary status, under load
            for pid in tree:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(WATCH_INTERVAL)
    return process.returncode
