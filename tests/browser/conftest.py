from browserkit import browser, page, server  # noqa: F401  (fixtures for the browser tests)
