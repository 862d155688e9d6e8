"""deploy/nginx.conf run by Debian's nginx in front of two real app servers on one PostgreSQL
database, for the tests that need the deployment as it is meant to run (tests/web/test_proxy.py,
tests/browser/test_two_servers_in_browser.py).

The servers are told apart by the proxy's access log, which names the upstream that answered,
and a browser is pinned to one of them by the proxy's ``cxw_backend`` cookie.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browserkit import ROOT, AppServer, free_port, healthy_within

NGINX = Path("/usr/sbin/nginx")
CONFIG = ROOT / "deploy" / "nginx.conf"
BACKEND_COOKIE = "cxw_backend"


def render(text: str, listen: int, ports: dict[str, int]) -> str:
    """The compose file's config with this test's addresses: nginx on ``listen``, appN on its port."""
    assert text.count("listen 80;") == 1
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    for name, port in ports.items():
        assert f"{name}:8501" in text
        text = text.replace(f"{name}:8501", f"127.0.0.1:{port}")
    return text


class Proxy:
    def __init__(self, prefix: Path, port: int, log: Path):
        self.prefix, self.port, self.log = prefix, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        settings = f"daemon off; pid {self.prefix}/nginx.pid;"
        if os.geteuid() == 0:
            settings += " user nobody nogroup;"  # workers never run as root
        command = [str(NGINX), "-p", f"{self.prefix}/", "-c", f"{self.prefix}/nginx.conf", "-e", "stderr", "-g", settings]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        if not healthy_within(self.url, 10, 0.1):
            raise RuntimeError(f"nginx did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def served(self, path_start: str) -> list[tuple[str, int, str]]:
        """(status, upstream port, backend) of each logged request whose path starts so; the
        port of the server that answered (after a failed try, nginx logs "first, second")."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            match = re.search(r'"[A-Z]+ (\S+) HTTP/[\d.]+" (\d+) \d+ backend=(\S+) upstream=(?:\S+, )*127\.0\.0\.1:(\d+)', line)
            if match and match.group(1).startswith(path_start):
                found.append((match.group(2), int(match.group(4)), match.group(3)))
        return found


class Deployment:
    """The proxy and its two servers (``app1``, ``app2``: their names in deploy/nginx.conf)."""

    def __init__(self, url: str, proxy: Proxy, servers: dict[str, AppServer]):
        self.url, self.proxy, self.servers = url, proxy, servers

    @property
    def ports(self) -> dict[str, int]:
        return {name: server.port for name, server in self.servers.items()}


@contextmanager
def deployment(pg_server, pg_template, name: str) -> Iterator[Deployment]:
    """A fresh database ``name`` cloned from the migrated template, two servers on it and
    nginx in front of them; everything stopped and dropped afterwards."""
    if not NGINX.exists():
        pytest.skip("Debian's nginx is not installed (make test installs it when run as root)")
    import pgcluster
    from cxlib.storage import postgres

    pgcluster.create_database(pg_server.url(), name, template=pg_template)
    url = pg_server.url(name)
    # Not pytest's tmp folder (mode 700): nginx's workers (nobody) write their temp files here.
    prefix = Path(tempfile.mkdtemp(prefix="cxw-nginx-"))
    prefix.chmod(0o755)
    (prefix / "temp").mkdir()
    servers = {f"app{n}": AppServer(url, log=prefix / f"app{n}.log") for n in (1, 2)}
    proxy = Proxy(prefix, free_port(), prefix / "nginx.log")
    try:
        for server in servers.values():
            server.start()
        (prefix / "nginx.conf").write_text(render(CONFIG.read_text(), proxy.port, {n: s.port for n, s in servers.items()}))
        proxy.start()
        yield Deployment(url, proxy, servers)
    finally:
        proxy.stop()
        for server in servers.values():
            server.stop()
        postgres.close_pool(url)
        pgcluster.drop_database(pg_server.url(), name)
        shutil.rmtree(prefix, ignore_errors=True)


def pinned_context(browser, proxy: Proxy, backend: str, **options):
    """A browser context that the proxy sends to ``backend`` (``app1``/``app2``): it carries
    the proxy's sticky cookie from the first request on, as a browser that was sent there."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": BACKEND_COOKIE, "value": backend, "url": proxy.url}])
    return context
