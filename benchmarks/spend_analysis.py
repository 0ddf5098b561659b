"""How long the procurement spend analysis takes on a 100,000-row messy payments file.

Run ``python benchmarks/spend_analysis.py [--rows 100000] [--runs 5]``. It writes a
fictional, messy payments CSV (UTF-8 with a byte order mark, £ signs, thousands
separators, blank rows, mixed case, spelling variants of the same supplier, credit
notes, a few unreadable amounts) to a temporary folder. It then times, side by side in
one run, a plain ``pandas.read_csv`` of the file and the full analysis
(``load_payments`` + ``analyse`` + ``summary_csv``): one warm-up each, then the median
of ``--runs`` timings, the two taking turns so that a busy machine slows both alike.
The plain read is the floor, so the analysis is judged by its ratio to it rather than
by absolute times that depend on the machine.

Target: analysis / plain read <= 3. It prints both times, the ratio and PASS or FAIL,
and exits 0 on PASS, 1 on FAIL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ccin_learn.tools.spend import LocalDefinition, analyse, load_payments, summary_csv

TARGET_RATIO = 3.0
LOCAL = "XX1, XX2, XX5"
SUPPLIER_WORDS = (
    "Puddleby",
    "Wobbleton",
    "Fizzwick",
    "Muddle",
    "Ploddington",
    "Snorkel",
    "Kettleby",
    "Bramblewick",
    "Noodle",
    "Quibble",
    "Tumbledown",
    "Wigglesworth",
    "Crumpet",
    "Dingle",
)
TRADES = ("Plumbing", "Catering", "Care", "Builders", "Cleaning", "IT", "Print", "Transport")
SUFFIXES = (("Ltd", "Limited", "LTD", "Ltd."), ("Co-op", "CO-OP", "Co-op"), ("CIC", "C.I.C."))
CATEGORIES = (
    "Building Repairs",
    "Catering",
    "Social Care",
    "IT Services",
    "Printing",
    "Transport",
    "Cleaning",
    "Consultancy",
    "Grants",
    "Waste Collection",
)
COLUMNS = [
    "Body Name",
    "Service Area",
    "Expense Type",
    "Payment Date",
    "Transaction Number",
    "Amount (£)",
    "Supplier Name",
    "Supplier Postcode",
    "SME",
    "VCSE",
]


def supplier_table(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """Fictional suppliers, each with a postcode and yes/no flags."""
    first = rng.choice(SUPPLIER_WORDS, count)
    trade = rng.choice(TRADES, count)
    kind = rng.integers(0, len(SUFFIXES), count)
    names = [f"{a} {b} {n}" for a, b, n in zip(first, trade, range(count), strict=True)]
    areas = rng.choice(["XX", "XX", "YY", "ZZ"], count)
    districts = [f"{a}{d}" for a, d in zip(areas, rng.integers(1, 10, count), strict=True)]
    return pd.DataFrame(
        {
            "name": names,
            "kind": kind,
            "district": districts,
            "sme": rng.random(count) < 0.6,
            "vcse": rng.random(count) < 0.1,
        }
    )


def messy_frame(rows: int, seed: int = 2025) -> pd.DataFrame:
    """``rows`` fictional payments written the ways real council files write them."""
    rng = np.random.default_rng(seed)
    suppliers = supplier_table(rng, 1500)
    pick = rng.zipf(1.3, rows) % len(suppliers)
    chosen = suppliers.iloc[pick].reset_index(drop=True)
    amount = np.round(rng.lognormal(7.5, 1.2, rows) + 500, 2)
    amount[rng.random(rows) < 0.03] *= -1  # credit notes
    suffix = [SUFFIXES[k][v] for k, v in zip(chosen["kind"], rng.integers(0, 2, rows), strict=True)]
    name = chosen["name"] + " " + pd.Series(suffix)
    case = rng.random(rows)
    name = name.where(case > 0.1, name.str.upper()).where(case < 0.95, "  " + name + " ")
    pounds = pd.Series([f"£{a:,.2f}" for a in amount]).where(
        rng.random(rows) < 0.5, pd.Series(amount).astype(str)
    )
    pounds[rng.random(rows) < 0.001] = "see note"
    postcode = chosen["district"] + " " + pd.Series(rng.integers(1, 10, rows)).astype(str) + "AB"
    postcode = postcode.where(rng.random(rows) < 0.8, postcode.str.lower())
    frame = pd.DataFrame(
        {
            "Body Name": "Fictional Borough Council",
            "Service Area": rng.choice(["Adults", "Children", "Place", "Resources"], rows),
            "Expense Type": rng.choice(CATEGORIES, rows),
            "Payment Date": "01/04/2025",
            "Transaction Number": (np.arange(rows) + 100000).astype(str),
            "Amount (£)": pounds,
            "Supplier Name": name,
            "Supplier Postcode": postcode,
            "SME": np.where(chosen["sme"], rng.choice(["Y", "Yes", "y"], rows), "N"),
            "VCSE": np.where(chosen["vcse"], "Y", rng.choice(["N", "No", ""], rows)),
        }
    )
    blank = rng.random(rows) < 0.005
    frame.loc[blank, :] = ""
    return frame[COLUMNS]


def write_messy_csv(folder: Path, rows: int) -> Path:
    path = folder / "messy-payments.csv"
    messy_frame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def plain_read(path: Path) -> None:
    pd.read_csv(path)


def full_analysis(path: Path) -> None:
    report = analyse(load_payments(path), LocalDefinition.from_text(LOCAL))
    summary_csv(report)


def timed(task: Callable[[Path], None], path: Path) -> float:
    start = time.perf_counter()
    task(path)
    return time.perf_counter() - start


def side_by_side(path: Path, runs: int) -> tuple[float, float]:
    """Median seconds of the plain read and of the full analysis, after one warm-up each.

    The two alternate run by run, so a busy machine slows both alike.
    """
    plain_read(path)
    full_analysis(path)
    plain, full = [], []
    for _ in range(runs):
        plain.append(timed(plain_read, path))
        full.append(timed(full_analysis, path))
    return statistics.median(plain), statistics.median(full)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = write_messy_csv(Path(folder), args.rows)
        size = path.stat().st_size / 1e6
        report = analyse(load_payments(path), LocalDefinition.from_text(LOCAL))
        plain, full = side_by_side(path, args.runs)
    ratio = full / plain
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"file: {args.rows:,} rows, {size:.1f} MB; {report.payments:,} payments read, "
        f"{len(report.unreadable)} unreadable rows, {report.blank_rows} blank rows, "
        f"{report.suppliers} suppliers ({report.spellings_merged} other spellings merged)"
    )
    print(f"plain pandas.read_csv: {plain * 1000:.0f} ms (median of {args.runs})")
    print(f"full spend analysis:   {full * 1000:.0f} ms (median of {args.runs})")
    print(f"ratio: {ratio:.2f}x (target: within {TARGET_RATIO:g}x) {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
