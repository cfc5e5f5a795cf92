"""Figures of the readers on the development corpus (docs/input.md):
datelines against the file-name dates, detected language against the
manifest, and the time to read the whole folder.

    python scripts/reader_figures.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import csv
import time
import warnings
from pathlib import Path

from commitments.io import InputWarning, read_input
from commitments.io.dates import date_from_filename, find_dateline
from commitments.io.language import detect_language
from commitments.model import Document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    raw = parser.parse_args().shared / "corpus" / "raw"
    rows = list(csv.DictReader(open(raw / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t"))

    full = yearless = same = 0
    lang_agree, lowest = 0, 1.0
    for row in rows:
        text = (raw / row["file"]).read_text(encoding="utf-8")
        found = find_dateline(text)
        if found and found.date:
            full += 1
            same += found.date == date_from_filename(row["file"])
        elif found:
            yearless += 1
        code, confidence = detect_language(text)
        lang_agree += code == row["language"]
        lowest = min(lowest, confidence)
    print(f"texts: {len(rows)}")
    print(f"full datelines: {full} (same date as the file-name prefix: {same}); yearless: {yearless}")
    print(f"language agrees with the manifest: {lang_agree}/{len(rows)}; lowest probability {lowest:.2f}")

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        items = list(read_input(raw))
    docs = sum(isinstance(i, Document) for i in items)
    print(f"read_input(folder): {docs} documents, {len(items) - docs} bad, "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
