"""`ronda demo`: the newcomer's tour — the simulated OPD web, a week of history, tonight's polite night."""
from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from base import config as ronda_config
from base import store
from base.config import Crawl
from reports import weekly
from ronda import jobs, sites

HISTORY_NIGHTS = (7,)
"""Nights replayed before tonight (days back), so the report has a trend and alerts have a past."""
DOMAIN = "pemda.test"
"""The simulated Pemda's domain: its sites, portal and forgotten subdomains are named under it (resolve: map)."""


@dataclass
class DemoResult:
    rows: list[dict]
    pages: int
    requests: int
    seconds: float
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    discovery: dict | None = None


def run(as_of: date, seed: int = 0, n_sites: int = 35, folder: str | Path | None = None,
        progress: Callable[[dict], None] | None = None) -> DemoResult:
    """Serve the simulated web; replay last week's night at full speed, then run tonight politely."""
    from simweb.server import SimWeb

    started = time.monotonic()
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ronda-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "ronda.db"
    defaults = Crawl()
    problems: list[str] = []
    with SimWeb(as_of=as_of, seed=seed, n_sites=n_sites, base=as_of, domain=DOMAIN) as web:
        # History nights are a replay: politeness off. Tonight uses the default politeness.
        history = _write_config(folder / "history.yaml", web.config_yaml(delay_s=0, per_site_concurrency=8, concurrency=64))
        tonight = _write_config(folder / "sites.yaml", web.config_yaml(
            delay_s=defaults.delay_s, per_site_concurrency=defaults.per_site_concurrency))
        for days_back in HISTORY_NIGHTS:
            night = as_of - timedelta(days=days_back)
            web.set_today(night)
            problems += jobs.run_night(history, db_path, night, report=False).problems
        web.set_today(as_of)
        (folder / "truth.json").write_text(json.dumps(web.truth(), indent=2, ensure_ascii=False), encoding="utf-8")
        result = jobs.run_night(tonight, db_path, as_of, progress=progress, report=False)
        problems += result.problems
        # Discovery with the certificate-transparency export an operator downloads from crt.sh, before the
        # report so that its "Subdomain yang belum dipantau" has the CT names too.
        ct = folder / "ct.json"
        ct.write_text(web.named.ct_json(), encoding="utf-8")
        discovery = sites.discover(tonight, db_path, as_of, ct)
        if web.named.hits("canary"):
            problems.append("a request reached the address discovery must never probe (SSRF guard)")
    # the report of tonight's own week (not the last complete one, as a nightly run writes): the tour shows tonight
    report = weekly.write(db_path, tonight, weekly.default_out_dir(tonight, db_path), weekly.iso_week(as_of).label, as_of)
    rows = jobs.status(tonight, db_path, as_of)
    paths = {"database": str(db_path), "report": str(report["html"])}
    paths["outbox"] = str(db_path.parent / tonight.mail.outbox)
    paths["config"] = str(folder / "sites.yaml")
    paths["truth"] = str(folder / "truth.json")
    paths["ct"] = str(folder / "ct.json")
    return DemoResult(rows=rows, pages=sum(r["pages"] for r in rows), requests=sum(r["requests"] for r in rows),
                      seconds=time.monotonic() - started, paths=paths, problems=problems, discovery=discovery)


def _write_config(path: Path, text: str) -> ronda_config.Config:
    path.write_text(text, encoding="utf-8")
    return ronda_config.load(path)
