"""Load on one machine, bounded and on localhost only: a hub's sign-in rush, and officers
saving the same councils' self-assessments at once on PostgreSQL (issue 13, item 7).

Prints:

- sign-in: ``--users`` people (system accounts made for the run) sign in within
  ``--window`` seconds, evenly staggered, to a real hub (``hub init`` then ``hub start``
  on free ports of 127.0.0.1, through its forms, as browsers do); for each, the time
  from opening the sign-in page to their own server answering ``/api/status``: median,
  p95, max, and how many failed and why;
- officers: ``--officers`` officers across ``--councils`` councils (each an editor of
  one council, as the hub's groups make them) read their council's latest version,
  change a score and save it based on what they read, over and over for ``--seconds``
  seconds, on a throwaway PostgreSQL cluster: saves accepted, refused as stale, other
  errors, lost (accepted but not in the database as its own version: must be 0), the
  save's latency (median and p95, accepted and refused alike) and saves per second.

A busy machine is slower, so the load average is printed before and after, with the
core count. Everything made for the run (accounts, hub, cluster) goes at its end, on
Ctrl+C or SIGTERM too. Needs root (system accounts; PostgreSQL runs as ``ccin-pg``) and
Debian's PostgreSQL; a part that cannot run says why in one line and is skipped.
Exit code 1 when a save was lost or a part measured nothing.

    python benchmarks/hub_load.py [--users 30 --window 30] [--officers 50 --councils 10
        --seconds 60 --processes 5] [--skip-signin] [--skip-officers]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the kit and its tests

from ccin_learn.hub.deploy import init_hub, kit_proxy
from ccin_learn.selfassessment.access import Officer, Role, group_name
from ccin_learn.selfassessment.assessment import Answer
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import ConflictError, Store, Version
from ccin_learn.site.paths import KitPaths
from tests.hub.driver import (
    CannotRun,
    Hub,
    approve,
    hub_settings,
    log_in,
    open_singleuser,
    running_hub,
    sign_up,
    system_accounts,
    wait_for_own_server,
)

ROOT = Path(__file__).resolve().parents[1]
USER_PREFIX = "ccinload"
ADMIN = f"{USER_PREFIX}-admin"
SERVER_TIMEOUT = 300.0  # seconds for one person's server: generous, so slow is not failed
ACTION = "cwb-inclusive-economy-charter"  # the score every officer keeps changing
COUNCIL_TYPE = "unitary"
READY_TIMEOUT = 120.0  # seconds for the officers' processes to open their stores


class MeasurementError(Exception):
    """A figure could not be taken (the script then exits 1)."""


# ---- figures ---------------------------------------------------------------------------


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive, as app_tti.py); the value itself when only one."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def spread(values: Sequence[float], unit: str, scale: float = 1.0) -> str:
    """Median, p95 and max in ``unit``: a tail, not just a typical case, is what a
    room of people waiting notices."""
    if not values:
        return "none measured"
    shown = [v * scale for v in values]
    return (
        f"median {statistics.median(shown):.1f} {unit}, p95 {p95(shown):.1f} {unit}, "
        f"max {max(shown):.1f} {unit}"
    )


def first_line(err: BaseException) -> str:
    """The gist of a failure (the driver's assertions carry the hub's whole log)."""
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:160]}" if text else type(err).__name__


# ---- part 1: the sign-in rush ------------------------------------------------------------


@dataclass
class SignIns:
    """Seconds from opening the sign-in page to a running server, and what failed."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sign_in_rush(users: int, window: float) -> SignIns:
    """A hub with ``users`` approved people, who then sign in within ``window`` seconds."""
    names = [f"{USER_PREFIX}-{n:02d}" for n in range(1, users + 1)]
    passwords = {name: secrets.token_urlsafe(12) for name in [ADMIN, *names]}
    os.environ["CCIN_KERNEL_POOL"] = "1"  # the hub's app service preheats one kernel only
    with (
        tempfile.TemporaryDirectory(prefix="ccin-load-hub-") as tmp,
        open_singleuser() as singleuser,
        system_accounts(*names),
    ):
        settings = hub_settings(ADMIN)
        files = init_hub(Path(tmp) / "hub", settings, kit_proxy(KitPaths(ROOT)), singleuser)
        with running_hub(files, settings.port, Path(tmp)) as hub:
            for name in [ADMIN, *names]:
                sign_up(hub, name, passwords[name])
            admin, refused = log_in(hub, ADMIN, passwords[ADMIN])
            if refused:
                raise MeasurementError("the hub's administrator could not sign in")
            for name in names:
                approve(hub, admin, name)
            print(f"  {users} accounts signed up and approved; load average {load_average()}")
            return staggered_sign_ins(hub, names, passwords, window)


def staggered_sign_ins(
    hub: Hub, names: list[str], passwords: dict[str, str], window: float
) -> SignIns:
    """Person i signs in at i * window / n seconds, each in a thread of their own."""
    found = SignIns()
    start = time.monotonic()

    def person(i: int, name: str) -> None:
        time.sleep(max(0.0, start + i * window / len(names) - time.monotonic()))
        began = time.monotonic()
        try:
            session, refused = log_in(hub, name, passwords[name])
            if refused:
                raise RuntimeError("the hub refused the sign-in")
            wait_for_own_server(hub, session, name, SERVER_TIMEOUT)
        except Exception as err:  # any failure is a figure, not a crash
            with found.lock:
                found.failures.append(first_line(err))
            return
        with found.lock:
            found.seconds.append(time.monotonic() - began)

    # Daemon threads: on Ctrl+C the main thread leaves at once and the hub is stopped.
    threads = [
        threading.Thread(target=person, args=(i, name), daemon=True) for i, name in enumerate(names)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def report_sign_ins(found: SignIns, users: int, window: float) -> bool:
    """Print the sign-in figures; False when no server started at all."""
    print(f"sign-in: {users} users signing in within {window:g} s")
    print(f"  servers running: {len(found.seconds)}, failed: {len(found.failures)}")
    print(f"  time to a running server: {spread(found.seconds, 's')}")
    for reason, times in Counter(found.failures).most_common():
        print(f"  failed x{times}: {reason}")
    return bool(found.seconds)


# ---- part 2: officers saving at once -------------------------------------------------------


@contextmanager
def postgresql_databases() -> Iterator[Callable[[], str]]:
    """A throwaway cluster (tests/pg_cluster.py's, as the tests start it) and a maker of
    new databases on it; everything goes when the block ends."""
    import pytest

    from tests import pg_cluster

    try:
        bin_dir = pg_cluster.postgresql_bin()
    except pytest.fail.Exception as err:
        raise CannotRun(str(err)) from None
    user = None
    folder = Path(tempfile.mkdtemp(prefix="ccin-pg-"))
    if os.geteuid() == 0:
        try:
            user = pg_cluster.system_user(folder)  # its lock goes with the folder
        except pytest.fail.Exception as err:
            shutil.rmtree(folder)
            raise CannotRun(str(err)) from None
        os.chown(folder, user.pw_uid, user.pw_gid)
    try:
        cluster = pg_cluster.start_cluster(bin_dir, folder, pg_cluster.as_user(user))
    except pytest.fail.Exception as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise CannotRun(str(err)) from None
    try:
        with pg_cluster.new_databases(cluster, "hub_load") as new_database:
            yield new_database
    finally:
        pg_cluster.stop(cluster)
        shutil.rmtree(folder, ignore_errors=True)


def council_names(councils: int) -> list[str]:
    return [f"Loadborough {n:02d} Council" for n in range(1, councils + 1)]


def seed(url: str, councils: list[str]) -> None:
    """Each council's first version, saved by the network's administrator (every right)."""
    store = Store(url, person=ADMIN)
    for council in councils:
        Session.open(store, council, COUNCIL_TYPE).save_version()
    store.engine.dispose()


def officer_store(url: str, name: str, council: str) -> Store:
    """``name``'s view of the database, as an editor of ``council`` only (hub groups)."""
    officer = Officer.from_groups(name, [group_name(council, Role.EDITOR)])
    return Store(url, person=name, officer=officer)


def one_round(store: Store, council: str, token: str, level: int) -> tuple[Any, ...]:
    """Read the latest version, change the score (its notes say which save this is),
    save it based on what was read: the outcome, with the save's latency in seconds."""
    latest = store.load(council)
    answer = Answer(level=level, notes=token)
    changed = latest.assessment.with_answer(ACTION, answer)
    began = time.monotonic()
    try:
        saved = store.save(changed, based_on=latest.version)
    except ConflictError:
        return ("stale", time.monotonic() - began)
    return ("saved", time.monotonic() - began, council, saved.version, latest.version, token)


def officer_loop(
    store: Store, council: str, seconds: float, outcomes: list[tuple[Any, ...]]
) -> None:
    """One officer's read-change-save rounds until the time is up; an error is counted
    and the officer carries on, as a person would try again."""
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        token = f"{store.person} save {rounds}"
        began = time.monotonic()
        try:
            outcomes.append(one_round(store, council, token, rounds % 5))
        except Exception as err:  # counted, and the officer goes on
            outcomes.append(("error", time.monotonic() - began, first_line(err)))


def officers_process(
    url: str,
    officers: list[tuple[str, str]],
    seconds: float,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """Some officers, a thread (and a Store: its person is theirs) each, in one process
    as a hub's kernels are processes: opens their stores, says ready, waits for go."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it stops us
    try:
        stores = [(officer_store(url, name, council), council) for name, council in officers]
    except Exception:
        ready.put(f"an officers' process could not open the store:\n{traceback.format_exc()}")
        return
    ready.put("")
    go.wait()
    outcomes: list[list[tuple[Any, ...]]] = [[] for _ in stores]
    threads = [
        threading.Thread(target=officer_loop, args=(store, council, seconds, mine))
        for (store, council), mine in zip(stores, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put([outcome for mine in outcomes for outcome in mine])


@dataclass
class Saves:
    """Every save's outcome, and what the database kept."""

    accepted: list[tuple[Any, ...]] = field(default_factory=list)
    stale: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lost: int = 0
    chain_breaks: list[str] = field(default_factory=list)


def race(url: str, officers: list[tuple[str, str]], seconds: float, processes: int) -> Saves:
    """The officers, dealt round-robin to ``processes`` processes, saving at once."""
    context = multiprocessing.get_context("spawn")  # the URL (a password) never on a command line
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    shares = [officers[n::processes] for n in range(processes)]
    workers = [
        context.Process(
            target=officers_process,
            args=(url, share, seconds, ready, go, results),
            daemon=True,
        )
        for share in shares
        if share
    ]
    for worker in workers:
        worker.start()
    finished = False
    try:
        for _ in workers:
            problem = wait_for(ready, READY_TIMEOUT, "the officers' processes to open the store")
            if problem:
                raise MeasurementError(problem)
        began = time.monotonic()
        go.set()
        saves = Saves()
        for _ in workers:
            collect(saves, wait_for(results, seconds + READY_TIMEOUT, "the officers' outcomes"))
        saves.seconds = time.monotonic() - began
        finished = True
    finally:
        for worker in workers:
            worker.join(timeout=10 if finished else 0)
            if worker.is_alive():
                worker.kill()
    return saves


def wait_for(answers: Any, timeout: float, what: str) -> Any:
    """The next answer from the officers' processes; a process that died says nothing."""
    try:
        return answers.get(timeout=timeout)
    except queue.Empty:
        raise MeasurementError(f"waited {timeout:.0f} s for {what} in vain") from None


def collect(saves: Saves, outcomes: list[tuple[Any, ...]]) -> None:
    for outcome in outcomes:
        saves.latencies.append(outcome[1])
        if outcome[0] == "saved":
            saves.accepted.append(outcome)
        elif outcome[0] == "stale":
            saves.stale += 1
        else:
            saves.errors.append(outcome[2])


def check_kept(url: str, councils: list[str], saves: Saves) -> None:
    """Count the accepted saves the database does not hold as their own version (lost),
    and any break in a council's chain of versions (gaps, or versions nobody saved)."""
    store = Store(url, person=ADMIN)
    by_council: dict[str, list[tuple[Any, ...]]] = {council: [] for council in councils}
    for outcome in saves.accepted:
        by_council[outcome[2]].append(outcome)
    for council, accepted in by_council.items():
        history = store.history(council)
        numbers = [version.version for version in history]
        if numbers != list(range(1, len(history) + 1)):
            saves.chain_breaks.append(f"{council}: versions are not 1..{len(history)}")
        if len(history) != len(accepted) + 1:
            saves.chain_breaks.append(
                f"{council}: {len(history)} versions for {len(accepted)} accepted saves + 1"
            )
        kept = {version.version: version for version in history}
        saves.lost += sum(
            not is_kept(kept.get(number), token, number == based_on + 1)
            for _, _, _, number, based_on, token in accepted
        )
    store.engine.dispose()


def is_kept(version: Version | None, token: str, follows_what_was_read: bool) -> bool:
    """The save is in the database as its own version: its change, by its officer, on top
    of the version the officer read."""
    if version is None or not follows_what_was_read:
        return False
    officer = token.split()[0]
    return version.assessment.answer(ACTION).notes == token and version.saved_by == officer


def officers_at_once(officers: int, councils: int, seconds: float, processes: int) -> Saves:
    """The officers' race on a new PostgreSQL database, and the database checked after it."""
    names = council_names(councils)
    people = [(f"{USER_PREFIX}-officer-{n:02d}", names[n % councils]) for n in range(officers)]
    with postgresql_databases() as new_database:
        url = new_database()
        seed(url, names)
        print(f"  {councils} councils seeded; load average {load_average()}")
        saves = race(url, people, seconds, min(processes, officers))
        check_kept(url, names, saves)
    return saves


def report_saves(saves: Saves, officers: int, councils: int, seconds: float) -> bool:
    """Print the officers' figures; False when a save was lost or none was accepted."""
    print(
        f"officers: {officers} simulated officers across {councils} councils, "
        f"read-change-save for {seconds:g} s on PostgreSQL"
    )
    attempts = len(saves.accepted) + saves.stale + len(saves.errors)
    print(
        f"  saves accepted: {len(saves.accepted)}, refused as stale: {saves.stale}, "
        f"errors: {len(saves.errors)}, lost: {saves.lost}"
    )
    print(f"  save latency: {spread(saves.latencies, 'ms', 1000.0)} (all {attempts} saves)")
    print(f"  accepted saves per second: {len(saves.accepted) / saves.seconds:.1f}")
    for reason, times in Counter(saves.errors).most_common(5):
        print(f"  error x{times}: {reason}")
    for broken in saves.chain_breaks:
        print(f"  chain broken: {broken}")
    return saves.lost == 0 and not saves.chain_breaks and bool(saves.accepted)


# ---- running ---------------------------------------------------------------------------------


def stop_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
    """SIGTERM cleans up as Ctrl+C does: accounts removed, hub and cluster stopped."""
    raise KeyboardInterrupt


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--window", type=float, default=30.0, help="seconds")
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--councils", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--processes", type=int, default=5, help="processes the officers share (threads in each)"
    )
    parser.add_argument("--skip-signin", action="store_true")
    parser.add_argument("--skip-officers", action="store_true")
    args = parser.parse_args(argv)
    if min(args.users, args.officers, args.councils, args.processes) < 1:
        parser.error("--users, --officers, --councils and --processes must be at least 1")
    if args.councils > args.officers:
        parser.error("--councils must not exceed --officers: every council needs an officer")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    print(f"load average before: {load_average()}; {psutil.cpu_count()} CPU core(s)")
    try:
        good = run(args)
    except KeyboardInterrupt:
        print("interrupted: the run's accounts, hub and cluster are gone", file=sys.stderr)
        return 130
    except MeasurementError as err:
        print(f"could not measure: {err}", file=sys.stderr)
        return 1
    print(f"load average after: {load_average()}; {psutil.cpu_count()} CPU core(s)")
    return 0 if good else 1


def run(args: argparse.Namespace) -> bool:
    """Each part asked for, skipped with its reason where it cannot run; False when a
    part measured nothing or a save was lost."""
    good = True
    if not args.skip_signin:
        try:
            found = sign_in_rush(args.users, args.window)
            good &= report_sign_ins(found, args.users, args.window)
        except CannotRun as reason:
            print(f"sign-in: skipped: {reason}")
    if not args.skip_officers:
        try:
            saves = officers_at_once(args.officers, args.councils, args.seconds, args.processes)
            good &= report_saves(saves, args.officers, args.councils, args.seconds)
        except CannotRun as reason:
            print(f"officers: skipped: {reason}")
    return good


if __name__ == "__main__":
    sys.exit(main())
