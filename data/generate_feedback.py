"""Regenerate the demo's feedback data: survey answers, support tickets and app events.

Run from the project folder: python data/generate_feedback.py (seeded, deterministic).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cxlib.demo import data as demo_data

if __name__ == "__main__":
    demo_data.responses(3000).write_csv(HERE / "demo_responses.csv")
    demo_data.tickets(600).write_csv(HERE / "demo_tickets.csv")
    demo_data.events(400).write_csv(HERE / "demo_events.csv")
