"""Real WordPress sites on loopback: Debian's wordpress + MariaDB + `php -S`, installed and seeded offline."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_LIST = HERE.parents[1] / "scripts" / "debian-packages-wordpress.txt"
ETC = Path("/etc/wordpress")
WP_ROOT = Path("/usr/share/wordpress")


def required_packages() -> list[str]:
    """Debian package names from scripts/debian-packages-wordpress.txt."""
    names = []
    for line in PACKAGE_LIST.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def missing_packages() -> list[str]:
    """Required Debian packages that dpkg does not list as installed."""
    missing = []
    for pkg in required_packages():
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if r.returncode != 0 or "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def free_port(host: str) -> int:
    """A port free on `host` now (bound, read back, released)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str) -> None:
    """Poll `check()` until it is true, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


@dataclass
class Site:
    """One running WordPress site."""

    key: str
    host: str
    port: int
    spec: dict
    config_name: str
    seeded: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"


class MariaDB:
    """A private MariaDB server on a unix socket under `root`, for the test session only."""

    def __init__(self, root: Path):
        self.root = root
        self.datadir = root / "data"
        self.socket = root / "mysqld.sock"
        self.password = secrets.token_hex(12)
        self.proc: subprocess.Popen | None = None
        self.log = root / "mariadb.log"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.datadir}", "--user=root",
                            "--auth-root-authentication-method=normal", "--skip-test-db"],
                           capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed: {r.stderr[-2000:]}")
        # --no-defaults: the system's my.cnf (port 3306, /run/mysqld) must not leak into a private server.
        self.proc = subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={self.datadir}", f"--socket={self.socket}", "--skip-networking",
             "--user=root", f"--pid-file={self.root / 'mysqld.pid'}", f"--log-error={self.log}",
             "--innodb-buffer-pool-size=64M", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.socket.exists() and self._ping(), 60, f"MariaDB on {self.socket} (log: {self.log})")
        self.sql(f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{self.password}';", password="")

    def _ping(self) -> bool:
        if self.proc and self.proc.poll() is not None:
            raise RuntimeError(f"mariadbd exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
        r = subprocess.run(["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot", "ping"],
                           capture_output=True, text=True)
        return r.returncode == 0 or "Access denied" in r.stderr

    def sql(self, statement: str, password: str | None = None) -> str:
        pw = self.password if password is None else password
        cmd = ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-N", "-e", statement]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "MYSQL_PWD": pw})
        if r.returncode != 0:
            raise RuntimeError(f"SQL failed ({statement[:60]}): {r.stderr}")
        return r.stdout

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class WordPressWeb:
    """Several WordPress sites, each on its own loopback address, sharing one private MariaDB."""

    def __init__(self, root: Path, specs: dict[str, dict], first_address: int = 2):
        self.root = root
        self.specs = specs
        self.first_address = first_address
        self.db = MariaDB(root / "mariadb")
        self.sites: dict[str, Site] = {}
        self.timings: dict[str, float] = {}
        self._tag = secrets.token_hex(4)

    def __enter__(self) -> WordPressWeb:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        t0 = time.monotonic()
        self.db.start()
        self.timings["mariadb_s"] = time.monotonic() - t0
        for i, (key, spec) in enumerate(self.specs.items()):
            host = f"127.0.0.{self.first_address + i}"
            site = Site(key, host, free_port(host), spec, f"ronda-test-{self._tag}-{key}")
            self.sites[key] = site
            t1 = time.monotonic()
            self._install(site)
            self.timings[f"install_seed_{key}_s"] = time.monotonic() - t1
            self._serve(site)
        for site in self.sites.values():
            wait_for(lambda s=site: self._answers(s), 30, f"php -S on {site.url}")
        self.timings["total_s"] = time.monotonic() - t0

    def _install(self, site: Site) -> None:
        db_name = f"wp_{site.key}"
        self.db.sql(f"CREATE DATABASE `{db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;")
        uploads = self.root / f"uploads-{site.key}"
        uploads.mkdir(parents=True, exist_ok=True)
        text = (HERE / "config.php.tmpl").read_text()
        for k, v in {"DB_NAME": db_name, "DB_PASSWORD": self.db.password, "DB_SOCKET": str(self.db.socket),
                     "HOME": site.url.rstrip("/"), "SALT": secrets.token_hex(16)}.items():
            text = text.replace(f"@{k}@", v)
        ETC.mkdir(parents=True, exist_ok=True)
        (ETC / f"config-{site.config_name}.php").write_text(text)
        spec = {**site.spec, "home": site.url, "options": {
            **site.spec.get("options", {}), "upload_path": str(uploads),
            "upload_url_path": site.url + "wp-content/uploads"}}
        spec_file = self.root / f"spec-{site.key}.json"
        spec_file.write_text(json.dumps(spec))
        r = subprocess.run(["php", str(HERE / "seed.php"), str(spec_file)], capture_output=True, text=True,
                           timeout=300, env={**os.environ, "RONDA_WP_CONFIG": site.config_name}, cwd=WP_ROOT)
        lines = r.stdout.strip().splitlines()
        if r.returncode != 0 or not lines:
            raise RuntimeError(f"seeding {site.key} failed ({r.returncode}): {r.stderr[-3000:]} {r.stdout[-2000:]}")
        site.seeded = json.loads(lines[-1])

    def _serve(self, site: Site) -> None:
        log = open(self.root / f"php-{site.key}.log", "wb")
        env = {**os.environ, "RONDA_WP_CONFIG": site.config_name, "RONDA_WP_UPLOADS": str(self.root / f"uploads-{site.key}"),
               # Several workers: the crawler fetches a site with some concurrency, like a real server.
               "PHP_CLI_SERVER_WORKERS": "3"}
        # Own session: `php -S` forks its workers, and stopping must reach them too (see _stop_group).
        site.proc = subprocess.Popen(["php", "-S", f"{site.host}:{site.port}", "-t", str(WP_ROOT), str(HERE / "router.php")],
                                     stdout=log, stderr=subprocess.STDOUT, env=env, cwd=WP_ROOT, start_new_session=True)
        log.close()

    @staticmethod
    def _answers(site: Site) -> bool:
        if site.proc and site.proc.poll() is not None:
            raise RuntimeError(f"php -S for {site.key} exited with {site.proc.returncode}")
        try:
            with urllib.request.urlopen(site.url + "robots.txt", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def config_yaml(self, **crawl) -> str:
        """A sites.yaml for ronda with every site of this web."""
        crawl = {"delay_s": 0, **crawl}
        lines = ["organization: Uji WordPress", "timezone: Asia/Jakarta",
                 "crawl: " + json.dumps(crawl), "sites:"]
        for site in self.sites.values():
            lines += [f"  - id: {site.key}", f"    name: {json.dumps(site.spec['title'])}", f"    url: {site.url}"]
        return "\n".join(lines) + "\n"

    def stop(self) -> None:
        for site in self.sites.values():
            if site.proc:
                _stop_group(site.proc)
            (ETC / f"config-{site.config_name}.php").unlink(missing_ok=True)
        self.db.stop()


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started with its own session, and every worker it forked (its process group only)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    # Workers may outlive the leader by a moment; make sure none stays.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
