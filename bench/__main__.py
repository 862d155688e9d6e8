"""Run every benchmark: `python -m bench` (or `make bench`). The browser ones need Chromium."""

from bench import (browser_dashboard, browser_pages, clv_fit, import_answers, kpi_engine, pg_frames, store_writers,
                   webhook_load, webhook_servers)

if __name__ == "__main__":
    clv_fit.main()
    kpi_engine.main()
    import_answers.main()
    webhook_load.main()
    webhook_servers.main([])
    store_writers.main([])
    pg_frames.main([])
    browser_dashboard.main()
    browser_pages.main()
