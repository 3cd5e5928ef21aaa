"""`ronda demo`: the simulated OPD web on 127.0.0.1, crawled and judged with the default politeness."""
from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ronda import config as ronda_config, jobs
from ronda.config import Crawl


@dataclass
class DemoResult:
    rows: list[dict]
    pages: int
    requests: int
    seconds: float
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def run(as_of: date, seed: int = 0, n_sites: int = 35, folder: str | Path | None = None,
        progress: Callable[[dict], None] | None = None, crawl: dict | None = None) -> DemoResult:
    """Serve the simulated web, crawl it once, and return the verdicts and where everything is."""
    from ronda.simweb import SimWeb

    started = time.monotonic()
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ronda-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    defaults = Crawl()
    crawl = {"delay_s": defaults.delay_s, "per_site_concurrency": defaults.per_site_concurrency, **(crawl or {})}
    with SimWeb(as_of=as_of, seed=seed, n_sites=n_sites) as web:
        cfg_path = folder / "sites.yaml"
        cfg_path.write_text(web.config_yaml(**crawl), encoding="utf-8")
        (folder / "truth.json").write_text(json.dumps(web.truth(), indent=2, ensure_ascii=False), encoding="utf-8")
        cfg = ronda_config.load(cfg_path)
        db_path = folder / "ronda.db"
        result = jobs.crawl(cfg, db_path, as_of, progress=progress)
    rows = jobs.status(cfg, db_path, as_of)
    return DemoResult(rows=rows, pages=sum(r["pages"] for r in rows), requests=sum(r["requests"] for r in rows),
                      seconds=time.monotonic() - started,
                      paths={"database": str(db_path), "config": str(cfg_path), "truth": str(folder / "truth.json")},
                      problems=result.problems)
