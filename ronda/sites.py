"""`ronda sites verify` and `ronda sites discover`: the configured sites checked, the unwatched subdomains found."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from base import store
from base.safe import terminal
from base.config import HOST_RE, Config, Site
from crawler.middlewares import AddressGuard
from crawler.settings import user_agent
from crawler.survey import Surveyor

STATE_ORDER = {"hacked": 0, "up": 1, "down": 2, "not_probed": 3}
LINK_DAYS = 30   # nights whose link hosts discovery reads


class SitesError(Exception):
    """Bad usage of verify or discover (unknown site, no `domain:`, an unreadable CT export); one line."""


def surveyor(cfg: Config, as_of: date) -> Surveyor:
    """A Surveyor with the crawl's politeness, User-Agent, SSRF guard and `resolve:` map."""
    guard = AddressGuard([s.url for s in cfg.sites], cfg.resolve)
    sv = Surveyor(guard, user_agent(cfg.crawl, cfg.organization), as_of, timeout=cfg.crawl.timeout_s,
                  delay_s=cfg.crawl.delay_s, tls_days=cfg.alerts.tls_days, workers=min(8, cfg.crawl.concurrency))
    sv.learn_sites(s.url for s in cfg.sites)
    return sv


# -- verify ------------------------------------------------------------------------------------------

def verify(cfg: Config, as_of: date, site_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Survey each enabled site (or the named ones): DNS, TLS, status, redirects, CMS, title, and what to change."""
    known = {s.id: s for s in cfg.enabled_sites}
    unknown = [i for i in site_ids or () if i not in known]
    if unknown:
        raise SitesError(f"unknown or disabled site id: {', '.join(unknown)}")
    sites = [s for s in cfg.enabled_sites if not site_ids or s.id in site_ids]
    results = surveyor(cfg, as_of).many([s.url for s in sites])
    return [{"site": s.id, "name": s.name, **r, "suggest": suggestion(s, r)} for s, r in zip(sites, results)]


def suggestion(site: Site, r: dict[str, Any]) -> str | None:
    """The `sites.yaml` change a moved address calls for (to www., to https, to another host), or None."""
    final = r.get("final_url")
    if not final or r.get("state") != "up":
        return None
    a, b = urlsplit(site.url), urlsplit(final)
    if (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower()):
        return None
    new = f"{b.scheme}://{b.netloc}/"
    host_a, host_b = (a.hostname or ""), (b.hostname or "")
    if host_b == "www." + host_a:
        why = "it redirects to www."
    elif host_b == host_a and b.scheme == "https" and a.scheme == "http":
        why = "it redirects to https"
    elif host_b == host_a:
        why = "it redirects to another scheme or port"
    else:
        why = f"it redirects to another host ({host_b})"
    return f"url: {new}  ({why})"


# -- discover ----------------------------------------------------------------------------------------

def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _bare(host: str) -> str:
    return host.removeprefix("www.")


def hosts_in_text(text: str, domain: str) -> set[str]:
    """Every host name under `domain` written in a page (links and plain text alike)."""
    rx = re.compile(r"(?i)(?<![a-z0-9.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*" + re.escape(domain) + r")(?![a-z0-9-])")
    return {m.lower().rstrip(".") for m in rx.findall(text)}


def read_ct(path: str | Path, domain: str) -> set[str]:
    """The names under `domain` in a crt.sh JSON export (`name_value` holds one or more names; `*.` dropped)."""
    path = Path(path)
    try:
        rows = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SitesError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SitesError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise SitesError(f"{path}: not crt.sh's JSON export (line {e.lineno}: {e.msg})") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise SitesError(f"{path}: not crt.sh's JSON export (a list of certificate objects was expected)")
    names: set[str] = set()
    for r in rows:
        for field in ("name_value", "common_name"):
            for name in str(r.get(field) or "").split():
                name = name.strip().lower().rstrip(".").removeprefix("*.")
                if _under(name, domain):
                    names.add(name)
    return names


def crawl_hosts(db, as_of: date, days: int = LINK_DAYS) -> set[str]:
    """Off-site link hosts the finished nights of the last `days` days (as of `as_of`) saw on every site."""
    # A union over nights: on incremental nights unchanged pages answer 304 and their links are not read again.
    out: set[str] = set()
    for (hosts,) in db.execute(
            """SELECT sr.link_hosts FROM site_runs sr JOIN runs r ON r.id = sr.run_id
               WHERE r.state = 'finished' AND r.as_of <= ? AND r.as_of > ? AND sr.link_hosts IS NOT NULL""",
            [as_of.isoformat(), (as_of - timedelta(days=days)).isoformat()]):
        out.update(json.loads(hosts))
    return out


def discover(cfg: Config, db_path: str | Path, as_of: date, ct_file: str | Path | None = None) -> dict[str, Any]:
    """Hosts under `domain:` that no site configures, from the portal, last night's links and a CT export; stored."""
    domain = (cfg.domain or "").lower()
    if not domain:
        raise SitesError("discovery needs `domain:` in sites.yaml (the Pemda's domain, e.g. pematangsiantar.go.id)")
    ct = read_ct(ct_file, domain) if ct_file else set()
    sv = surveyor(cfg, as_of)
    sources: dict[str, set[str]] = {}

    def add(source: str, hosts: set[str]) -> None:
        for h in hosts:
            if _under(h, domain) and HOST_RE.match(h):   # names from hostile pages and files: host names only
                sources.setdefault(h, set()).add(source)

    portal: dict[str, Any] = {"url": cfg.portal, "hosts": 0, "error": None}
    listed: set[str] = set()
    if cfg.portal:
        page = sv.get(cfg.portal)
        if page["status"] == 200:
            listed = hosts_in_text(page["body"], domain)
            portal["hosts"] = len(listed)
            add("portal", listed)
        else:
            portal["error"] = page["error"] or f"HTTP {page['status']}"
    db = store.open_db(db_path)
    try:
        link_hosts = crawl_hosts(db, as_of)
        add("crawl", link_hosts)
        add("ct", ct)
        configured = {_bare(urlsplit(s.url).hostname or "") for s in cfg.sites}
        new = sorted(h for h in sources if _bare(h) not in configured)
        results = sv.many([f"http://{h}/" for h in new], integrity=True)
        # a host that refuses plain HTTP may still serve HTTPS
        again = [i for i, r in enumerate(results) if r["state"] == "down" and r["reason"] == "connect"]
        for i, r in zip(again, sv.many([f"https://{new[i]}/" for i in again], integrity=True)):
            if r["state"] != "down":
                results[i] = r
        hosts = []
        for h, r in zip(new, results):
            state = "hacked" if r.get("hacked") else r["state"]
            hosts.append({"host": h, "sources": sorted(sources[h]), **r, "state": state})
        hosts.sort(key=lambda x: (STATE_ORDER.get(x["state"], 9), x["host"]))
        unlisted = _unlisted(cfg, listed) if listed else []
        _store(db, as_of, hosts, unlisted)
    finally:
        db.conn.close()
    return {"as_of": as_of.isoformat(), "domain": domain, "hosts": hosts, "unlisted": unlisted,
            "sources": {"portal": portal, "crawl": len(link_hosts), "ct": len(ct)}}


def _unlisted(cfg: Config, listed: set[str]) -> list[dict[str, str]]:
    """Enabled sites the portal's pages no longer name (the portal itself aside)."""
    names = {_bare(h) for h in listed}
    portal_host = _bare(urlsplit(cfg.portal or "").hostname or "")
    out = []
    for s in cfg.enabled_sites:
        host = _bare(urlsplit(s.url).hostname or "")
        if host != portal_host and host not in names:
            out.append({"site": s.id, "name": s.name, "url": s.url})
    return out


def _store(db, as_of: date, hosts: list[dict], unlisted: list[dict]) -> None:
    """One row per host found (and per site the portal dropped, state `unlisted`); a rerun replaces the day's."""
    now = store.utcnow()
    rows = [{"as_of": as_of.isoformat(), "host": h["host"], "checked_at": now, "state": h["state"],
             "hacked": int(h["state"] == "hacked"), "sources": json.dumps(h["sources"]), "url": h["url"],
             "status": h["status"], "final_url": h["final_url"], "cms": h["cms"], "title": h["title"],
             "reason": h["reason"], "data": store.dumps({k: v for k, v in h.items() if k != "chain"})} for h in hosts]
    rows += [{"as_of": as_of.isoformat(), "host": urlsplit(u["url"]).hostname, "checked_at": now, "state": "unlisted",
              "hacked": 0, "sources": "[]", "url": u["url"], "data": store.dumps(u)} for u in unlisted]
    with store.transaction(db):
        db.execute("DELETE FROM discoveries WHERE as_of = ?", [as_of.isoformat()])
        if rows:
            db["discoveries"].insert_all(rows, pk=("as_of", "host"), replace=True)


# -- terminal tables (the CLI prints them) -------------------------------------------------------------

def format_verify(rows: list[dict]) -> str:
    """The verify table, then one line per suggested change of sites.yaml."""
    head = f"{'site':<22} {'status':<10} {'final URL':<50} {'CMS':<12} {'TLS':<16} title"
    lines = [head, "-" * len(head)]
    for r in rows:
        status = str(r["status"]) if r["status"] else (r["reason"] or "down")
        hops = len(r["chain"]) - 1
        final = terminal(r["final_url"] or r["url"]) + (f" ({hops} redirect{'s' * (hops > 1)})" if hops > 0 else "")
        t = r.get("tls")
        tls = "-" if not t else f"{'ok' if t['valid'] else t['error']} {t['not_after'] or ''}".strip()
        lines.append(f"{terminal(r['site'])[:22]:<22} {status:<10} {final[:50]:<50} {terminal(r['cms'] or '-'):<12} "
                     f"{terminal(tls)[:16]:<16} {terminal(r['title'] or '')[:40]}")
    moves = [r for r in rows if r["suggest"]]
    if moves:
        lines += ["", "change in sites.yaml:"] + [f"  {terminal(r['site'])}: {terminal(r['suggest'])}" for r in moves]
    return "\n".join(lines)


def format_discover(result: dict) -> str:
    """The hosts found, hacked first, and the configured sites the portal no longer lists."""
    src = result["sources"]
    portal = src["portal"]
    said = f"portal {portal['hosts']}" if not portal["error"] else f"portal failed: {terminal(portal['error'])[:60]}"
    lines = [f"{len(result['hosts'])} host(s) under {result['domain']} not in sites.yaml "
             f"(names from {said if portal['url'] else 'no portal'}, crawl {src['crawl']}, CT {src['ct']})"]
    head = f"{'host':<34} {'state':<11} {'CMS':<12} {'found in':<16} note"
    lines += [head, "-" * len(head)]
    for h in result["hosts"]:
        if h["state"] == "hacked":
            note = "; ".join(f"{f['where']}: {f['kind']} {f['evidence']}" for f in h["integrity"]["findings"])
        elif h["state"] == "up":
            note = h["title"] or ""
        else:
            note = h["error"] or h["reason"] or ""
        state = {"hacked": "HACKED", "not_probed": "not probed"}.get(h["state"], h["state"])
        lines.append(f"{terminal(h['host'])[:34]:<34} {state:<11} {terminal(h['cms'] or '-'):<12} "
                     f"{','.join(h['sources']):<16} {terminal(note)[:70]}")
    if result["unlisted"]:
        lines += ["", "configured but no longer listed by the portal:"]
        lines += [f"  {terminal(u['site'])}: {terminal(u['url'])}" for u in result["unlisted"]]
    return "\n".join(lines)
