"""Per-site integrity verdict: deduplicated spam/defacement/cloaking findings, and TLS/HTTPS findings."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from base.safe import one_line

from .compose import COMPROMISE_KINDS as COMPROMISING_KINDS
from .compose import messages

__all__ = ["COMPROMISING_KINDS", "INTEGRITY_SIGNALS", "advice", "assess", "keep_unread", "tls_findings", "is_suspended", "unread"]

_RANK = {k: i for i, k in enumerate(COMPROMISING_KINDS)}
# an injected footer repeats on every page: one finding per kind and evidence, and at
# most this many distinct findings per kind (the report lists them, the status needs one)
MAX_PER_KIND = 20
EVIDENCE_MAX = 160


def _clean(text: Any) -> str:
    """Evidence as one plain line (the signal already sanitised it; stored data may be older)."""
    return one_line(text, EVIDENCE_MAX)


def _norm_url(u: str) -> str:
    return (u or "").split("#", 1)[0]


def _preference(url: str, site_url: str) -> tuple[int, int, str]:
    """Which URL best represents a repeated finding: the home page, then the shortest."""
    home = _norm_url(site_url).rstrip("/")
    return (0 if _norm_url(url).rstrip("/") == home else 1, len(url), url)


def _same_site(url: str, site_url: str) -> bool:
    try:
        a, b = urlsplit(url).hostname or "", urlsplit(site_url).hostname or ""
    except ValueError:  # malformed stored URL: treat as foreign
        return False
    return a.removeprefix("www.") == b.removeprefix("www.")


def _evidence(finding: Mapping[str, Any], lang: str) -> str:
    """A finding's evidence as people read it: the signals give plain data, coded evidence is worded here."""
    detail = finding.get("detail")
    detail = detail if isinstance(detail, Mapping) else {}
    code = detail.get("code")
    wording = messages()[lang]["evidence"].get(code) if isinstance(code, str) else None
    if wording is None:  # plain evidence, or a finding stored before signals gave codes
        return _clean(finding.get("evidence"))
    return _clean(wording.format_map(_Blanks(detail)))


class _Blanks(dict):
    """Placeholder values where a missing or null one reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        return "" if value is None else value


def assess(resources: Iterable[Mapping[str, Any]], site_url: str, lang: str = "id") -> list[dict[str, Any]]:
    """Deduplicated `{kind, url, evidence}` integrity findings of one site's run, most severe first."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for res in resources:
        url = res.get("url") or res.get("final_url") or ""
        final = res.get("final_url") or url
        found: list[Mapping[str, Any]] = []
        spam = res.get("spam")
        if isinstance(spam, Mapping):
            found.extend(f for f in spam.get("findings") or () if isinstance(f, Mapping))
        cloak = res.get("cloaking")
        if isinstance(cloak, Mapping):
            found.append(cloak)
        for f in found:
            kind = f.get("kind")
            if kind not in _RANK:
                continue
            evidence = _evidence(f, lang)
            if final and final != url and not _same_site(final, site_url):
                # a site page redirecting to spam elsewhere: the site's own URL is the evidence
                evidence = _clean(f"→ {final}: {evidence}")
            # hidden footers and repeated spam text: the same block on many pages is one finding;
            # spam pages are each their own finding
            key = (kind, url if kind == "spam_page" else evidence.lower())
            cand = {"kind": kind, "url": url, "evidence": evidence}
            old = best.get(key)
            if old is None or _preference(url, site_url) < _preference(old["url"], site_url):
                best[key] = cand
    ordered = sorted(best.values(), key=lambda f: (_RANK[f["kind"]], _preference(f["url"], site_url), f["evidence"]))
    out: list[dict[str, Any]] = []
    per_kind: dict[str, int] = {}
    for f in ordered:
        n = per_kind.get(f["kind"], 0)
        if n < MAX_PER_KIND:
            per_kind[f["kind"]] = n + 1
            out.append(f)
    return out


def advice(findings: Iterable[Mapping[str, Any]], lang: str = "id") -> list[str]:
    """What to do, one line per compromising kind found, most severe first: a defacement is not gambling spam."""
    words = messages()[lang]["compromise"]
    present = {f.get("kind") for f in findings}
    return [words[k]["advice"] for k in COMPROMISING_KINDS if k in present]


# The signals whose failure on a page (its `errors`, crawler/signals/barrier.py) leaves that page's integrity unknown.
INTEGRITY_SIGNALS = ("spam", "cloaking")


def unread(resources: Iterable[Mapping[str, Any]], site_url: str) -> list[dict[str, str]]:
    """Pages whose integrity could not be read this run (their spam or cloaking signal failed): `{url, signal}`."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for res in resources:
        for e in res.get("errors") or ():
            if isinstance(e, Mapping) and e.get("signal") in INTEGRITY_SIGNALS:
                url = res.get("url") or res.get("final_url") or ""
                out.setdefault((url, e["signal"]), {"url": url, "signal": e["signal"]})
    return sorted(out.values(), key=lambda u: (_preference(u["url"], site_url), u["signal"]))


def keep_unread(findings: list[dict[str, Any]], previous: Iterable[Mapping[str, Any]] | None,
                unread_pages: Iterable[Mapping[str, str]], site_url: str) -> list[dict[str, Any]]:
    """Tonight's findings plus the last known ones of the pages that could not be read tonight, most severe first.

    Unknown is not clean: a compromise seen on a page whose signal now fails still stands, and one found on
    another page tonight stands anyway; a page read clean tonight drops its old findings, as before.
    """
    urls = {_norm_url(u.get("url") or "") for u in unread_pages}
    have = {(f["kind"], f["url"], f["evidence"]) for f in findings}
    kept = [{"kind": f["kind"], "url": f["url"], "evidence": _clean(f.get("evidence"))} for f in previous or ()
            if isinstance(f, Mapping) and f.get("kind") in _RANK and isinstance(f.get("url"), str)
            and _norm_url(f["url"]) in urls]
    merged = sorted(findings + [f for f in kept if (f["kind"], f["url"], f["evidence"]) not in have],
                    key=lambda f: (_RANK[f["kind"]], _preference(f["url"], site_url), f["evidence"]))
    out: list[dict[str, Any]] = []
    per_kind: dict[str, int] = {}
    for f in merged:
        per_kind[f["kind"]] = per_kind.get(f["kind"], 0) + 1
        if per_kind[f["kind"]] <= MAX_PER_KIND:
            out.append(f)
    return out


def is_suspended(resources: Iterable[Mapping[str, Any]], site_url: str) -> bool:
    """Whether the site's home page is the registry's suspended-domain page (status `down`, reason `suspended`)."""
    home = _norm_url(site_url).rstrip("/")
    for res in resources:
        spam = res.get("spam")
        urls = {_norm_url(res.get("url") or "").rstrip("/"), _norm_url(res.get("final_url") or "").rstrip("/")}
        if home in urls and isinstance(spam, Mapping) and spam.get("suspended"):
            return True
    return False


def tls_findings(tls: Mapping[str, Any] | None, as_of: date | None, *, tls_days: int | None = None,
                 site_url: str | None = None, mixed_content: Iterable[str] = ()) -> list[dict[str, Any]]:
    """TLS/HTTPS findings (Bahasa Indonesia evidence) of a probe result; these never make a site compromised."""
    out: list[dict[str, Any]] = []
    url = site_url or ""
    mixed = list(dict.fromkeys(list(mixed_content) + list((tls or {}).get("mixed_content") or ())))
    if tls:
        days_left = tls.get("days_left")
        not_after = tls.get("not_after")
        if as_of is not None and not_after:
            try:
                days_left = (date.fromisoformat(str(not_after)[:10]) - as_of).days
            except ValueError:  # stored date unreadable: keep the probe's own figure
                pass
        error = tls.get("error")
        issuer = f" (penerbit: {_clean(tls.get('issuer'))})" if tls.get("issuer") else ""
        if not tls.get("https"):
            why = {"connect": "port 443 tidak dapat dihubungi", "timeout": "waktu koneksi habis",
                   "handshake_failed": "jabat tangan TLS gagal"}.get(error or "", "HTTPS tidak tersedia")
            out.append({"kind": "no_https", "url": url, "evidence": f"Situs tidak dapat diakses melalui HTTPS: {why}."})
        elif error == "expired" or (days_left is not None and days_left < 0):
            out.append({"kind": "tls_expired", "url": url,
                        "evidence": f"Sertifikat TLS kedaluwarsa sejak {not_after}{issuer}."})
        elif error == "self_signed":
            out.append({"kind": "tls_self_signed", "url": url,
                        "evidence": f"Sertifikat TLS ditandatangani sendiri (self-signed){issuer}; browser menampilkan peringatan."})
        elif error == "hostname_mismatch":
            out.append({"kind": "tls_hostname", "url": url,
                        "evidence": f"Sertifikat TLS diterbitkan untuk nama lain ({_clean(tls.get('subject'))})."})
        elif error == "untrusted":
            out.append({"kind": "tls_untrusted", "url": url,
                        "evidence": f"Rantai sertifikat TLS tidak dipercaya{issuer}."})
        if tls.get("https") and error != "expired" and days_left is not None and days_left >= 0:
            limit = tls_days if tls_days is not None else None
            soon = days_left <= limit if limit is not None else bool(tls.get("expiring_soon"))
            if soon:
                out.append({"kind": "tls_expiring", "url": url,
                            "evidence": f"Sertifikat TLS berakhir {not_after}, {days_left} hari lagi{issuer}."})
    if mixed:
        more = f" dan {len(mixed) - 1} lainnya" if len(mixed) > 1 else ""
        out.append({"kind": "mixed_content", "url": url,
                    "evidence": _clean(f"Halaman HTTPS memuat sumber lewat HTTP: {mixed[0]}{more}.")})
    return out
