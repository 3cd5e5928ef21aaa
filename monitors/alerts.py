"""Alert rules over the stored verdict history, and their delivery: recorded before sent, never lost, never doubled."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from base import checklist, store
from base.config import Config, Site
from monitors import acks as acks_mod
from monitors import chat, compose, mailer

# rules that open an episode (reminded while it lasts) and those whose end sends a recovery note
EPISODE_RULES = ("down", "compromised", "idle", "tls")
RECOVERABLE = ("down", "compromised", "idle")
# alert states that mean the head was (or will be) told: only then does a recovery note follow
NOTIFIED = ("pending", "sending", "sent", "failed", "merged")
# one e-mail per site and night: its problems told most severe first
SEVERITY = {"compromised": 0, "down": 1, "idle": 2, "tls": 3, "completeness_drop": 4, "recovered": 5}


@dataclass
class Alert:
    """One e-mail the rules call for (or the nightly digest), with its delivery state."""

    site: str | None
    rule: str
    key: str
    to: list[str]
    cc: list[str]
    subject: str
    text: str
    html: str
    message_id: str
    state: str
    """new (not recorded) | pending | sending | sent | failed | suppressed | merged | acknowledged (never recorded)"""
    as_of: str
    episode: str | None = None
    reminder: int = 0
    run_id: int | None = None
    reason: str | None = None
    """why it is suppressed: muted | maintenance | no_recipient | domain_down; merged: the key it was told in"""
    error: str | None = None
    site_name: str | None = None
    recorded: bool = False
    rendered: compose.Rendered | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """Plain data for `ronda alerts [--dry-run] --json` (the HTML part left out)."""
        return {"site": self.site, "rule": self.rule, "key": self.key, "to": self.to, "cc": self.cc,
                "subject": self.subject, "state": self.state, "reason": self.reason, "error": self.error,
                "reminder": self.reminder, "as_of": self.as_of, "message_id": self.message_id, "text": self.text}


@dataclass
class DeliveryResult:
    """What `deliver` did (or, in a dry run, would do)."""

    as_of: str
    dry_run: bool
    transport: str
    alerts: list[Alert] = field(default_factory=list)
    """alerts recorded or sent by this call (dry run: those that would be)"""
    sent: int = 0
    failed: int = 0
    pending: int = 0
    """alerts still waiting in the store after this call (all nights)"""
    suppressed: int = 0
    digest: Alert | None = None
    errors: list[str] = field(default_factory=list)
    chat: chat.ChatResult | None = None
    """the same decisions delivered to chat channels (monitors/chat.py); never counts against `ok`"""

    @property
    def ok(self) -> bool:
        # A dry run sends nothing, so what it would send is its result, not a failure.
        return not self.errors if self.dry_run else self.pending == 0 and self.failed == 0

    def summary(self) -> str:
        """One line of alert counts."""
        return (f"sent {self.sent}, failed {self.failed}, pending {self.pending}, "
                f"suppressed {self.suppressed} via {self.transport}")

    def to_json(self) -> dict[str, Any]:
        """Plain data for the CLI."""
        return {"as_of": self.as_of, "dry_run": self.dry_run, "transport": self.transport, "sent": self.sent,
                "failed": self.failed, "pending": self.pending, "suppressed": self.suppressed,
                "alerts": [a.to_json() for a in self.alerts], "digest": self.digest and self.digest.to_json(),
                "errors": self.errors, "chat": self.chat and self.chat.to_json()}


@dataclass
class _Intent:
    site: Site
    rule: str
    key: str
    episode: str
    reminder: int
    point: dict
    facts: dict
    since: str | None = None


# --- the verdict history ----------------------------------------------------------------------

def _history(db, as_of: str, site_ids: set[str]) -> Iterator[tuple[str, list[dict]]]:
    """Per site, one point per as-of day (its newest finished run), oldest first, light columns only.

    Yielded site by site: the whole history of thousands of sites over years would not fit in memory.
    """
    # Light columns only (the verdict JSON is never read here), raw tuples: this reads every night of every site.
    cur = db.conn.execute(
        """SELECT v.site_id, v.as_of, v.run_id, v.status, v.completeness, v.last_update, v.days_since_update,
                  v.tls_alert
           FROM verdicts v JOIN runs r ON r.id = v.run_id
           WHERE r.state = 'finished' AND v.as_of <= ?
           ORDER BY v.site_id, v.as_of, v.run_id""", [as_of])
    names = [c[0] for c in cur.description]
    site, days = None, {}
    for t in cur:
        if t[0] != site:
            if days:
                yield site, list(days.values())
            site, days = t[0], {}
        if t[0] in site_ids:
            days[t[1]] = dict(zip(names, t))   # a later run of the same day replaces the earlier one
    if days:
        yield site, list(days.values())


def _condition(rule: str, p: dict, idle_days: int) -> bool | None:
    """Whether a problem holds at a point; None when the point cannot tell (a down night), so it carries."""
    status = p["status"]
    if rule == "down":
        return status == "down"
    if status == "down":
        return None
    if rule == "compromised":
        return status == "compromised"
    if rule == "idle":
        days = p["days_since_update"]
        return status == "idle" or (status == "compromised" and (days is None or days > idle_days))
    return bool(p["tls_alert"])


def _episodes(points: list[dict], rule: str, need: int, idle_days: int) -> list[dict]:
    """Maximal spans where a problem holds; `trigger` is the day it became alertable (need-th point)."""
    eps: list[dict] = []
    cur: dict | None = None
    for p in points:
        held = _condition(rule, p, idle_days)
        if held is None:
            held = cur is not None
        if held:
            if cur is None:
                cur = {"start": p["as_of"], "n": 0, "trigger": None, "end": None}
            cur["n"] += 1
            if cur["trigger"] is None and cur["n"] >= need:
                cur["trigger"] = p["as_of"]
        elif cur is not None:
            cur["end"] = p["as_of"]
            eps.append(cur)
            cur = None
    if cur is not None:
        eps.append(cur)
    return eps


def _drop_event(points: list[dict], window_days: int, drop: int) -> dict | None:
    """A completeness drop at the newest point: against the best score of the preceding window since the last drop."""
    # only the last two windows can matter for the newest point (an older drop is outside its window)
    first = (date.fromisoformat(points[-1]["as_of"]) - timedelta(days=2 * window_days)).isoformat()
    recent = [p for p in points[-(4 * window_days + 2):] if p["as_of"] >= first]
    last_event = -1
    event = None
    for i, p in enumerate(recent):
        if p["status"] == "down" or p["completeness"] is None:
            continue  # a down night carries the previous score, and a site not judged has none: never a drop
        since = (date.fromisoformat(p["as_of"]) - timedelta(days=window_days)).isoformat()
        base = [q for q in recent[last_event + 1:i] if q["as_of"] >= since]
        if not base:
            continue
        best = max(base, key=lambda q: q["completeness"] or 0)
        if (best["completeness"] or 0) - (p["completeness"] or 0) >= drop:
            last_event = i
            event = {"index": i, "before": best["completeness"], "after": p["completeness"], "base": best}
    return event if event and event["index"] == len(recent) - 1 else None


def _intents(site: Site, points: list[dict], cfg: Config, day: date) -> list[_Intent]:
    a = cfg.alerts
    cur = points[-1]
    out: list[_Intent] = []
    for rule in EPISODE_RULES:
        need = a.down_after if rule == "down" else 1
        eps = _episodes(points, rule, need, cfg.thresholds.idle_days)
        if not eps or eps[-1]["trigger"] is None:
            continue
        ep = eps[-1]
        opening = f"{site.id}:{rule}:{ep['start']}"
        if ep["end"] is None:
            k = max(0, (day - date.fromisoformat(ep["trigger"])).days // a.reminder_days)
            facts = {"nights": ep["n"], "since": ep["start"], "idle_days": cfg.thresholds.idle_days}
            out.append(_Intent(site, rule, opening + (f":r{k}" if k else ""), opening, k, cur, facts, ep["trigger"]))
        elif rule in RECOVERABLE and ep["end"] == cur["as_of"]:
            out.append(_Intent(site, "recovered", f"{site.id}:recovered:{rule}:{ep['start']}", opening, 0, cur,
                               {"from": rule}))
    ev = _drop_event(points, a.reminder_days, a.completeness_drop)
    if ev:
        key = f"{site.id}:completeness_drop:{cur['as_of']}"
        facts = {"before": ev["before"], "after": ev["after"], "drop": ev["before"] - ev["after"], "base": ev["base"]}
        out.append(_Intent(site, "completeness_drop", key, key, 0, cur, facts))
    return out


# --- deciding ---------------------------------------------------------------------------------

def _recipients(site: Site, cfg: Config, escalate: bool) -> tuple[list[str], list[str]]:
    """To the head (a placeholder address counts as none), else Diskominfo; Cc Diskominfo on escalation."""
    head = site.head
    to = [head.email] if head and head.email and not head.placeholder else list(cfg.mail.diskominfo)
    cc = [x for x in cfg.mail.diskominfo if x not in to] if escalate else []
    return to, cc


def reply_to(cfg: Config, to: Iterable[str]) -> list[str]:
    """Where a head's reply goes (the footer says "balas ke Diskominfo"); none for mail already to Diskominfo."""
    kominfo = list(cfg.mail.diskominfo)
    return kominfo if kominfo and not set(to) <= set(kominfo) else []


def _footer(cfg: Config, to: list[str]) -> str:
    if reply_to(cfg, to):
        return "footer"
    return "footer_diskominfo" if to and set(to) <= set(cfg.mail.diskominfo) else "footer_no_reply"


def _suppressed(site: Site, cfg: Config, day: date) -> str | None:
    if site.muted:
        return "muted"
    for w in cfg.alerts.maintenance:
        if w.start <= day.isoformat() <= w.end and (not w.sites or site.id in w.sites):
            return "maintenance"
    return None


def _verdict(db, run_id: int, site_id: str) -> dict:
    row = next(db.query("SELECT data FROM verdicts WHERE run_id = ? AND site_id = ?", [run_id, site_id]), None)
    return store.loads(row["data"]) if row else {}


def _tls_facts(verdict: dict, day: date) -> dict:
    tls = verdict.get("tls") or {}
    kinds = {f.get("kind") for f in tls.get("findings") or ()}
    not_after = str(tls.get("not_after") or "")[:10] or None
    days_left = tls.get("days_left")
    if not_after and len(not_after) == 10 and not_after[4] == "-":
        days_left = (date.fromisoformat(not_after) - day).days
    return {"expired": "tls_expired" in kinds or (days_left is not None and days_left < 0),
            "days_left": days_left, "not_after": not_after}


def _item_names(cfg: Config) -> dict[str, str]:
    return {i.id: (i.name_en if cfg.language == "en" else i.name) for i in checklist.load(cfg.checklist_path())}


def _stored(db, keys: Iterable[str]) -> dict[str, dict]:
    keys = list(keys)
    out: dict[str, dict] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.query(f"SELECT * FROM alerts WHERE key IN ({marks})", chunk):
            out[r["key"]] = r
    return out


def _notified_episodes(db, site_ids: Iterable[str]) -> set[str]:
    ids = list(site_ids)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = db.query(f"SELECT DISTINCT episode FROM alerts WHERE site_id IN ({marks}) AND state IN "
                    f"({','.join('?' * len(NOTIFIED))})", ids + list(NOTIFIED))
    return {r["episode"] for r in rows}


def _from_row(r: dict) -> Alert:
    return Alert(site=r["site_id"], rule=r["rule"], key=r["key"], to=json.loads(r["to_addrs"] or "[]"),
                 cc=json.loads(r["cc_addrs"] or "[]"), subject=r["subject"] or "", text=r["text"] or "",
                 html=r["html"] or "", message_id=r["message_id"] or "", state=r["state"], as_of=r["as_of"],
                 episode=r["episode"], reminder=r["reminder"] or 0, run_id=r["run_id"], reason=r["reason"],
                 error=r["error"], recorded=True)


def decide(db, cfg: Config, as_of: date) -> list[Alert]:
    """The alerts the rules call for as of a day, from the verdict history; recorded ones carry their stored state."""
    sites = {s.id: s for s in cfg.enabled_sites}
    intents = [i for sid, pts in _history(db, as_of.isoformat(), set(sites)) for i in _intents(sites[sid], pts, cfg, as_of)]
    stored = _stored(db, (i.key for i in intents))
    notified = _notified_episodes(db, {i.site.id for i in intents if i.rule == "recovered"})
    names: dict[str, str] | None = None
    site_acks = acks_mod.by_site(db, as_of)
    verdicts: dict[tuple[int, str], dict] = {}
    plan: list[Alert] = []
    domains: dict[str, list[tuple[_Intent, dict]]] = {}

    def verdict_of(it: _Intent) -> dict:
        vkey = (it.point["run_id"], it.site.id)
        if vkey not in verdicts:
            verdicts[vkey] = _verdict(db, *vkey)
        return verdicts[vkey]

    for it in intents:
        # a whole parent domain down the same way is one problem for Diskominfo, not one per OPD head
        if it.rule == "down":
            event = verdict_of(it).get("event") or {}
            if event.get("kind") == "domain_down" and event.get("domain"):
                domains.setdefault(str(event["domain"]), []).append((it, verdict_of(it)))
        key, acked, verdict, reminder = it.key, False, None, it.reminder
        if it.site.id in site_acks:
            verdict = verdict_of(it)
            acked, told = acks_mod.judge(it.rule, verdict, site_acks[it.site.id])
            if told is not verdict:
                # some findings acknowledged, others not: what is new is news, told once under a key of its own
                key, verdict, reminder = f"{it.episode}:n{acks_mod.fingerprint(told)}", told, 0
                stored |= _stored(db, [key])
        if key in stored:
            plan.append(replace(_from_row(stored[key]), site_name=it.site.name))
            continue
        if it.rule == "recovered" and it.episode not in notified:
            continue  # the head was never told of the problem: no recovery note either
        verdict = verdict if verdict is not None else verdict_of(it)
        facts = dict(it.facts)
        if it.rule == "tls":
            facts |= _tls_facts(verdict, as_of)
        if it.rule == "completeness_drop":
            base = _verdict(db, facts["base"]["run_id"], it.site.id)
            now_missing = set(verdict.get("missing") or ())
            facts["newly_missing"] = [i for i in (base.get("found") or {}) if i in now_missing]
        if names is None:
            names = _item_names(cfg)
        escalate = reminder >= cfg.alerts.escalate_after
        to, cc = _recipients(it.site, cfg, escalate)
        r = compose.render_alert(
            lang=cfg.language, rule=it.rule, facts=facts, verdict=verdict, site_name=it.site.name,
            site_url=it.site.url, head_name=it.site.head.name if it.site.head else None, org=cfg.organization,
            as_of=as_of, reminder_days=cfg.alerts.reminder_days, item_names=names, reminder=reminder,
            escalated_after=cfg.alerts.escalate_after if escalate and cc else None, since=it.since,
            footer=_footer(cfg, to))
        reason = _suppressed(it.site, cfg, as_of) or (None if to else "no_recipient")
        if it.site.id in {m.site.id for ms in domains.values() for m, _ in ms} and it.rule == "down":
            reason = reason or "domain_down"
        plan.append(Alert(site=it.site.id, rule=it.rule, key=key, to=to, cc=cc, subject=r.subject, text=r.text,
                          html=r.html, message_id=mailer.message_id(key, cfg.mail.from_),
                          state="suppressed" if reason else "acknowledged" if acked else "new", as_of=as_of.isoformat(),
                          episode=it.episode, reminder=reminder, run_id=it.point["run_id"], reason=reason,
                          site_name=it.site.name, rendered=r))
    _one_per_site(plan, cfg.language)
    plan += [_domain_alert(db, cfg, as_of, domain, members) for domain, members in sorted(domains.items())]
    order = {s: i for i, s in enumerate(sites)}
    plan.sort(key=lambda a: (order.get(a.site, -1), a.key))
    return plan


def _one_per_site(plan: list[Alert], lang: str) -> None:
    """A site gets at most one new e-mail a night: its problems in one, most severe first; the others are `merged`."""
    by_site: dict[str, list[Alert]] = {}
    for a in plan:
        if a.state == "new" and a.site:
            by_site.setdefault(a.site, []).append(a)
    for group in by_site.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda a: (SEVERITY.get(a.rule, 9), a.key))
        first = group[0]
        r = compose.merge(lang, [a.rendered for a in group])
        first.subject, first.text, first.html, first.rendered = r.subject, r.text, r.html, r
        first.cc = list(dict.fromkeys(x for a in group for x in a.cc))
        for a in group[1:]:
            a.state, a.reason = "merged", first.key


def _domain_alert(db, cfg: Config, as_of: date, domain: str, members: list[tuple[_Intent, dict]]) -> Alert:
    """The one alert to Diskominfo for sites down together under one parent domain."""
    start = min(it.facts["since"] for it, _ in members)
    k = max(it.reminder for it, _ in members)
    opening = f"domain:{domain}:down:{start}"
    key = opening + (f":r{k}" if k else "")
    row = _stored(db, [key]).get(key)
    if row:
        return replace(_from_row(row), site_name=domain)
    reason = members[0][1].get("reason")
    r = compose.render_domain_down(
        lang=cfg.language, domain=domain, reason=reason, since=start, org=cfg.organization, as_of=as_of, reminder=k,
        sites=[{"name": it.site.name, "url": it.site.url} for it, _ in members])
    to = list(cfg.mail.diskominfo)
    return Alert(site=None, rule="domain_down", key=key, to=to, cc=[], subject=r.subject, text=r.text, html=r.html,
                 message_id=mailer.message_id(key, cfg.mail.from_), state="new" if to else "suppressed",
                 as_of=as_of.isoformat(), episode=opening, reminder=k, run_id=members[0][0].point["run_id"],
                 reason=None if to else "no_recipient", site_name=domain)


# --- delivering -------------------------------------------------------------------------------

def _insert(db, a: Alert, kind: str = "alert") -> None:
    now = store.utcnow()
    db.execute(
        """INSERT OR IGNORE INTO alerts (key, kind, site_id, rule, as_of, episode, reminder, run_id, state, reason,
               to_addrs, cc_addrs, subject, text, html, message_id, attempts, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""",
        [a.key, kind, a.site, a.rule, a.as_of, a.episode, a.reminder, a.run_id, a.state, a.reason,
         json.dumps(a.to), json.dumps(a.cc), a.subject, a.text, a.html, a.message_id, now, now])


def _release_abandoned(db) -> None:
    """Rows left 'sending' by a dead process go back to pending (resent with the same Message-ID)."""
    for r in list(db.query("SELECT id, claimed_by FROM alerts WHERE state = 'sending'")):
        if r["claimed_by"] and r["claimed_by"] != os.getpid() and _alive(r["claimed_by"]):
            continue
        db.execute("UPDATE alerts SET state = 'pending', claimed_by = NULL WHERE id = ? AND state = 'sending'", [r["id"]])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _send_row(db, t, cfg: Config, r: dict) -> mailer.Outcome | None:
    """Claim one pending row, send it, record the outcome; None when another process claimed it first."""
    claimed = db.execute(
        "UPDATE alerts SET state = 'sending', claimed_by = ?, attempts = attempts + 1, updated_at = ? "
        "WHERE id = ? AND state = 'pending'", [os.getpid(), store.utcnow(), r["id"]]).rowcount
    if not claimed:
        return None
    to, cc = json.loads(r["to_addrs"]), json.loads(r["cc_addrs"] or "[]")
    refs = mailer.message_id(r["episode"], cfg.mail.from_) if r["episode"] and r["episode"] != r["key"] else None
    msg = mailer.build(from_=cfg.mail.from_, to=to, cc=cc, subject=r["subject"], text=r["text"], html=r["html"],
                       msg_id=r["message_id"], references=refs, reply_to=reply_to(cfg, to))
    out = t.send(msg, r["key"], to + cc)
    now = store.utcnow()
    db.execute("UPDATE alerts SET state = ?, error = ?, claimed_by = NULL, updated_at = ?, sent_at = ?, transport = ? "
               "WHERE id = ?", [out.state, out.error, now, now if out.state == "sent" else None, t.name, r["id"]])
    return out


def status_counts(db, cfg: Config, as_of: date) -> dict[str, int]:
    """Enabled sites per status of their newest finished verdict as of a day (`none`: never checked)."""
    rows = db.execute(
        """SELECT site_id, status FROM (
               SELECT v.site_id, v.status, ROW_NUMBER() OVER (PARTITION BY v.site_id ORDER BY v.as_of DESC, v.run_id DESC) n
               FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE r.state = 'finished' AND v.as_of <= ?)
           WHERE n = 1""", [as_of.isoformat()]).fetchall()
    latest = dict(rows)
    counts: dict[str, int] = {}
    for s in cfg.enabled_sites:
        st = latest.get(s.id) or "none"
        counts[st] = counts.get(st, 0) + 1
    return counts


def _digest(db, cfg: Config, as_of: date, sent: list[dict], recorded: list[Alert]) -> Alert:
    """The nightly digest to Diskominfo: the sites per status, what this call sent, what it could not, what waits."""
    def item(a: Mapping[str, Any]) -> dict:
        to = a["to"] if isinstance(a["to"], list) else json.loads(a["to"])
        return {"site_name": a["site_name"], "subject": a["subject"], "to": ", ".join(to), "error": a.get("error")}
    names = {s.id: s.name for s in cfg.sites}

    def who(r: Mapping[str, Any]) -> str:
        # a domain alert has no site: its key names the domain
        return names.get(r["site_id"]) or r["site_id"] or r["key"].split(":")[1]
    sent_items = [item({**r, "to": r["to_addrs"], "site_name": who(r)}) for r in sent]
    unsent = [item({**r, "to": r["to_addrs"], "site_name": who(r)})
              for r in db.query("SELECT * FROM alerts WHERE kind = 'alert' AND state IN ('pending', 'failed') "
                                "AND as_of = ?", [as_of.isoformat()])]
    held = {g: [item({"to": a.to, "site_name": a.site_name, "subject": a.subject, "error": a.reason})
                for a in recorded if a.state == g] for g in ("suppressed", "acknowledged")}
    r = compose.render_digest(lang=cfg.language, as_of=as_of, org=cfg.organization,
                              groups={"sent": sent_items, "unsent": unsent, **held},
                              counts=status_counts(db, cfg, as_of))
    base = f"digest:{as_of.isoformat()}"
    n = db.execute("SELECT COUNT(*) FROM alerts WHERE key = ? OR key LIKE ?", [base, base + ":%"]).fetchone()[0]
    key = base if n == 0 else f"{base}:{n + 1}"
    return Alert(site=None, rule="digest", key=key, to=list(cfg.mail.diskominfo), cc=[], subject=r.subject,
                 text=r.text, html=r.html, message_id=mailer.message_id(key, cfg.mail.from_), state="pending",
                 as_of=as_of.isoformat(), episode=key)


def _digest_due(db, cfg: Config, as_of: date, sent_any: bool) -> bool:
    """One digest every night, quiet ones too; another one that night only when this call sent alerts."""
    if not (cfg.mail.digest and cfg.mail.diskominfo):
        return False
    return sent_any or db.execute("SELECT COUNT(*) FROM alerts WHERE kind = 'digest' AND as_of = ?",
                                  [as_of.isoformat()]).fetchone()[0] == 0


def deliver(db, cfg: Config, as_of: date, db_path: str | Path, dry_run: bool = False,
            env: Mapping[str, str] | None = None) -> DeliveryResult:
    """Record the new alerts (pending or suppressed), send every pending one, then the digest; never raises on SMTP trouble."""
    env = os.environ if env is None else env
    t = mailer.transport(cfg, db_path, env)
    plan = decide(db, cfg, as_of)
    acked = [a for a in plan if a.state == "acknowledged"]
    new = [a for a in plan if not a.recorded and a.state != "acknowledged"]
    result = DeliveryResult(as_of=as_of.isoformat(), dry_run=dry_run, transport=t.name)
    if dry_run:
        retry = [_from_row(r) for r in db.query("SELECT * FROM alerts WHERE state IN ('pending', 'sending') ORDER BY id")]
        result.alerts = new + retry + acked
        result.suppressed = sum(a.state == "suppressed" for a in new)
        result.pending = sum(a.state in ("new", "pending", "sending") for a in result.alerts)
        would = [{"site_id": a.site, "key": a.key, "subject": a.subject, "to_addrs": json.dumps(a.to), "error": None}
                 for a in result.alerts if a.state in ("new", "pending", "sending") and a.rule != "digest"]
        if _digest_due(db, cfg, as_of, bool(would)):
            result.digest = _digest(db, cfg, as_of, would, new + acked)
        result.chat = chat.deliver(db, cfg, as_of, plan, dry_run=True)
        return result
    _release_abandoned(db)
    with store.transaction(db):
        for a in new:
            if a.state != "merged":
                a.state = "suppressed" if a.reason else "pending"
            _insert(db, a)
    result.alerts = new
    result.suppressed = sum(a.state == "suppressed" for a in new)
    sent_rows: list[dict] = []
    stop: str | None = None
    with t:
        for r in list(db.query("SELECT * FROM alerts WHERE state = 'pending' ORDER BY kind, id")):
            if stop:
                break
            out = _send_row(db, t, cfg, r)
            if out is None:
                continue
            if out.state == "sent":
                result.sent += 1
                if r["kind"] == "alert":
                    sent_rows.append(r)
            elif out.state == "failed":
                result.failed += 1
                result.errors.append(f"{r['key']}: {out.error}")
            if out.stop:
                stop = out.error
        if stop:
            result.errors.append(stop)
            db.execute("UPDATE alerts SET error = ?, updated_at = ? WHERE state = 'pending' AND error IS NULL",
                       [stop, store.utcnow()])
        # SMTP unusable before anything went: no digest tonight (one sent, then a failure: recorded, sent next run)
        if (sent_rows or not stop) and _digest_due(db, cfg, as_of, bool(sent_rows)):
            d = _digest(db, cfg, as_of, sent_rows, new + acked)
            with store.transaction(db):
                _insert(db, d, kind="digest")
            row = next(db.query("SELECT * FROM alerts WHERE key = ?", [d.key]))
            out = None if stop else _send_row(db, t, cfg, row)
            if out is not None and out.state == "sent":
                result.sent += 1
            d.state = next(db.query("SELECT state FROM alerts WHERE key = ?", [d.key]))["state"]
            d.recorded = True
            result.digest = d
    result.pending = db.execute("SELECT COUNT(*) FROM alerts WHERE state IN ('pending', 'sending')").fetchone()[0]
    for a in result.alerts:
        row = next(db.query("SELECT state, error FROM alerts WHERE key = ?", [a.key]))
        a.state, a.error, a.recorded = row["state"], row["error"], True
    result.alerts += acked
    # after the e-mail is out: a chat gateway that hangs or refuses can neither delay nor repeat it
    result.chat = chat.deliver(db, cfg, as_of, plan)
    return result
