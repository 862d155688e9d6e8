import signal
import time
import urllib.request

import pytest

from browserkit import AppServer, browser, page, server  # noqa: F401  (fixtures for the browser tests)


def _answers_health(app: AppServer) -> str:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{app.url}/_stcore/health", timeout=5) as answer:
            return f"answered {answer.read()!r} in {time.monotonic() - started:.2f} s"
    except OSError as error:
        return f"no answer within {time.monotonic() - started:.1f} s ({error})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, the report says whether its servers still answer and
    holds their logs, each ending with every thread's stack at that moment (serve.py dumps
    them on SIGUSR1): a hang seen once on a CI run can be read afterwards, not guessed at."""
    report = yield
    if report.failed and call.when == "call":
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, AppServer) and value.process and value.process.poll() is None:
                health = _answers_health(value)
                value.process.send_signal(signal.SIGUSR1)
                time.sleep(1)
                report.sections.append((f"server {name}: health check {health}; its log with the stacks",
                                        value.log.read_text(errors="replace")[-20_000:]))
    return report
