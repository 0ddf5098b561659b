"""Collect submissions downloaded from a learning platform as zip files.

Many councils run the course on their own learning platform and download the
learners' notebooks as zip files: one zip per learner (``ada01.zip``) or one
"all submissions" zip with a folder per learner (Moodle's
``bea02_assignsubmission_file_/...``). Each zip, or each top entry of an
all-submissions zip, is matched to a learner **on the roster** (the cohort's
gradebook): its name starts with the learner's id followed by ``_``, ``-``, ``.``
or nothing (the longest id wins), or else with the learner's "First Last" name
(case-insensitive, as Moodle names folders). Anything that matches nobody is
refused by name, never filed under a made-up learner as nbgrader's
``zip_collect`` did (December 2026).

The zips are learners' files, so they are extracted here with :mod:`zipfile`,
not by ``nbgrader zip_collect``: no path may leave the learner's folder (``..``,
absolute paths, symlinks), files get fixed modes (0644, folders 0755, never a
setuid or exec bit from the zip), and the bytes actually unpacked are counted
while streaming (a header may lie) against a cap per learner and per collect
and a compression-ratio limit (a zip bomb). Each learner's work is unpacked into
a private temporary folder and then moved into ``submitted/<learner>/<assignment>/``
with nbgrader's ``timestamp.txt``, so a refused zip changes nothing.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ccin_learn.errors import KitError, one_line
from ccin_learn.grading.cohort import Cohort

MB = 1024 * 1024
CHUNK = 64 * 1024
FILE_MODE = 0o644
DIR_MODE = 0o755
SEPARATORS = "_-."
JUNK_FOLDERS = {"__MACOSX", ".ipynb_checkpoints"}
JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
DOS_EPOCH = (1980, 1, 1, 0, 0, 0)
# nbgrader's own timestamp format (Exchange.timestamp_format), as `nbgrader submit` writes it.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


@dataclass(frozen=True)
class ZipLimits:
    """How much a download may unpack to: a notebook and its data are a few MB at most."""

    per_learner: int = 50 * MB
    per_collect: int = 1024 * MB
    ratio: int = 100  # uncompressed : compressed, past this a zip is a bomb
    ratio_floor: int = 1 * MB  # below this many bytes, any ratio is fine (tiny files)


@dataclass(frozen=True)
class Person:
    """A learner on the roster, as zip names may refer to them."""

    id: str
    full_name: str  # "first last", lower-case; "" when the roster has no name


@dataclass
class Unit:
    """One learner's part of a download: a whole zip, or a top entry of an all-submissions zip."""

    learner: str
    label: str  # what the trainer sees: "ada01.zip" or "all.zip: bea02_assignsubmission_file_"
    archive: Path
    entries: list[tuple[zipfile.ZipInfo, str]]  # each entry with its path inside the unit


@dataclass
class ZipReport:
    """What a zip collect did: who was collected, what was renamed, what was refused and why."""

    collected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class Refused(Exception):
    """One unit cannot be collected; the message is the one-line reason."""


def collect_zips(
    cohort: Cohort, assignment: str, zip_dir: Path, limits: ZipLimits | None = None
) -> ZipReport:
    """Collect every learner's zip in ``zip_dir``; refuse the rest by name, keep going."""
    limits = limits or ZipLimits()
    cohort.check_assignment(assignment)
    zips = sorted(zip_dir.glob("*.zip")) if zip_dir.is_dir() else []
    if not zips:
        raise KitError(f"no .zip files in {zip_dir}")
    roster = roster_people(cohort)
    if not roster:
        raise KitError("the cohort has no learners: add them with 'grade init --roster' first")
    notebooks = assignment_notebooks(cohort, assignment)
    report = ZipReport()
    units: list[Unit] = []
    for path in zips:
        try:
            found, refused = units_of(path, roster)
        except Refused as err:
            report.refused.append(str(err))
            continue
        units += found
        report.refused += refused
    budget = [limits.per_collect]
    for unit in without_duplicates(units, report):
        notes = ZipReport()  # a refused zip's notes are not worth reading
        try:
            collect_unit(cohort, assignment, unit, notebooks, limits, budget, notes, roster)
        except Refused as err:
            report.refused.append(f"{unit.label}: {err}")
        except OSError as err:  # e.g. the disk is full: this learner is not collected
            report.refused.append(f"{unit.label}: cannot unpack it: {err.strerror or err}")
        else:
            report.collected.append(unit.learner)
            report.notes += notes.notes
    report.collected.sort()
    return report


def roster_people(cohort: Cohort) -> list[Person]:
    with cohort.gradebook() as gradebook:
        return [
            Person(s.id, " ".join(filter(None, [s.first_name, s.last_name])).lower())
            for s in gradebook.students
        ]


def assignment_notebooks(cohort: Cohort, assignment: str) -> list[str]:
    """The notebook file names learners were given (the source's, as nbgrader releases them)."""
    return sorted(p.name for p in (cohort.root / "source" / assignment).glob("*.ipynb"))


def match_learner(name: str, roster: Iterable[Person]) -> str | None:
    """The roster learner ``name`` (a zip or folder name) belongs to, or None.

    An id matches when the name is the id, or starts with it and a separator; the longest
    id wins (``ada-1`` over ``ada``). Failing that, a learner's full name matches the same
    way, case-insensitive, as platforms such as Moodle name folders "First Last_123_...".
    """
    lowered = name.lower()
    for key in ("id", "full_name"):
        found = [
            p
            for p in roster
            if (text := getattr(p, key).lower())
            and lowered.startswith(text)
            and (len(lowered) == len(text) or lowered[len(text)] in SEPARATORS)
        ]
        if found:
            longest = max(len(getattr(p, key)) for p in found)
            best = {p.id for p in found if len(getattr(p, key)) == longest}
            if len(best) > 1:
                raise Refused(f"{name} matches more than one learner ({', '.join(sorted(best))})")
            return best.pop()
    return None


def no_match(label: str) -> Refused:
    return Refused(
        f"{label} matches no learner on the roster: rename it to start with the learner's id, "
        "or add the learner with grade init --roster"
    )


def units_of(path: Path, roster: list[Person]) -> tuple[list[Unit], list[str]]:
    """The learners' parts of one zip (all of it for ``ada01.zip``, or one per top entry),
    and the refusals of parts that match nobody."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not is_junk(i.filename)]
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise Refused(f"{path.name} cannot be read as a zip file: {one_line(err)}") from err
    learner = match_learner(path.name[: -len(".zip")], roster)
    if learner is not None:
        return [Unit(learner, path.name, path, [(i, i.filename) for i in infos])], []
    depth = 0
    groups = top_groups(infos, depth)
    while len(groups) == 1:  # one wrapper folder ("Assignment 3/...") around learners' folders
        ((top, members),) = groups.items()
        if match_quietly(top, roster) or any(
            len(parts(i.filename)) == depth + 1 for i, _ in members
        ):
            break
        depth += 1
        groups = top_groups(infos, depth)
    units, refused = [], []
    for top, members in sorted(groups.items()):
        label = f"{path.name}: {top}"
        try:
            who = match_learner(top, roster)
        except Refused as err:
            refused.append(f"{label}: {err}")
            continue
        if who is None:
            refused.append(str(no_match(label)))
        else:
            units.append(Unit(who, label, path, members))
    if not units:
        raise no_match(path.name)
    return units, refused


def parts(name: str) -> list[str]:
    return [p for p in name.replace("\\", "/").split("/") if p]


def top_groups(
    infos: list[zipfile.ZipInfo], depth: int = 0
) -> dict[str, list[tuple[zipfile.ZipInfo, str]]]:
    """Entries grouped by their first path component below ``depth``, with the rest of the path.

    A file at the top is its own group, its name (e.g. ``ada01_ps1.ipynb``) saying whose
    it is; inside the group it keeps its own name.
    """
    groups: dict[str, list[tuple[zipfile.ZipInfo, str]]] = {}
    for info in infos:
        names = parts(info.filename)[depth:]
        if not names:
            continue
        inside = "/".join(names[1:]) if len(names) > 1 else names[0]
        groups.setdefault(names[0], []).append((info, inside))
    return groups


def is_junk(name: str) -> bool:
    """Files a platform or an operating system adds that are nobody's work."""
    names = parts(name)
    return bool(names) and (
        any(p in JUNK_FOLDERS for p in names[:-1])
        or names[-1] in JUNK_FOLDERS
        or names[-1] in JUNK_FILES
        or names[-1].startswith("._")
    )


def without_duplicates(units: list[Unit], report: ZipReport) -> list[Unit]:
    """Units of learners that appear once; a learner twice in one download is refused."""
    seen: dict[str, list[Unit]] = {}
    for unit in units:
        seen.setdefault(unit.learner, []).append(unit)
    kept = []
    for learner, found in seen.items():
        if len(found) > 1:
            labels = "; ".join(u.label for u in found)
            report.refused.append(
                f"{learner} has more than one submission in this download ({labels}): "
                "keep one and collect again"
            )
        else:
            kept.append(found[0])
    return kept


def check_entry(info: zipfile.ZipInfo, inside: str) -> None:
    """Refuse an entry that could write outside the learner's folder or is not a file."""
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise Refused(f"{name} is an absolute path")
    if ".." in parts(name):
        raise Refused(f"{name} points outside its folder ('..')")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise Refused(f"{name} is a symbolic link")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise Refused(f"{name} is not a regular file")
    if not inside:
        raise Refused(f"{name} has no file name")


def plan(unit: Unit, notebooks: list[str], report: ZipReport) -> dict[str, zipfile.ZipInfo]:
    """Where each file of the unit goes, relative to ``submitted/<learner>/<assignment>/``.

    The folder holding the assignment's notebook is the learner's folder, whatever the layout
    around it (``finance/finance.ipynb``, ``Submission/week 3/finance.ipynb``); files beside
    and below it are kept, the rest skipped.
    """
    files = [(i, inside) for i, inside in unit.entries if not i.is_dir()]
    for info, inside in files:
        check_entry(info, inside)
    found = {
        nb: [(i, inside) for i, inside in files if PurePosixPath(inside).name == nb]
        for nb in notebooks
    }
    for nb, hits in found.items():
        if len(hits) > 1:
            raise Refused(f"holds {nb} more than once ({', '.join(h[1] for h in hits)})")
    chosen = {nb: hits[0] for nb, hits in found.items() if hits}
    if not chosen:
        chosen = renamed(files, notebooks, unit, report)
    root = PurePosixPath(next(iter(chosen.values()))[1]).parent
    targets: dict[str, zipfile.ZipInfo] = {}
    for info, inside in files:
        path = PurePosixPath(inside)
        if path.is_relative_to(root) and not path.name.endswith(".ipynb"):
            targets[path.relative_to(root).as_posix()] = info
    for nb, (info, _inside) in chosen.items():
        targets[nb] = info
    return targets


def renamed(
    files: list[tuple[zipfile.ZipInfo, str]],
    notebooks: list[str],
    unit: Unit,
    report: ZipReport,
) -> dict[str, tuple[zipfile.ZipInfo, str]]:
    """A single notebook under another name is the assignment's, if it has only one notebook."""
    others = [(i, inside) for i, inside in files if inside.endswith(".ipynb")]
    if len(notebooks) == 1 and len(others) == 1:
        report.notes.append(
            f"{unit.label}: took {others[0][1]} as {notebooks[0]} for {unit.learner} (renamed)"
        )
        return {notebooks[0]: others[0]}
    wanted = " or ".join(notebooks)
    if not others:
        raise Refused(f"holds no notebook (looked for {wanted})")
    raise Refused(
        f"holds no {wanted} (it has {', '.join(inside for _i, inside in others)}): "
        "rename the learner's notebook"
    )


def collect_unit(
    cohort: Cohort,
    assignment: str,
    unit: Unit,
    notebooks: list[str],
    limits: ZipLimits,
    budget: list[int],
    report: ZipReport,
    roster: list[Person],
) -> None:
    """Unpack one learner's work privately, then move it into place; refuse it whole or not."""
    targets = plan(unit, notebooks, report)
    note_other_learners(unit, targets, roster, report)
    claimed = sum(i.file_size for i in targets.values())
    if claimed > limits.per_learner:
        raise Refused(f"unpacks to {claimed / MB:.0f} MB, more than {limit_text(limits)}")
    submitted = cohort.root / "submitted"
    submitted.mkdir(exist_ok=True)
    # beside submitted/, not in it: a leftover after a crash must never look like a learner
    with tempfile.TemporaryDirectory(prefix=".ccin-zip-", dir=cohort.root) as private:
        work = Path(private) / assignment
        work.mkdir(mode=DIR_MODE)
        with zipfile.ZipFile(unit.archive) as archive:
            written = 0
            for target, info in sorted(targets.items()):
                written += extract(archive, info, work / target, limits, written, budget)
        stamp = submission_time(unit.archive, targets[next(n for n in notebooks if n in targets)])
        (work / "timestamp.txt").write_text(stamp, encoding="utf-8")
        for path in [work, *work.rglob("*")]:
            path.chmod(DIR_MODE if path.is_dir() else FILE_MODE)
        move_into_place(work, submitted / unit.learner / assignment, Path(private))


def note_other_learners(
    unit: Unit, targets: dict[str, zipfile.ZipInfo], roster: list[Person], report: ZipReport
) -> None:
    """Say so when a learner's zip names another learner: the work is still only its owner's."""
    others = {p.id for p in roster if p.id != unit.learner}
    for info in targets.values():
        named = [p for p in parts(info.filename)[:-1] if match_quietly(p, roster) in others]
        if named:
            report.notes.append(
                f"{unit.label}: {info.filename} is in a folder named for another learner; "
                f"it was collected as {unit.learner}'s work only"
            )


def match_quietly(name: str, roster: list[Person]) -> str | None:
    try:
        return match_learner(name, roster)
    except Refused:
        return None


def limit_text(limits: ZipLimits) -> str:
    return f"the {limits.per_learner // MB} MB allowed for one learner"


def extract(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    limits: ZipLimits,
    written: int,
    budget: list[int],
) -> int:
    """Stream one entry to ``target`` (mode 0644), counting the bytes as they come.

    ``written`` bytes of this learner are already on disk; the learner's cap, the collect's
    remaining ``budget`` and the compression ratio are checked on every chunk, never from
    the entry's header, which the zip's maker wrote.
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    allowed_by_ratio = max(limits.ratio * max(info.compress_size, 1), limits.ratio_floor)
    count = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        with (
            archive.open(info) as source,
            os.fdopen(os.open(target, flags, FILE_MODE), "wb") as out,
        ):
            while chunk := source.read(CHUNK):
                count += len(chunk)
                if written + count > limits.per_learner:
                    raise Refused(f"unpacks to more than {limit_text(limits)}")
                if count > budget[0]:
                    raise Refused("the download unpacks to more than the collect's limit")
                if count > allowed_by_ratio:
                    raise Refused(
                        f"{info.filename} is compressed more than {limits.ratio}:1 (a zip bomb?)"
                    )
                out.write(chunk)
    # zipfile's own ways of saying an entry cannot be read: a damaged archive or stream
    # (BadZipFile, zlib.error, EOFError), a compression method it lacks
    # (NotImplementedError) and an encrypted entry (RuntimeError)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise Refused(f"{info.filename} is damaged or unreadable: {one_line(err)}") from err
    except FileExistsError as err:
        raise Refused(f"{info.filename} is in the zip twice") from err
    budget[0] -= count
    return count


def submission_time(archive: Path, info: zipfile.ZipInfo) -> str:
    """When the notebook was submitted, in nbgrader's timestamp format (UTC).

    A zip entry's date has no time zone; it is taken as UTC. Without one (the DOS epoch
    some tools write), the zip file's modification time is used.
    """
    if info.date_time > DOS_EPOCH:
        when = datetime(*info.date_time, tzinfo=UTC)
    else:
        when = datetime.fromtimestamp(archive.stat().st_mtime, tz=UTC)
    return when.strftime(TIMESTAMP_FORMAT)


def move_into_place(work: Path, dest: Path, private: Path) -> None:
    """Replace ``dest`` with ``work`` by renames on one file system: never half a submission."""
    dest.parent.mkdir(exist_ok=True, mode=DIR_MODE)
    dest.parent.chmod(DIR_MODE)
    if dest.exists():
        old = private / "previous"
        os.replace(dest, old)
    os.replace(work, dest)


def format_report(assignment: str, report: ZipReport) -> list[str]:
    """The lines ``grade collect --zip`` prints."""
    who = f" ({', '.join(report.collected)})" if report.collected else ""
    lines = [f"Collected {assignment}: {len(report.collected)} submission(s){who}"]
    lines += [f"  note: {n}" for n in report.notes]
    if report.refused:
        lines.append(f"Refused {len(report.refused)}:")
        lines += [f"  {r}" for r in report.refused]
    return lines
