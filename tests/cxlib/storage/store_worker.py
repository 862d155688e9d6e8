"""A separate process that edits one persona many times (used by the two-process test).

Each edit is a read-modify-write that starts from the version it read and retries on
ConflictError, the way a user would after seeing the conflict.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from cxlib.steps import personas
from cxlib.storage.store import ConflictError, Store


def main(db_path: str, workbook_id: int, persona_id: int, edits: int, who: str) -> None:
    store = Store(db_path)
    conflicts = 0
    for _ in range(edits):
        while True:
            current = store.get("personas", persona_id)
            values = {**current, "segment_size": current["segment_size"] + 1}
            try:
                personas.save_persona(
                    store, workbook_id, values, who, persona_id, current["version"]
                )
                break
            except ConflictError:
                conflicts += 1
    print(f"ok conflicts={conflicts}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
