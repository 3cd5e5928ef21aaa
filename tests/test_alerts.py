"""Alert rules over a stored verdict history: a month of nights against a real SMTP server, rule by rule."""
from __future__ import annotations

import email
import email.policy
import json
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller

from base import config, store
from monitors import alerts, mailer
from monitors.verdicts import verdict_row

from conftest import free_port, run_cli

START = date(2026, 11, 1)
DAYS = [START + timedelta(days=i) for i in range(30)]
KOMINFO = "kominfo@kota.example.go.id"

CONFIG = f"""
organization: Pemerintah Kota Contoh
mail:
  from: "ronda Diskominfo <ronda@kota.example.go.id>"
  smtp: {{host: 127.0.0.1, port: PORT, security: none}}
  diskominfo: [{KOMINFO}]
alerts:
  down_after: 2
  reminder_days: 7
  escalate_after: 3
  completeness_drop: 10
  tls_days: 14
  maintenance: [{{start: '2026-11-20', end: '2026-11-22', sites: [servis]}}]
sites:
  - {{id: nganggur, name: Dinas Nganggur, url: 'https://nganggur.kota.example.go.id/', head: {{name: Kadis A, email: a@kota.example.go.id}}}}
  - {{id: kedip, name: Dinas Kedip, url: 'https://kedip.kota.example.go.id/', head: {{name: Kadis B, email: b@kota.example.go.id}}}}
  - {{id: mati, name: Dinas Mati, url: 'https://mati.kota.example.go.id/', head: {{name: Kadis C, email: c@kota.example.go.id}}}}
  - {{id: diretas, name: Dinas Diretas, url: 'https://diretas.kota.example.go.id/', head: {{name: Kadis D, email: d@kota.example.go.id}}}}
  - {{id: turun, name: Dinas Turun, url: 'https://turun.kota.example.go.id/', head: {{name: Kadis E, email: e@kota.example.go.id}}}}
  - {{id: bisu, name: Dinas Bisu, url: 'https://bisu.kota.example.go.id/', muted: true, head: {{email: f@kota.example.go.id}}}}
  - {{id: tanpa, name: Dinas Tanpa Kepala, url: 'https://tanpa.kota.example.go.id/', head: {{name: X, email: x@kota.example.go.id, placeholder: true}}}}
  - {{id: servis, name: Dinas Servis, url: 'https://servis.kota.example.go.id/', head: {{email: g@kota.example.go.id}}}}
  - {{id: sertifikat, name: Dinas Sertifikat, url: 'https://sertifikat.kota.example.go.id/', head: {{email: h@kota.example.go.id}}}}
"""


class Collect:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtpd():
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port())
    c.start()
    yield c, h
    c.stop()


def make_config(tmp_path, port: int, text: str = CONFIG) -> config.Config:
    path = tmp_path / "sites.yaml"
    path.write_text(text.replace("PORT", str(port)), encoding="utf-8")
    return config.load(path)


def verdict(site: str, day: date, *, last_update: date | None = None, down: str | None = None,
            completeness: int = 80, integrity=(), tls=None, missing=("lhkpn",), found=None,
            title: str = "Rapat koordinasi", name: str | None = None) -> dict:
    """A verdict object as `monitors.verdicts.judge_site` stores it, status by the precedence of docs/statuses.md."""
    days = (day - last_update).days if last_update else None
    if down:
        status = "down"
    elif integrity:
        status = "compromised"
    elif days is None or days > 30:
        status = "idle"
    elif days > 14:
        status = "stale"
    else:
        status = "active"
    url = f"https://{site}.kota.example.go.id/"
    return {"site": site, "name": name or site, "url": url, "status": status, "reason": down,
            "as_of": day.isoformat(), "last_update": last_update and last_update.isoformat(),
            "days_since_update": days, "last_update_url": last_update and f"{url}berita/{last_update:%Y/%m/%d}/rapat",
            "last_update_title": title if last_update else None, "completeness": completeness,
            "found": found if found is not None else {"profil": url + "profil", "ppid": url + "ppid"},
            "missing": list(missing), "integrity": list(integrity), "tls": tls, "score": 50}


def store_night(db, day: date, verdicts: list[dict]) -> int:
    """One finished run of that as-of day with these verdicts, written straight into the store."""
    with store.transaction(db):
        run_id = db["runs"].insert({"as_of": day.isoformat(), "state": "finished", "started_at": store.utcnow(),
                                    "finished_at": store.utcnow()}).last_pk
        for v in verdicts:
            db["verdicts"].insert(verdict_row(run_id, v))
    return run_id


SPAM = [{"kind": "hidden_links", "url": "https://diretas.kota.example.go.id/",
         "evidence": "slot gacor maxwin (12 tautan tersembunyi)"}]


def month_night(day: date) -> list[dict]:
    """The story of the month, one verdict per site per night."""
    n = (day - START).days + 1  # night 1..30
    recent = day - timedelta(days=2)
    out = [
        # last post 2026-10-06: idle (more than 30 days) from 2026-11-06 on, and stays idle
        verdict("nganggur", day, last_update=date(2026, 10, 6)),
        verdict("kedip", day, last_update=recent, down="timeout" if n == 10 else None),
        verdict("mati", day, last_update=recent, down="connect" if n in (12, 13, 14) else None),
        verdict("diretas", day, last_update=recent, integrity=SPAM if 8 <= n <= 11 else ()),
        verdict("turun", day, last_update=recent, completeness=80 if n < 18 else 65,
                missing=("lhkpn",) if n < 18 else ("lhkpn", "ppid"),
                found={"profil": "https://turun.kota.example.go.id/profil", "ppid": "https://turun.kota.example.go.id/ppid"}),
        verdict("bisu", day),                      # never a dated post: idle, but muted
        verdict("tanpa", day),                     # idle from the first night; placeholder head address
        verdict("servis", day, last_update=recent, down="http_5xx" if 20 <= n <= 23 else None),
        verdict("sertifikat", day, last_update=recent,
                tls={"https": True, "not_after": "2026-11-25",
                     "findings": [{"kind": "tls_expiring" if day <= date(2026, 11, 25) else "tls_expired",
                                   "url": "https://sertifikat.kota.example.go.id/", "evidence": "berakhir 2026-11-25"}]
                     if date(2026, 11, 11) <= day < date(2026, 11, 28) else []}),
    ]
    return out


def d(n: int) -> str:
    return (START + timedelta(days=n - 1)).isoformat()


# (night, key, To, Cc) of every alert the rules call for, worked out by hand from the story above
EXPECTED = [
    (1, f"tanpa:idle:{d(1)}", KOMINFO, ""),
    (6, f"nganggur:idle:{d(6)}", "a@kota.example.go.id", ""),
    (8, f"diretas:compromised:{d(8)}", "d@kota.example.go.id", ""),
    (8, f"tanpa:idle:{d(1)}:r1", KOMINFO, ""),
    (11, f"sertifikat:tls:{d(11)}", "h@kota.example.go.id", ""),
    (12, f"diretas:recovered:compromised:{d(8)}", "d@kota.example.go.id", ""),
    (13, f"mati:down:{d(12)}", "c@kota.example.go.id", ""),
    (13, f"nganggur:idle:{d(6)}:r1", "a@kota.example.go.id", ""),
    (15, f"mati:recovered:down:{d(12)}", "c@kota.example.go.id", ""),
    (15, f"tanpa:idle:{d(1)}:r2", KOMINFO, ""),
    (18, f"turun:completeness_drop:{d(18)}", "e@kota.example.go.id", ""),
    (18, f"sertifikat:tls:{d(11)}:r1", "h@kota.example.go.id", ""),
    (20, f"nganggur:idle:{d(6)}:r2", "a@kota.example.go.id", ""),
    (22, f"tanpa:idle:{d(1)}:r3", KOMINFO, ""),          # escalated, but Diskominfo is already the To
    (25, f"sertifikat:tls:{d(11)}:r2", "h@kota.example.go.id", ""),
    (27, f"nganggur:idle:{d(6)}:r3", "a@kota.example.go.id", KOMINFO),   # the 3rd reminder: Cc Diskominfo
    (29, f"tanpa:idle:{d(1)}:r4", KOMINFO, ""),
]
# recorded as suppressed, never sent: the muted site on its cadence, and the down alert inside a maintenance window
SUPPRESSED = {f"bisu:idle:{d(1)}", f"bisu:idle:{d(1)}:r1", f"bisu:idle:{d(1)}:r2", f"bisu:idle:{d(1)}:r3",
              f"bisu:idle:{d(1)}:r4", f"servis:down:{d(20)}"}


def received(h, start: int = 0) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(e.content, policy=email.policy.default) for e in h.messages[start:]]


def test_a_month_of_nights_sends_exactly_what_the_rules_call_for(tmp_path, smtpd):
    c, h = smtpd
    cfg = make_config(tmp_path, c.port)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    ids = {mailer.message_id(key, cfg.mail.from_): key for _, key, _, _ in EXPECTED}
    got, digests, subjects = [], {}, {}
    for night, day in enumerate(DAYS, start=1):
        store_night(db, day, month_night(day))
        before = len(h.messages)
        result = alerts.deliver(db, cfg, day, db_path, env={})
        assert result.ok, result.errors
        again = alerts.deliver(db, cfg, day, db_path, env={})       # a rerun of the same night sends nothing
        assert again.sent == 0 and not again.alerts and again.digest is None
        for msg in received(h, before):
            if msg["To"] == KOMINFO and msg["Subject"].startswith("[ronda] Ringkasan"):
                digests.setdefault(night, []).append(msg)
                continue
            got.append((night, ids.get(msg["Message-ID"], msg["Subject"]), msg["To"], msg["Cc"] or ""))
            subjects.setdefault(night, []).append(msg["Subject"])
    assert sorted(got) == sorted(EXPECTED)   # nothing missing, nothing doubled, each on its night
    # one digest every night, quiet ones too (the README promises it), naming every alert of that night
    assert sorted(digests) == list(range(1, 31))
    for night, msgs in digests.items():
        assert len(msgs) == 1
        body = msgs[0].get_body(("plain",)).get_content()
        assert "Status 9 website malam ini:" in body
        if night not in subjects:
            assert msgs[0]["Subject"] == f"[ronda] Ringkasan {night} November 2026: tidak ada peringatan baru"
            assert "Tidak ada e-mail peringatan baru malam ini." in body and "Terkirim" not in body
            continue
        assert f"Terkirim ({len(subjects[night])})" in body
        for subject in subjects[night]:
            assert subject in body
    states = {r["key"]: r["state"] for r in db.query("SELECT key, state FROM alerts WHERE kind = 'alert'")}
    assert {k for k, s in states.items() if s == "suppressed"} == SUPPRESSED
    assert {k for k, s in states.items() if s == "sent"} == {key for _, key, _, _ in EXPECTED}


def test_alert_text_says_what_was_found_and_what_to_do(tmp_path, smtpd, capsys):
    c, h = smtpd
    cfg = make_config(tmp_path, c.port)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    day = date(2026, 11, 28)
    store_night(db, day, [verdict("nganggur", day, last_update=date(2026, 9, 20), missing=("lhkpn", "lkjip", "ppid"),
                                  title="Sosialisasi Perwali Nomor 12")])
    result = alerts.deliver(db, cfg, day, db_path, env={})
    assert [a.rule for a in result.alerts] == ["idle"]
    msg = next(m for m in received(h) if m["To"] != KOMINFO)
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert msg["Subject"] == "[ronda] Website Dinas Nganggur tidak diperbarui selama 69 hari"
    assert "Yth. Kadis A," in text
    assert "20 September 2026 — Sosialisasi Perwali Nomor 12" in text
    assert "https://nganggur.kota.example.go.id/berita/2026/09/20/rapat" in text
    for name in ("LHKPN Pimpinan", "Laporan Kinerja (LKjIP)", "PPID"):   # missing items by their Indonesian name
        assert f"- {name}" in text and f"<li>{name.replace('(', '(')}</li>" in html
    assert "Yang perlu dilakukan" in text and "1. Terbitkan berita" in text
    assert msg.is_multipart() and msg.get_content_type() == "multipart/alternative"
    print("\n--- rendered alert (text part) ---\n" + text.replace("\r\n", "\n"))
    print("--- end ---")


def test_first_run_down_waits_for_down_after_and_english_wording(tmp_path, smtpd):
    c, h = smtpd
    text = CONFIG.replace("organization:", "language: en\norganization:")
    cfg = make_config(tmp_path, c.port, text)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    d1, d2 = date(2026, 11, 1), date(2026, 11, 2)
    store_night(db, d1, [verdict("mati", d1, last_update=d1, down="suspended")])
    assert alerts.decide(db, cfg, d1) == []           # one night down: nobody is paged yet
    store_night(db, d2, [verdict("mati", d2, last_update=d1, down="suspended")])
    plan = alerts.decide(db, cfg, d2)
    assert [(a.rule, a.key, a.state) for a in plan] == [("down", "mati:down:2026-11-01", "new")]
    assert plan[0].subject == "[ronda] Website Dinas Mati unreachable (2 nights in a row)"
    assert "suspended by the registry" in plan[0].text
    dry = alerts.deliver(db, cfg, d2, db_path, dry_run=True, env={})
    assert dry.dry_run and [a.key for a in dry.alerts] == ["mati:down:2026-11-01"] and dry.sent == 0
    assert "Dinas Mati" in dry.digest.text and dry.digest.to == [KOMINFO]
    assert h.messages == [] and db["alerts"].count == 0    # a dry run neither sends nor records


def test_a_whole_domain_down_is_one_alert_to_diskominfo(tmp_path, smtpd):
    c, h = smtpd
    cfg = make_config(tmp_path, c.port)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    members = ["nganggur", "kedip", "mati"]
    for day in (date(2026, 11, 1), date(2026, 11, 2)):
        event = {"kind": "domain_down", "domain": "kota.example.go.id", "reason": "suspended", "sites": members}
        night = [verdict(s, day, last_update=date(2026, 10, 30), down="suspended") | {"event": event} for s in members]
        store_night(db, day, night + [verdict("diretas", day, last_update=date(2026, 10, 30), down="dns")])
        result = alerts.deliver(db, cfg, day, db_path, env={})
        assert result.ok
    msgs = received(h)
    to_heads = sorted(m["To"] for m in msgs if m["To"] != KOMINFO)
    domain = [m for m in msgs if m["Subject"].startswith("[ronda] Domain")]
    assert to_heads == ["d@kota.example.go.id"]          # only the site down on its own reaches its head
    assert len(domain) == 1 and domain[0]["To"] == KOMINFO
    digest = [m for m in msgs if m["Subject"].startswith("[ronda] Ringkasan")][-1].get_body(("plain",)).get_content()
    assert "- kota.example.go.id: [ronda] Domain" in digest
    assert domain[0]["Subject"] == "[ronda] Domain kota.example.go.id tidak dapat diakses: 3 website OPD (nama domain ditangguhkan oleh pengelola domain (sewa belum dibayar))"
    text = domain[0].get_body(("plain",)).get_content()
    assert all(f"Dinas {n.capitalize()}" in text for n in members)
    rows = {r["key"]: (r["state"], r["reason"]) for r in db.query("SELECT key, state, reason FROM alerts WHERE kind = 'alert'")}
    assert rows == {"nganggur:down:2026-11-01": ("suppressed", "domain_down"), "kedip:down:2026-11-01": ("suppressed", "domain_down"),
                    "mati:down:2026-11-01": ("suppressed", "domain_down"), "diretas:down:2026-11-01": ("sent", None),
                    "domain:kota.example.go.id:down:2026-11-01": ("sent", None)}


def test_a_dry_run_through_the_cli_exits_0_and_shows_the_digest_the_real_run_sends(tmp_path, smtpd):
    c, h = smtpd
    cfg = make_config(tmp_path, c.port)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    d1, d2 = date(2026, 11, 1), date(2026, 11, 2)
    store_night(db, d1, [verdict("mati", d1, last_update=d1, down="suspended")])
    store_night(db, d2, [verdict("mati", d2, last_update=d1, down="suspended")])
    db.conn.close()
    args = ("--config", str(cfg.path), "--db", str(db_path), "--as-of", d2.isoformat(), "alerts")
    dry = run_cli(*args, "--dry-run")
    assert dry.returncode == 0, (dry.stdout, dry.stderr)   # something to send is the answer, not a failure
    lines = dry.stdout.splitlines()
    assert any(" down " in f" {line} " and "mati" in line for line in lines)
    digest = [line for line in lines if line.split()[1:2] == ["digest"]]
    assert digest and KOMINFO in digest[0], dry.stdout
    planned = json.loads(run_cli(*args, "--dry-run", "--json").stdout)
    assert h.messages == []
    real = run_cli(*args)
    assert real.returncode == 0, (real.stdout, real.stderr)
    subjects = [a["subject"] for a in planned["alerts"]] + [planned["digest"]["subject"]]
    # what the dry run showed is what went (a long Subject arrives folded)
    assert sorted(" ".join(str(m["Subject"]).split()) for m in received(h)) == sorted(subjects)
