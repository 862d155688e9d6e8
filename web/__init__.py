"""HTTP routes served beside the pages (thin handlers; the logic lives in cxlib)."""
