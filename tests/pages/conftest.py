from pagekit import app_store, demo_id, empty_id  # noqa: F401  (fixtures for the page tests)
