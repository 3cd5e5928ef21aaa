"""Chat delivery through Apprise: each alert to each channel is its own recorded row, sent at most once on its own.

States: pending -> sending -> sent | failed (refused: retried next run) | uncertain (timed out after the request
went out: it may have arrived, so it is never resent by itself; `ronda notify-resend KEY` does it by hand).
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator
from urllib.parse import quote, quote_plus, urlsplit

import apprise

from base import checklist, config, store
from base.config import WEEKDAYS, Config
from monitors import chat_text

RETRYABLE = ("pending", "failed")
# what requests says when the server took the request but no answer came in time: it may have been delivered
_READ_TIMEOUT = ("Read timed out", "ReadTimeout")


@dataclass(frozen=True)
class Channel:
    """One place chat messages go: a named channel of notify.channels, or a URL written in place."""

    id: str
    url: str
    digest: str | None = None
    """Diskominfo channels: daily | weekly | off; None for a head's channel (heads get no digest)"""


@dataclass
class Delivery:
    """One chat message to one channel (an alert, a digest or a test) and its state."""

    key: str
    kind: str
    channel: str
    target: str
    as_of: str
    state: str
    body: str
    alert_key: str | None = None
    site: str | None = None
    rule: str | None = None
    error: str | None = None
    attempts: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain data for `ronda alerts --json`."""
        return {"key": self.key, "kind": self.kind, "channel": self.channel, "target": self.target,
                "as_of": self.as_of, "state": self.state, "alert_key": self.alert_key, "site": self.site,
                "rule": self.rule, "error": self.error, "attempts": self.attempts, "body": self.body}


@dataclass
class ChatResult:
    """What `deliver` did (or, in a dry run, would do) in chat."""

    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    """created or attempted by this call (dry run: those that would be), then the uncertain ones awaiting a hand"""
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    """deliveries of any night left uncertain (not resent until someone does it by hand)"""
    pending: int = 0

    def summary(self) -> str:
        """One line of chat counts."""
        return f"chat: sent {self.sent}, failed {self.failed}, uncertain {self.uncertain}, pending {self.pending}"

    def to_json(self) -> dict[str, Any]:
        """Plain data for the CLI."""
        return {"dry_run": self.dry_run, "sent": self.sent, "failed": self.failed, "uncertain": self.uncertain,
                "pending": self.pending, "deliveries": [d.to_json() for d in self.deliveries]}


# --- URLs, secrets, and Apprise's parser ------------------------------------------------------------

@contextmanager
def _apprise_log() -> Iterator[Any]:
    """Apprise's log lines of one call, kept from every other log (they may hold a URL with its token)."""
    logger = logging.getLogger("apprise")
    propagate, logger.propagate = logger.propagate, False
    try:
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s") as log:
            yield log
    finally:
        logger.propagate = propagate


def _load(url: str) -> tuple[Any, list[str]]:
    """The Apprise plugin object for a URL (None when it cannot be read) and the warnings it logged."""
    with _apprise_log() as log:
        obj = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    said = [ln.split(" ", 1)[1] for ln in log.getvalue().splitlines() if ln.startswith(("WARNING ", "ERROR "))]
    return obj, said


def url_problem(url: str) -> str | None:
    """Why Apprise cannot send to this URL (unknown scheme, missing token, no valid target), else None; sends nothing."""
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if not scheme or scheme not in apprise.NotificationManager().schemas():
        return f"unknown Apprise scheme {scheme + '://' if scheme else '(none)'}: see docs/notifications.md"
    obj, said = _load(url)
    name = apprise.NotificationManager()[scheme].service_name
    if obj is None:
        why = "; ".join(s for s in said if not s.startswith(("Unparseable", "Could not load"))) or \
            "a token or a target is missing or malformed"
        return f"Apprise cannot read this {name} URL: {_scrub(why, url)}"
    if said:
        return f"{name}: {_scrub('; '.join(said), url)}"
    if len(obj) == 0:
        return f"{name} URL has no valid target"
    return None


def _scrub(text: str, url: str) -> str:
    # Apprise's messages may quote the URL itself, token and all: say "the URL" instead
    return text.replace(url, "the URL").replace(url.split("?")[0], "the URL")


def mask(text: str, cfg: Config) -> str:
    """Text with every secret read from the environment replaced by its ${NAME}, in any quoting."""
    for name, value in cfg.secrets:
        for form in {value, quote(value, safe=""), quote(value), quote_plus(value)}:
            text = text.replace(form, "${" + name + "}")
    return text


def describe(url: str, cfg: Config) -> tuple[str, int]:
    """The URL as ronda prints and stores it (Apprise's privacy form, secrets masked) and its message length limit."""
    obj, _ = _load(url)
    plain = obj.url(privacy=True) if obj is not None else urlsplit(url).scheme + "://\u2026"
    own = getattr(obj, "body_maxlen", 0) or chat_text.MAX_CHARS
    return mask(plain, cfg), min(own, chat_text.MAX_CHARS)


def channels(cfg: Config) -> dict[str, Channel]:
    """Every channel by id: named ones, Diskominfo's URLs (diskominfo.N) and heads' URLs (SITE.head.N)."""
    out: dict[str, Channel] = {}

    def add(cid: str, url: str, digest: str | None) -> None:
        out[cid] = Channel(cid, url, digest)

    for cid, ref in zip(_kominfo_ids(cfg), cfg.notify.diskominfo):
        add(cid, cfg.notify.channels.get(ref, ref), cfg.notify.digest.get(ref, "weekly"))
    for name, url in cfg.notify.channels.items():
        if name not in out:
            add(name, url, None)
    for s in cfg.sites:
        for j, ref in enumerate(s.head.channels if s.head else (), start=1):
            if "://" in ref:
                add(f"{s.id}.head.{j}", ref, None)
    return out


def _kominfo_ids(cfg: Config) -> list[str]:
    return [ref if "://" not in ref else f"diskominfo.{i}" for i, ref in enumerate(cfg.notify.diskominfo, start=1)]


def targets(cfg: Config, site_id: str | None, reminder: int) -> list[str]:
    """The channel ids an alert goes to: the head's (else Diskominfo's); Diskominfo's added on escalation."""
    site = cfg.site(site_id) if site_id else None
    head = site.head if site else None
    ids = [ref if "://" not in ref else f"{site.id}.head.{j}" for j, ref in enumerate(head.channels, start=1)] \
        if head and not head.placeholder else []
    kominfo = _kominfo_ids(cfg)
    ids = (ids or kominfo) + (kominfo if reminder >= cfg.alerts.escalate_after else [])
    return list(dict.fromkeys(ids))


# --- sending ------------------------------------------------------------------------------------------

def send(url: str, body: str, cfg: Config) -> tuple[str, str | None]:
    """Send one message now: (sent | failed | uncertain, error with secrets masked)."""
    unset = config.ENV_REF.search(url)
    if unset:   # left as written by a command other than check-config: failed, and sent once it is set
        return "failed", config.unset_message(unset.group(1))
    obj, said = _load(url)
    if obj is None:
        return "failed", mask(_scrub("Apprise cannot read the URL: " + "; ".join(said), url), cfg)
    with _apprise_log() as log:
        ok = obj.notify(body=body, title="")
    if ok:
        return "sent", None
    lines = log.getvalue().splitlines()
    if any(t in ln for ln in lines for t in _READ_TIMEOUT):
        return "uncertain", "timed out after the request was sent: it may have arrived"
    said = [ln.split(" ", 1)[1] for ln in lines if ln.startswith(("WARNING ", "ERROR "))]
    return "failed", mask(_scrub("; ".join(said) or "refused", url), cfg)[:300]


def _from_row(r: dict) -> Delivery:
    return Delivery(key=r["key"], kind=r["kind"], channel=r["channel"], target=r["target"] or "", as_of=r["as_of"],
                    state=r["state"], body=r["body"] or "", alert_key=r["alert_key"], site=r["site_id"],
                    rule=r["rule"], error=r["error"], attempts=r["attempts"] or 0)


def _insert(db, d: Delivery) -> None:
    now = store.utcnow()
    db.execute("""INSERT OR IGNORE INTO deliveries (key, kind, alert_key, channel, target, site_id, rule, as_of, state,
                      body, attempts, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""",
               [d.key, d.kind, d.alert_key, d.channel, d.target, d.site, d.rule, d.as_of, d.state, d.body, d.error,
                now, now])


def _send_row(db, cfg: Config, chans: dict[str, Channel], r: dict) -> Delivery | None:
    """Claim one row, send it, record the outcome; None when another process claimed it first."""
    claimed = db.execute("UPDATE deliveries SET state = 'sending', claimed_by = ?, attempts = attempts + 1, "
                         "updated_at = ? WHERE id = ? AND state IN ('pending', 'failed')",
                         [os.getpid(), store.utcnow(), r["id"]]).rowcount
    if not claimed:
        return None
    ch = chans.get(r["channel"])
    state, error = send(ch.url, r["body"], cfg) if ch else ("failed", f"channel {r['channel']} is no longer configured")
    now = store.utcnow()
    db.execute("UPDATE deliveries SET state = ?, error = ?, claimed_by = NULL, updated_at = ?, sent_at = ? WHERE id = ?",
               [state, error, now, now if state == "sent" else None, r["id"]])
    return _from_row(next(db.query("SELECT * FROM deliveries WHERE id = ?", [r["id"]])))


def _release_abandoned(db) -> None:
    """A row left 'sending' by a dead process may have gone out: uncertain, never resent by itself."""
    for r in list(db.query("SELECT id, claimed_by FROM deliveries WHERE state = 'sending'")):
        if r["claimed_by"] and r["claimed_by"] != os.getpid() and _alive(r["claimed_by"]):
            continue
        db.execute("UPDATE deliveries SET state = 'uncertain', claimed_by = NULL, error = ? WHERE id = ? "
                   "AND state = 'sending'", ["the sending process died: it may have arrived", r["id"]])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


# --- the night's deliveries ---------------------------------------------------------------------------

def _deliverable(a: Any, as_of: str) -> bool:
    # alerts first decided tonight; suppressed ones (muted, maintenance) and acknowledged ones are not delivered,
    # except for want of an e-mail address: a chat channel may still reach someone
    return (a.rule != "digest" and a.as_of == as_of and a.state not in ("acknowledged", "merged")
            and (a.state != "suppressed" or a.reason == "no_recipient"))


def _alert_rows(db, cfg: Config, as_of: str, decisions: Iterable[Any], chans: dict[str, Channel]) -> list[Delivery]:
    """The deliveries tonight's decisions call for, bodies composed (recorded ones are skipped by key)."""
    out: list[Delivery] = []
    names: dict[str, str] | None = None
    seen: dict[str, tuple[str, int]] = {}   # Apprise reads each channel's URL once per night
    decisions = list(decisions)
    merged: dict[str, list[Any]] = {}   # as in e-mail, a site's other problems of the night ride in its one message
    for a in decisions:
        if a.state == "merged" and a.as_of == as_of:
            merged.setdefault(a.reason, []).append(a)
    for a in decisions:
        if not _deliverable(a, as_of):
            continue
        ids = [c for c in targets(cfg, a.site, a.reminder) if c in chans]
        keys = {c: f"{a.key}/{c}" for c in ids}
        have = {r["key"] for r in db.query(f"SELECT key FROM deliveries WHERE key IN ({','.join('?' * len(keys))})",
                                           list(keys.values()))} if keys else set()
        site = cfg.site(a.site) if a.site else None
        verdict = _verdict(db, a.run_id, a.site) if a.site and a.run_id else {}
        if a.rule == "completeness_drop" and names is None:
            names = {i.id: (i.name_en if cfg.language == "en" else i.name) for i in checklist.load(cfg.checklist_path())}
        day = date.fromisoformat(as_of)
        common = dict(lang=cfg.language, site_name=a.site_name or (site.name if site else a.site or ""),
                      site_url=site.url if site else None, verdict=verdict, item_names=names or {}, as_of=day)
        also = [chat_text.headline(rule=m.rule, episode=m.episode, **common) for m in merged.get(a.key, ())]
        for c in ids:
            if keys[c] in have:
                continue
            if c not in seen:
                seen[c] = describe(chans[c].url, cfg)
            body = chat_text.alert(rule=a.rule, episode=a.episode, reminder=a.reminder, also=also,
                                   escalated=a.reminder >= cfg.alerts.escalate_after, limit=seen[c][1], **common)
            out.append(Delivery(key=keys[c], kind="alert", channel=c, target=seen[c][0], as_of=as_of,
                                state="pending", body=body, alert_key=a.key, site=a.site, rule=a.rule))
    return out


def _verdict(db, run_id: int, site_id: str) -> dict:
    row = next(db.query("SELECT data FROM verdicts WHERE run_id = ? AND site_id = ?", [run_id, site_id]), None)
    return store.loads(row["data"]) if row else {}


def _digest_due(cadence: str, cfg: Config, day: date) -> int:
    """Days the digest covers tonight: 1 (daily), 7 (weekly, on report.weekday), 0 when none is due."""
    if cadence == "daily":
        return 1
    if cadence == "weekly" and WEEKDAYS[day.weekday()] == cfg.report.weekday:
        return 7
    return 0


def _digest_rows(db, cfg: Config, day: date, chans: dict[str, Channel], would: list[Delivery]) -> list[Delivery]:
    """Each Diskominfo channel's digest due tonight and not yet recorded."""
    out = []
    latest = store.latest_verdicts(db, day.isoformat())
    enabled = {s.id for s in cfg.enabled_sites}
    counts: dict[str, int] = {}
    for sid, v in latest.items():
        if sid in enabled:
            counts[v["status"]] = counts.get(v["status"], 0) + 1
    for cid in _kominfo_ids(cfg):
        ch = chans.get(cid)
        days = _digest_due(ch.digest or "weekly", cfg, day) if ch else 0
        key = f"digest:{day.isoformat()}/{cid}"
        if not days or next(db.query("SELECT 1 FROM deliveries WHERE key = ?", [key]), None):
            continue
        first = date.fromordinal(day.toordinal() - days + 1).isoformat()
        rows = list(db.query("SELECT alert_key, body, state FROM deliveries WHERE kind = 'alert' AND as_of BETWEEN ? "
                             "AND ? ORDER BY id", [first, day.isoformat()]))
        rows += [{"alert_key": d.alert_key, "body": d.body, "state": "sent"} for d in would if d.kind == "alert"]
        sent = {r["alert_key"]: r["body"].split("\n", 1)[0] for r in rows if r["state"] == "sent"}
        uncertain = [r[0] for r in db.execute("SELECT key FROM deliveries WHERE state = 'uncertain' ORDER BY id")]
        failed = db.execute("SELECT COUNT(*) FROM deliveries WHERE kind = 'alert' AND state IN ('pending', 'failed')"
                            ).fetchone()[0]
        target, limit = describe(ch.url, cfg)
        body = chat_text.digest(lang=cfg.language, org=cfg.organization, period=chat_text.period(day, days, cfg.language),
                                counts=counts, sent=sent.values(), uncertain=uncertain, failed=failed, limit=limit)
        out.append(Delivery(key=key, kind="digest", channel=cid, target=target, as_of=day.isoformat(),
                            state="pending", body=body))
    return out


def deliver(db, cfg: Config, as_of: date, decisions: Iterable[Any], dry_run: bool = False) -> ChatResult | None:
    """Record tonight's chat deliveries of the decided alerts, send every pending or refused one, then the digests.

    Never raises on gateway trouble: each outcome is recorded on its row. None when no channel is configured.
    """
    if not (cfg.notify.channels or cfg.notify.diskominfo or any(s.head and s.head.channels for s in cfg.sites)):
        return None
    result = ChatResult(dry_run=dry_run)
    chans = channels(cfg)
    day = as_of.isoformat()
    decisions = list(decisions)
    if dry_run:
        new = _alert_rows(db, cfg, day, decisions, chans)
        retry = [_from_row(r) for r in db.query("SELECT * FROM deliveries WHERE state IN ('pending', 'failed') "
                                                "ORDER BY id")]
        result.deliveries = new + retry + _digest_rows(db, cfg, as_of, chans, new + retry)
        for d in result.deliveries:
            d.state = "new" if d.state == "pending" else d.state
        result.pending = len(result.deliveries)
        result.deliveries += _uncertain(db)
        result.uncertain = sum(d.state == "uncertain" for d in result.deliveries)
        return result
    _release_abandoned(db)
    with store.transaction(db):
        for d in _alert_rows(db, cfg, day, decisions, chans):
            _insert(db, d)
    _send_pending(db, cfg, chans, "alert", result)
    with store.transaction(db):
        for d in _digest_rows(db, cfg, as_of, chans, []):
            _insert(db, d)
    _send_pending(db, cfg, chans, "digest", result)
    result.pending = db.execute("SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'failed', 'sending')"
                                ).fetchone()[0]
    result.deliveries += [d for d in _uncertain(db) if d.key not in {x.key for x in result.deliveries}]
    result.uncertain = sum(d.state == "uncertain" for d in result.deliveries)
    return result


def _uncertain(db) -> list[Delivery]:
    return [_from_row(r) for r in db.query("SELECT * FROM deliveries WHERE state = 'uncertain' ORDER BY id")]


def _send_pending(db, cfg: Config, chans: dict[str, Channel], kind: str, result: ChatResult) -> None:
    """Send the kind's pending and refused rows of every night; a channel that refused one is spared the rest tonight."""
    down: set[str] = set()
    for r in list(db.query("SELECT * FROM deliveries WHERE kind = ? AND state IN ('pending', 'failed') ORDER BY id",
                           [kind])):
        if r["channel"] in down:
            continue
        d = _send_row(db, cfg, chans, r)
        if d is None:
            continue
        result.deliveries.append(d)
        if d.state == "sent":
            result.sent += 1
        else:
            result.failed += d.state == "failed"
            down.add(d.channel)


# --- by hand ------------------------------------------------------------------------------------------

def notify_test(cfg: Config, channel: str) -> tuple[Delivery | None, str | None]:
    """Send one test message to a channel now (not recorded): the delivery, or why there is none."""
    chans = channels(cfg)
    ch = chans.get(channel)
    if ch is None:
        return None, f"unknown channel {channel!r}: one of {', '.join(chans) or 'none (see notify.channels)'}"
    body = chat_text.hello(lang=cfg.language, org=cfg.organization, channel=channel)
    state, error = send(ch.url, body, cfg)
    return Delivery(key=f"test/{channel}", kind="test", channel=channel, target=describe(ch.url, cfg)[0],
                    as_of=date.today().isoformat(), state=state, body=body, error=error, attempts=1), None


def resend(db, cfg: Config, key: str) -> tuple[Delivery | None, str | None]:
    """Send an uncertain (or failed) delivery again now, by its key: the delivery, or why it was not sent."""
    row = next(db.query("SELECT * FROM deliveries WHERE key = ?", [key]), None)
    if row is None:
        return None, f"no chat delivery has the key {key!r} (see `ronda alerts --dry-run` for the keys)"
    if row["state"] not in ("uncertain", "failed", "pending"):
        return None, f"delivery {key} is {row['state']}: only an uncertain, failed or pending one is resent"
    db.execute("UPDATE deliveries SET state = 'failed', updated_at = ? WHERE id = ?", [store.utcnow(), row["id"]])
    return _send_row(db, cfg, channels(cfg), dict(row)), None
