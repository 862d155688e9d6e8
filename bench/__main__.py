"""Run every benchmark: `python -m bench` (or `make bench`). The browser one needs Chromium."""

from bench import browser_dashboard, clv_fit, kpi_engine, webhook_load

if __name__ == "__main__":
    clv_fit.main()
    kpi_engine.main()
    webhook_load.main()
    browser_dashboard.main()
