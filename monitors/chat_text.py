"""Chat wording: short plain-text alerts and the digest, with crawled text made inert for any chat service."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any, Iterable, Mapping
from urllib.parse import quote, urlsplit

from monitors import compose

# No service gets more than this, whatever its own limit: a chat alert is read on a phone.
MAX_CHARS = 1000
VALUE_MAX = 120

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "idle": "{site}: website tidak diperbarui {days} hari",
        "idle_never": "{site}: website tidak memuat tulisan bertanggal",
        "idle_fact": "Tulisan terakhir {date}: \u201c{title}\u201d",
        "idle_todo": "Terbitkan berita atau pengumuman baru di website.",
        "down": "{site}: website tidak dapat diakses sejak {since}",
        "down_fact": "Penyebab: {reason}",
        "down_todo": "Periksa server atau hosting bersama pengelola website.",
        "compromised": "PENTING: {site}: website terindikasi diretas",
        "compromised_fact": "{kind}: {evidence}",
        "compromised_todo": "Hapus konten sisipan, ganti semua kata sandi admin, perbarui CMS, lapor ke Diskominfo.",
        "tls": "{site}: sertifikat HTTPS berakhir {date}",
        "tls_expired": "{site}: sertifikat HTTPS sudah kedaluwarsa ({date})",
        "tls_todo": "Perpanjang sertifikat TLS website.",
        "completeness_drop": "{site}: kelengkapan informasi wajib turun ke {after}%",
        "completeness_fact": "Belum ditemukan: {items}",
        "completeness_todo": "Pasang kembali informasi wajib yang hilang.",
        "recovered": "{site}: sudah normal kembali (sebelumnya: {problem})",
        "recovered_todo": "Terima kasih.",
        "domain_down": "Domain {site} tidak dapat diakses sejak {since}",
        "domain_down_todo": "Hubungi pengelola domain; kepala OPD tidak dikirimi pesan terpisah.",
        "also": "Juga: {head}",
        "reminder": "Pengingat ke-{n}.",
        "escalated": "Pengingat ke-{n}, diteruskan ke Diskominfo.",
        "problem_idle": "tidak diperbarui", "problem_down": "tidak dapat diakses",
        "problem_compromised": "terindikasi diretas",
        "digest": "Ringkasan ronda {period} \u2014 {org}",
        "digest_status": "Status {n} website: {counts}",
        "digest_sent": "Peringatan terkirim lewat chat: {n}",
        "digest_uncertain": "Belum pasti terkirim ({n}), kirim ulang dengan: ronda notify-resend KUNCI",
        "digest_failed": "Gagal, dicoba lagi malam berikutnya: {n}",
        "digest_more": "\u2026 dan {n} lainnya",
        "digest_none": "Tidak ada peringatan baru.",
        "active": "aktif", "stale": "kurang aktif", "idle_s": "nganggur", "down_s": "tidak dapat diakses",
        "compromised_s": "terindikasi diretas",
        "test": "Pesan uji dari ronda ({org}): saluran {channel} tersambung.",
    },
    "en": {
        "idle": "{site}: website not updated for {days} days",
        "idle_never": "{site}: website has no dated posts",
        "idle_fact": "Latest post {date}: \u201c{title}\u201d",
        "idle_todo": "Publish a news item or an announcement on the website.",
        "down": "{site}: website unreachable since {since}",
        "down_fact": "Cause: {reason}",
        "down_todo": "Check the server or hosting with the website's administrator.",
        "compromised": "URGENT: {site}: website appears compromised",
        "compromised_fact": "{kind}: {evidence}",
        "compromised_todo": "Remove the injected content, change every admin password, update the CMS, tell Diskominfo.",
        "tls": "{site}: HTTPS certificate expires {date}",
        "tls_expired": "{site}: HTTPS certificate has expired ({date})",
        "tls_todo": "Renew the website's TLS certificate.",
        "completeness_drop": "{site}: mandatory information fell to {after}%",
        "completeness_fact": "Not found: {items}",
        "completeness_todo": "Put the missing mandatory information back.",
        "recovered": "{site}: back to normal (was: {problem})",
        "recovered_todo": "Thank you.",
        "domain_down": "Domain {site} unreachable since {since}",
        "domain_down_todo": "Contact the domain's registrar; OPD heads get no separate message.",
        "also": "Also: {head}",
        "reminder": "Reminder {n}.",
        "escalated": "Reminder {n}, copied to Diskominfo.",
        "problem_idle": "not updated", "problem_down": "unreachable", "problem_compromised": "compromised",
        "digest": "ronda summary {period} \u2014 {org}",
        "digest_status": "Status of {n} websites: {counts}",
        "digest_sent": "Alerts sent by chat: {n}",
        "digest_uncertain": "Not known to have arrived ({n}), resend with: ronda notify-resend KEY",
        "digest_failed": "Failed, retried next night: {n}",
        "digest_more": "\u2026 and {n} more",
        "digest_none": "No new alerts.",
        "active": "active", "stale": "stale", "idle_s": "idle", "down_s": "down", "compromised_s": "compromised",
        "test": "Test message from ronda ({org}): channel {channel} is connected.",
    },
}
STATUSES = ("active", "stale", "idle", "down", "compromised")

# Characters that format text in some chat service (WhatsApp *bold* _italic_ ~strike~ ```mono```, Markdown
# links and headings, Slack/Discord <@mentions> and <!channel>, tables): taken out of crawled text.
_MARKUP = re.compile(r"[*_~`\[\]<>|#\\]")
# a link written inside a crawled title would become a second, clickable link: defanged
_LINKISH = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://")
_DOTTED = re.compile(r"(?<=\w)\.(?=\w{2})")


def inert(value: Any, limit: int = VALUE_MAX) -> str:
    """Crawled or configured text as one line no chat service can format, link or turn into a mention."""
    text = "" if value is None else str(value)
    # control and format characters (bidi overrides, zero-width joiners) go: they hide or reorder text
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = _MARKUP.sub(" ", text)
    # a full-width at sign reads the same and mentions nobody (@everyone, @all, @here, @channel)
    text = text.replace("@", "\uff20")
    # look-alike dot and slashes: read the same, linked by no client
    text = _DOTTED.sub("\u2024", _LINKISH.sub("\\1:\u2215\u2215", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def link(url: Any) -> str | None:
    """An http(s) evidence link percent-encoded so that it cannot carry a mention or markup; else None."""
    s = "".join(c for c in str(url or "") if unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp"))
    parts = urlsplit(s)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(s, safe=":/?&=%+,;-._~")[:500]


def fit(lines: list[str], limit: int) -> str:
    """Join the lines within `limit` characters: middle lines go first, the headline and the link last."""
    lines = [x for x in lines if x]
    while len("\n".join(lines)) > limit and len(lines) > 2:
        del lines[-2]
    text = "\n".join(lines)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def alert(*, lang: str, rule: str, site_name: str, site_url: str | None, verdict: Mapping[str, Any],
          episode: str | None, reminder: int, escalated: bool, item_names: Mapping[str, str], as_of: date,
          also: Iterable[str] = (), limit: int = MAX_CHARS) -> str:
    """One alert as a short chat message: headline, the site's other problems tonight, the proof, what to do, one link."""
    w = WORDS.get(lang, WORDS["id"])
    head, fact, todo, evidence = _parts(w, lang, rule, site_name, site_url, verdict, episode, item_names, as_of)
    nag = (w["escalated"] if escalated else w["reminder"]).format(n=reminder) if reminder else ""
    return fit([head, *(w["also"].format(head=h) for h in also), fact, todo, nag, link(evidence) or ""], limit)


def headline(*, lang: str, rule: str, site_name: str, site_url: str | None, verdict: Mapping[str, Any],
             episode: str | None, item_names: Mapping[str, str], as_of: date) -> str:
    """An alert's first line alone: what a site's other problem of the night adds to its one message."""
    return _parts(WORDS.get(lang, WORDS["id"]), lang, rule, site_name, site_url, verdict, episode, item_names, as_of)[0]


def _parts(w: Mapping[str, str], lang: str, rule: str, site_name: str, site_url: str | None,
           verdict: Mapping[str, Any], episode: str | None, item_names: Mapping[str, str],
           as_of: date) -> tuple[str, str, str, str | None]:
    """(headline, the fact that proves it, what to do, the evidence URL) of one alert."""
    m = compose.messages()[lang if lang in WORDS else "id"]
    site = inert(site_name, 80)
    since = (episode or "").rsplit(":", 1)[-1] if episode else ""
    evidence = site_url
    fact = todo = ""
    if rule == "idle":
        days = compose.days_since(verdict, as_of)   # tonight's figure, not that of an older crawl
        head = w["idle"].format(site=site, days=days) if days is not None else w["idle_never"].format(site=site)
        if verdict.get("last_update"):
            fact = w["idle_fact"].format(date=inert(compose.long_date(verdict["last_update"], lang)), title=inert(verdict.get("last_update_title")))
            evidence = verdict.get("last_update_url") or site_url
        todo = w["idle_todo"]
    elif rule == "down":
        head = w["down"].format(site=site, since=inert(compose.long_date(since, lang)))
        reason = verdict.get("reason") or "unknown"
        fact = w["down_fact"].format(reason=inert(m["reasons"].get(reason, reason)))
        todo = w["down_todo"]
    elif rule == "compromised":
        head = w["compromised"].format(site=site)
        f = next(iter(verdict.get("integrity") or ()), {})
        if f:
            fact = w["compromised_fact"].format(kind=inert(m["kinds"].get(f.get("kind"), f.get("kind")), 40),
                                                evidence=inert(f.get("evidence")))
            evidence = f.get("url") or site_url
        todo = w["compromised_todo"]
    elif rule == "tls":
        tls = verdict.get("tls") or {}
        expired = any(x.get("kind") == "tls_expired" for x in tls.get("findings") or ())
        head = w["tls_expired" if expired else "tls"].format(site=site, date=inert(compose.long_date(tls.get("not_after") or "?", lang)))
        todo = w["tls_todo"]
    elif rule == "completeness_drop":
        head = w["completeness_drop"].format(site=site, after=verdict.get("completeness"))
        missing = [inert(item_names.get(i, i), 40) for i in verdict.get("missing") or ()]
        fact = w["completeness_fact"].format(items=", ".join(missing[:4]) + (", \u2026" if len(missing) > 4 else ""))
        todo = w["completeness_todo"]
    elif rule == "recovered":
        problem = (episode or "::").split(":")[1]
        head = w["recovered"].format(site=site, problem=w.get(f"problem_{problem}", problem))
        todo = w["recovered_todo"]
    else:  # domain_down: the site name is the domain
        head = w["domain_down"].format(site=site, since=inert(compose.long_date(since, lang)))
        evidence = None
        todo = w["domain_down_todo"]
    return head, fact, todo, evidence


def digest(*, lang: str, org: str, period: str, counts: Mapping[str, int], sent: Iterable[str],
           uncertain: Iterable[str], failed: int, limit: int = MAX_CHARS) -> str:
    """The digest as one message: status counts, the alerts sent by chat, and those not known to have arrived."""
    w = WORDS.get(lang, WORDS["id"])
    sent, uncertain = list(sent), list(uncertain)
    shown = ", ".join(f"{w.get(s + '_s', w.get(s, s))} {counts.get(s, 0)}" for s in STATUSES)
    lines = [w["digest"].format(period=period, org=inert(org, 80)),
             w["digest_status"].format(n=sum(counts.values()), counts=shown)]
    lines.append(w["digest_sent"].format(n=len(sent)) if sent else w["digest_none"])
    lines += [f"- {inert(s, 90)}" for s in sent[:8]]
    if len(sent) > 8:
        lines.append(w["digest_more"].format(n=len(sent) - 8))
    if uncertain:
        lines.append(w["digest_uncertain"].format(n=len(uncertain)))
        lines += [f"- {k}" for k in uncertain[:5]]   # our own keys (ids and dates), written to be copied
    if failed:
        lines.append(w["digest_failed"].format(n=failed))
    text = "\n".join(lines)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def hello(*, lang: str, org: str, channel: str) -> str:
    """The message `ronda notify-test` sends."""
    return WORDS.get(lang, WORDS["id"])["test"].format(org=inert(org, 80), channel=channel)   # a configured id


def period(as_of: date, days: int, lang: str = "id") -> str:
    """The digest's period as a reader says it: one day, or first – last day."""
    if days <= 1:
        return compose.long_date(as_of, lang)
    return f"{compose.long_date(date.fromordinal(as_of.toordinal() - days + 1), lang)} \u2013 {compose.long_date(as_of, lang)}"
