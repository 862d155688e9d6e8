"""A server process in the middle of a large import (used by the kill -9 test): it imports
usage events in chunks and, after the first chunk is written inside the open transaction,
says so and waits to be killed."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import polars as pl

from cxlib.steps import feedback
from cxlib.storage.store import Store


def main(target: str, workbook_id: int, rows: int) -> None:
    store = Store(target)
    frame = pl.DataFrame({"at": ["2026-01-01T10:00:00"] * rows, "user": [f"u{n % 500}" for n in range(rows)],
                          "page": ["/home"] * rows, "feature": ["search"] * rows, "key_event": [0] * rows})

    def progress(_share: float) -> None:
        print("written", flush=True)
        time.sleep(120)  # killed here, with the transaction open

    feedback.import_rows(store, workbook_id, "events", frame, "big.csv", "importer", progress=progress)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
