"""A separate process that adds 1 to one persona's segment size ``edits`` times, each time
reading the value inside the change and writing it back (a read-modify-write): used by the
PostgreSQL test of eight server processes writing one record at once."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from cxlib.storage.store import Store


def main(target: str, workbook_id: int, persona_id: int, edits: int, who: str) -> None:
    store = Store(target)
    for _ in range(edits):
        with store.change(who, workbook_id) as change:
            current = store.get("personas", persona_id)
            change.update("personas", persona_id, {"segment_size": current["segment_size"] + 1},
                          current["version"])
    store.close()
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
