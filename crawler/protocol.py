"""What the crawl processes and the application above them exchange, kept in one place for both sides.

- the exit codes of a crawl process (`python -m crawler.main`, `python -m crawler.distributed`);
- progress events: JSON objects, one per line on the crawl process's stdout: `{"event": "site_start", "site",
  "total"}` when a site's crawl begins, `{"event": "site", "site", "state", "reason", "pages", "done", "total"}`
  when it ends (a worker's events have no total: it does not know the run's);
- whether the crawl process's log lines go to stderr (`QUIET_ENV`, set by the parent run quietly);
- distributed mode: the Redis key layout and the JSON of jobs, facts, summaries and claims that the
  coordinator (`ronda.coordinator`) and the workers (`crawler.distributed`) both read and write.

Key layout: `ronda:v1:current` (the run served), `ronda:v1:{run}:jobs|facts|sites|dupefilter|active|claims|stop`,
and `ronda:v1:{run}:alive:{worker}` (a worker's heartbeat, which expires when the worker stops renewing it).
"""
from __future__ import annotations

import base64
import json
import os
import sys
import zlib

OK = 0
QUIET_ENV = "RONDA_LOG_QUIET"   # "1": the crawl process logs to `log.file` only, not to stderr
STORE_FAILED = 3         # the store failed (disk full, read-only): the night stops there, no second try

KEY_VERSION = "v1"       # bump when the key layout or the JSON of jobs, facts or summaries changes
CURRENT_KEY = f"ronda:{KEY_VERSION}:current"   # the run workers serve: {"v", "run_id", "as_of", "sites"}
RUN_PARTS = ("jobs", "facts", "sites", "dupefilter", "active", "claims", "stop")
# Delete a site's claim only if it is still the one given (ARGV[2]): a worker finishing late must not
# release the claim of the worker its site was handed to, nor ingest requeue a claim that just moved on.
RELEASE_CLAIM = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
"""


def parse_event(line: str | bytes) -> dict | None:
    """A JSON object (a progress event, a fact pushed to the frontier), or None for anything else."""
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def say(event: dict) -> None:
    """Write one progress event on stdout, where the parent reads it line by line."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def log_quiet() -> bool:
    """In the crawl process: did the parent ask for no log lines on stderr?"""
    return os.environ.get(QUIET_ENV) == "1"


def key(run_id: int, name: str) -> str:
    """The Redis key of one part of a run: jobs, facts, sites, dupefilter, active, claims, stop."""
    return f"ronda:{KEY_VERSION}:{run_id}:{name}"


def alive_key(run_id: int, worker_id: str) -> str:
    """The heartbeat key of one worker of a run (it expires when the worker stops renewing it)."""
    return key(run_id, f"alive:{worker_id}")


def dumps(value) -> str:
    """Compact JSON for Redis (dates and other odd values as strings)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def pack_previous(validators: dict[str, dict]) -> str | None:
    """A site's previous validators and links (`PreviousFacts.validators(with_links=True)`) for its job, compressed."""
    if not validators:
        return None
    return base64.b64encode(zlib.compress(dumps(validators).encode(), 6)).decode()


def unpack_previous(packed) -> dict[str, dict]:
    """`pack_previous` undone and checked (it comes from Redis): url -> {etag, last_modified, id, kind, links}; {} if bad."""
    try:
        data = json.loads(zlib.decompress(base64.b64decode(packed, validate=True), bufsize=1 << 16))
    except (TypeError, ValueError, zlib.error):
        return {}
    out = {}
    for url, v in data.items() if isinstance(data, dict) else ():
        ok = (isinstance(v, dict) and type(v.get("id")) is int and isinstance(v.get("kind"), str)
              and all(_header_value(v.get(h)) for h in ("etag", "last_modified"))
              and (isinstance(v.get("links"), (list, dict))))
        if ok and isinstance(url, str):
            out[url] = v
    return out


def _header_value(v) -> bool:
    """None, or a string fit to be sent back as a header value."""
    return v is None or (isinstance(v, str) and len(v) <= 512 and v.isprintable())
