"""E-mail delivery against real servers: STARTTLS with a private CA, SSL, SMTP down, crashes, the outbox, hostile text."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import os
import re
import socket
import ssl
from datetime import date

import pytest

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from base import config, store
from monitors import alerts, mailer
from monitors.verdicts import verdict_row

DAY = date(2026, 11, 28)
HEAD = "kadis@dinas.example.go.id"
KOMINFO = "kominfo@kota.example.go.id"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collect:
    """aiosmtpd handler keeping every message it accepts (or rejecting all with `reply`)."""

    def __init__(self, reply: str = "250 OK"):
        self.messages = []
        self.reply = reply

    async def handle_DATA(self, server, session, envelope):
        if self.reply.startswith("250"):
            self.messages.append(envelope)
        return self.reply


def cfg_for(tmp_path, mail: str, name: str = "Dinas Kesehatan", extra: str = "") -> config.Config:
    path = tmp_path / "sites.yaml"
    path.write_text(f"""
organization: Pemerintah Kota Contoh
mail:
  from: "ronda Diskominfo <ronda@kota.example.go.id>"
  diskominfo: [{KOMINFO}]
{mail}
{extra}
sites:
  - id: dinkes
    name: {name}
    url: https://dinkes.kota.example.go.id/
    head: {{name: "dr. Contoh", email: {HEAD}}}
""", encoding="utf-8")
    return config.load(path)


def idle_night(db, day: date = DAY, title: str = "Rapat koordinasi", url: str | None = None) -> None:
    """A finished run in which the site is idle (last post 60 days ago)."""
    last = day - dt.timedelta(days=60)
    data = {"site": "dinkes", "name": "x", "url": "https://dinkes.kota.example.go.id/", "status": "idle",
            "reason": None, "as_of": day.isoformat(), "last_update": last.isoformat(), "days_since_update": 60,
            "last_update_url": url or "https://dinkes.kota.example.go.id/berita/rapat", "last_update_title": title,
            "completeness": 50, "found": {}, "missing": ["ppid"], "integrity": [], "tls": None, "score": 30}
    with store.transaction(db):
        run_id = db["runs"].insert({"as_of": day.isoformat(), "state": "finished", "started_at": store.utcnow()}).last_pk
        db["verdicts"].insert(verdict_row(run_id, data))


def parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def make_cert(tmp_path):
    """A self-signed certificate for 127.0.0.1 (its own CA), made at test time."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ronda test CA")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    crt, pem = tmp_path / "ca.pem", tmp_path / "key.pem"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, pem)
    return crt, ctx


def check_login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"ronda" and auth_data.password == b"rahasia")


def test_starttls_with_private_ca_and_login(tmp_path):
    crt, ctx = make_cert(tmp_path)
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port(), tls_context=ctx, require_starttls=True,
                   authenticator=check_login, auth_required=True)
    c.start()
    try:
        cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {c.port}, security: starttls, user: ronda, ca_file: ca.pem}}")
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        idle_night(db)
        no_pw = alerts.deliver(db, cfg, DAY, db_path, env={})
        assert no_pw.sent == 0 and no_pw.pending == 1 and "RONDA_SMTP_PASSWORD" in no_pw.errors[0]
        ok = alerts.deliver(db, cfg, DAY, db_path, env={"RONDA_SMTP_PASSWORD": "rahasia"})
        assert ok.ok and ok.sent == 2 and ok.digest is not None and ok.digest.state == "sent"
    finally:
        c.stop()
    msgs = [parse(e) for e in h.messages]
    assert [m["To"] for m in msgs] == [HEAD, KOMINFO]          # the alert, then the nightly digest
    assert msgs[0]["Message-ID"] == mailer.message_id(f"dinkes:idle:{DAY}", cfg.mail.from_)
    assert "Dinas Kesehatan" in msgs[1].get_body(("plain",)).get_content()


def test_untrusted_certificate_keeps_the_alert_pending(tmp_path):
    crt, ctx = make_cert(tmp_path)
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port(), tls_context=ctx)
    c.start()
    try:
        cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {c.port}, security: starttls}}")   # no ca_file
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        idle_night(db)
        r = alerts.deliver(db, cfg, DAY, db_path, env={})
    finally:
        c.stop()
    assert h.messages == [] and r.pending == 1 and not r.ok and "CERTIFICATE_VERIFY_FAILED" in r.errors[0]
    row = next(db.query("SELECT state, error, attempts FROM alerts"))
    assert row["state"] == "pending" and row["attempts"] == 1 and "CERTIFICATE_VERIFY_FAILED" in row["error"]


def test_implicit_ssl(tmp_path):
    crt, ctx = make_cert(tmp_path)
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port(), ssl_context=ctx)
    c.start()
    try:
        cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {c.port}, security: ssl, ca_file: {crt}}}")
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        idle_night(db)
        r = alerts.deliver(db, cfg, DAY, db_path, env={})
    finally:
        c.stop()
    assert r.ok and len(h.messages) == 2


def test_smtp_down_then_up_sends_once(tmp_path):
    port = free_port()
    cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {port}, security: none, timeout_s: 5}}")
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    idle_night(db)
    down = alerts.deliver(db, cfg, DAY, db_path, env={})
    assert down.sent == 0 and down.pending == 1 and not down.ok and down.digest is None
    assert [a.state for a in down.alerts] == ["pending"] and "Connection refused" in down.alerts[0].error
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=port)
    c.start()
    try:
        nxt = DAY + dt.timedelta(days=1)
        idle_night(db, nxt)
        up = alerts.deliver(db, cfg, nxt, db_path, env={})
        again = alerts.deliver(db, cfg, nxt, db_path, env={})
    finally:
        c.stop()
    assert up.ok and up.pending == 0 and again.sent == 0
    msgs = [parse(e) for e in h.messages]
    alert_ids = [m["Message-ID"] for m in msgs if m["To"] == HEAD]
    assert alert_ids == [mailer.message_id(f"dinkes:idle:{DAY}", cfg.mail.from_)]   # sent once, the next night
    digest = [m for m in msgs if m["To"] == KOMINFO]
    assert len(digest) == 1 and "Dinas Kesehatan" in digest[0].get_body(("plain",)).get_content()


def test_permanent_rejection_is_failed_not_retried(tmp_path):
    h = Collect("554 5.7.1 rejected as spam")
    c = Controller(h, hostname="127.0.0.1", port=free_port())
    c.start()
    try:
        cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {c.port}, security: none}}")
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        idle_night(db)
        first = alerts.deliver(db, cfg, DAY, db_path, env={})
        second = alerts.deliver(db, cfg, DAY, db_path, env={})
    finally:
        c.stop()
    assert first.failed == 1 and not first.ok and "554" in first.errors[0]
    assert second.failed == 0 and second.sent == 0
    assert next(db.query("SELECT state, attempts FROM alerts"))["attempts"] == 1


def test_alert_claimed_by_a_dead_process_is_sent_once_later(tmp_path):
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port())
    c.start()
    try:
        cfg = cfg_for(tmp_path, f"  smtp: {{host: 127.0.0.1, port: {c.port}, security: none}}\n  digest: false")
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        idle_night(db)
        plan = alerts.decide(db, cfg, DAY)
        # a run that recorded the alert and claimed it, then died before sending (kill -9)
        dead = _dead_pid()
        with store.transaction(db):
            alerts._insert(db, plan[0])
            db.execute("UPDATE alerts SET state = 'sending', claimed_by = ?", [dead])
        r1 = alerts.deliver(db, cfg, DAY, db_path, env={})
        r2 = alerts.deliver(db, cfg, DAY, db_path, env={})
    finally:
        c.stop()
    assert r1.sent == 1 and r2.sent == 0 and len(h.messages) == 1
    assert parse(h.messages[0])["Message-ID"] == plan[0].message_id


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_outbox_is_the_default_and_written_atomically(tmp_path):
    cfg = cfg_for(tmp_path, "  outbox: surat")
    db_path = tmp_path / "data" / "ronda.db"
    db = store.open_db(db_path)
    idle_night(db)
    r = alerts.deliver(db, cfg, DAY, db_path, env={})
    again = alerts.deliver(db, cfg, DAY, db_path, env={})
    box = tmp_path / "data" / "surat"                      # beside the database, not the config
    files = sorted(p.name for p in box.iterdir())
    assert r.transport == "outbox" and r.ok and r.sent == 2 and again.sent == 0
    assert files == [f"digest_{DAY}.eml", f"dinkes_idle_{DAY}.eml"]   # no temp files left behind
    msg = email.message_from_bytes((box / files[1]).read_bytes(), policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Subject"] == "[ronda] Website Dinas Kesehatan tidak diperbarui selama 60 hari"


def test_hostile_titles_names_and_urls_are_inert(tmp_path):
    name = '"Dinas\\r\\nBcc: korban@evil.example\\r\\nX: <b>Kes</b>"'
    cfg = cfg_for(tmp_path, "  outbox: outbox", name=name)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    idle_night(db, title='<script>alert("x")</script>\r\nBcc: a@evil.example', url="javascript:alert(1)")
    r = alerts.deliver(db, cfg, DAY, db_path, env={})
    assert r.ok
    raw = (tmp_path / "outbox" / f"dinkes_idle_{DAY}.eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Bcc"] is None and msg["X"] is None and msg["To"] == HEAD
    assert "\n" not in msg["Subject"] and "Bcc: korban@evil.example" in msg["Subject"]   # shown, never a header
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>Kes</b>" not in html
    assert 'href="javascript:' not in html and 'href="#"' in html
    assert '<script>alert("x")</script> Bcc: a@evil.example' in text        # one line in the text part
    assert not any(line.startswith("Bcc:") for line in text.splitlines())


def test_maintenance_window_and_mute_are_recorded_not_sent_later(tmp_path):
    extra = "alerts: {maintenance: [{start: '2026-11-28', end: '2026-11-28'}]}"
    cfg = cfg_for(tmp_path, "  outbox: outbox", extra=extra)
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    idle_night(db)
    r = alerts.deliver(db, cfg, DAY, db_path, env={})
    assert r.suppressed == 1 and r.sent == 1 and r.digest.subject.endswith("tidak ada peringatan baru")
    assert [(a.state, a.reason) for a in r.alerts] == [("suppressed", "maintenance")]
    assert "Ditahan (situs dibisukan atau masa pemeliharaan) (1)" in r.digest.text   # the digest says what was held
    nxt = DAY + dt.timedelta(days=1)
    idle_night(db, nxt)
    later = alerts.deliver(db, cfg, nxt, db_path, env={})       # window over: the same alert is not sent late
    assert later.sent == 1 and later.alerts == []               # only that night's digest
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [f"digest_{DAY}.eml", f"digest_{nxt}.eml"]


# --- issue 18: what a head of office and Diskominfo read (items 4, 10, 11) --------------------------------------

def smtp_cfg(tmp_path, port: int, diskominfo: bool = True, extra: str = "", mail: str = "") -> config.Config:
    """dinkes (head) and dishub (head), through a real SMTP server; Diskominfo configured or not."""
    path = tmp_path / "sites.yaml"
    path.write_text(f"""
organization: Pemerintah Kota Contoh
{extra}
mail:
  from: "ronda Diskominfo <ronda@kota.example.go.id>"
  smtp: {{host: 127.0.0.1, port: {port}, security: none}}
{f"  diskominfo: [{KOMINFO}]" if diskominfo else ""}
{mail}
sites:
  - {{id: dinkes, name: Dinas Kesehatan, url: 'https://dinkes.kota.example.go.id/', head: {{name: dr. Contoh, email: {HEAD}}}}}
  - {{id: dishub, name: Dinas Perhubungan, url: 'https://dishub.kota.example.go.id/', head: {{email: dishub@kota.example.go.id}}}}
""", encoding="utf-8")
    return config.load(path)


def night(db, day: date, site: str = "dinkes", days: int | None = 46, integrity=(), status: str | None = None) -> None:
    """A finished run of `day` with one verdict (the other site active); status from the rules of docs/statuses.md."""
    last = day - dt.timedelta(days=days) if days is not None else None
    status = status or ("compromised" if integrity else "idle" if days is None or days > 30 else "active")
    url = f"https://{site}.kota.example.go.id/"
    rows = [{"site": site, "name": site, "url": url, "status": status, "reason": None, "as_of": day.isoformat(),
             "last_update": last and last.isoformat(), "days_since_update": days,
             "last_update_url": url + "berita/rapat", "last_update_title": "Rapat koordinasi", "completeness": 50,
             "found": {}, "missing": ["ppid"], "integrity": list(integrity), "tls": None, "score": 30}]
    if site != "dishub":
        rows.append({**rows[0], "site": "dishub", "url": "https://dishub.kota.example.go.id/", "status": "active",
                     "last_update": (day - dt.timedelta(days=2)).isoformat(), "days_since_update": 2, "integrity": []})
    with store.transaction(db):
        run_id = db["runs"].insert({"as_of": day.isoformat(), "state": "finished", "started_at": store.utcnow()}).last_pk
        for v in rows:
            db["verdicts"].insert(verdict_row(run_id, v))


def smtp_server():
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port())
    c.start()
    return c, h


def replay(tmp_path, *nights: tuple, **cfg_args) -> tuple:
    """Each (day, night() arguments, or None: no crawl that day) stored, then delivered through a real SMTP server."""
    c, h = smtp_server()
    try:
        cfg = smtp_cfg(tmp_path, c.port, **cfg_args)
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        results = []
        for day, args in nights:
            if args is not None:
                night(db, day, **args)
            results.append(alerts.deliver(db, cfg, day, db_path, env={}))
    finally:
        c.stop()
    assert all(r.ok for r in results)
    return h, db


def to_head(h) -> list[email.message.EmailMessage]:
    return [m for m in map(parse, h.messages) if m["To"] == HEAD]


def digests(h) -> list[email.message.EmailMessage]:
    return [m for m in map(parse, h.messages) if m["To"] == KOMINFO]


def subject(msg) -> str:
    """The Subject as a reader sees it (a folded header may arrive with a leading space)."""
    return " ".join(str(msg["Subject"]).split())


def body(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_the_subject_to_a_head_is_formal(tmp_path):
    """Item 10: "nganggur" is the report's label, never the word of a subject to a head of office."""
    h, _ = replay(tmp_path, (DAY, {"days": 46}))
    [msg] = to_head(h)
    assert subject(msg) == "[ronda] Website Dinas Kesehatan tidak diperbarui selama 46 hari"
    assert "nganggur" not in subject(msg).lower()


def test_dates_are_written_as_people_write_them(tmp_path):
    """Item 10: "28 November 2026", never 2026-11-28, in Bahasa Indonesia and in the English option."""
    for lang, month in (("id", "Oktober"), ("en", "October")):
        (tmp_path / lang).mkdir()
        h, _ = replay(tmp_path / lang, (DAY, {"days": 46}), extra=f"language: {lang}")
        text = body(to_head(h)[0])
        assert "28 November 2026" in text and f"13 {month} 2026 — Rapat koordinasi" in text
        words = [line for line in text.splitlines() if "://" not in line]     # URLs may hold ISO dates
        assert not any(re.search(r"\d{4}-\d{2}-\d{2}", line) for line in words), text
        assert "28 November 2026" in subject(digests(h)[0])


def test_balas_ke_diskominfo_comes_with_a_reply_to(tmp_path):
    """Item 10: the footer says "balas ke Diskominfo", so a reply goes there; without an address, neither."""
    sent = []
    for with_kominfo in (True, False):
        (tmp_path / str(with_kominfo)).mkdir()
        sent += to_head(replay(tmp_path / str(with_kominfo), (DAY, {}), diskominfo=with_kominfo)[0])
    with_reply, without = sent
    assert "Pertanyaan: balas ke Diskominfo." in body(with_reply) and with_reply["Reply-To"] == KOMINFO
    assert "balas ke Diskominfo" not in body(without) and without["Reply-To"] is None


def test_the_digest_to_diskominfo_has_its_own_footer(tmp_path):
    """Item 10: the heads' footer (reminders, "balas ke Diskominfo") is not for Diskominfo itself."""
    h, _ = replay(tmp_path, (DAY, {}))
    [digest] = digests(h)
    text = body(digest)
    assert "balas ke Diskominfo" not in text and "pengingat dikirim setiap" not in text
    assert text.rstrip().endswith("Pesan otomatis dari ronda, pemantau website OPD Pemerintah Kota Contoh, untuk Diskominfo.")
    assert digest["Reply-To"] is None


DEFACED = [{"kind": "defacement", "url": "https://dinkes.kota.example.go.id/", "evidence": "Hacked by Cyb3rJ4w4"}]


def test_a_site_gets_one_mail_a_night_most_severe_first(tmp_path):
    """Item 10: compromised and idle on the same night are one e-mail, the compromise first; nothing later repeats it."""
    nxt = DAY + dt.timedelta(days=1)
    h, db = replay(tmp_path, (DAY, {"days": 46, "integrity": DEFACED}), (nxt, {"days": 47, "integrity": DEFACED}))
    [msg] = to_head(h)
    assert subject(msg) == "[ronda] PENTING: Tampilan website Dinas Kesehatan diubah peretas (deface) (dan 1 hal lain)"
    text = body(msg)
    hacked, idle = text.index("1. PENTING: Tampilan website"), text.index("2. Website Dinas Kesehatan tidak diperbarui selama 46 hari")
    assert hacked < idle and "Hacked by Cyb3rJ4w4" in text[hacked:idle] and "Rapat koordinasi" in text[idle:]
    states = {r["rule"]: (r["state"], r["reason"]) for r in db.query("SELECT rule, state, reason FROM alerts WHERE kind = 'alert'")}
    assert states == {"compromised": ("sent", None), "idle": ("merged", f"dinkes:compromised:{DAY}")}
    assert "(dan 1 hal lain)" in body(digests(h)[0])


def test_a_reminder_states_tonights_figure(tmp_path):
    """Item 10: a reminder a week later, with no newer crawl, says 53 days, not the 46 of the older crawl."""
    h, _ = replay(tmp_path, (DAY, {"days": 46}), (DAY + dt.timedelta(days=7), None))   # no crawl since
    first, reminder = to_head(h)
    assert subject(reminder) == "[ronda] Pengingat ke-1: Website Dinas Kesehatan tidak diperbarui selama 53 hari"
    assert "selama 53 hari" in body(reminder) and "46" not in body(reminder)
    assert "Masalah ini pertama kali tercatat pada 28 November 2026." in body(reminder)


@pytest.mark.parametrize("kind, evidence, own, steps", [
    ("defacement", "Hacked by Cyb3rJ4w4", "diganti oleh peretas (deface)", "Pulihkan halaman dari cadangan yang bersih"),
    ("cloaking", "Slot gacor (pengunjung biasa: Dinas)", "berbeda kepada mesin pencari (cloaking)", ".htaccess"),
    ("spam_page", "slot gacor maxwin", "halaman spam (judi online", "Hapus halaman dan folder spam"),
    ("hidden_links", "slot88 (12 tautan tersembunyi)", "tautan tersembunyi yang disisipkan", "blok tautan tersembunyi"),
    ("spam_text", "situs slot gacor", "teks atau tautan spam (judi online)", "Hapus teks dan tautan spam"),
])
def test_each_kind_of_compromise_has_its_own_words_and_advice(tmp_path, kind, evidence, own, steps):
    """Item 4: a defacement is not gambling spam: each kind its own sentence, steps (e-mail) and advice (report)."""
    from monitors import compose, integrity
    finding = {"kind": kind, "url": "https://dinkes.kota.example.go.id/x", "evidence": evidence}
    h, _ = replay(tmp_path, (DAY, {"days": 3, "integrity": [finding]}))
    [msg] = to_head(h)
    text = body(msg)
    assert own in text and steps in text and evidence in text
    words = compose.messages()["id"]["compromise"]
    for other in set(words) - {kind}:
        assert words[other]["found"] not in text and words[other]["subject"].format(name="Dinas Kesehatan") not in subject(msg)
    [advice] = integrity.advice([finding])
    assert advice == words[kind]["advice"]
    if kind == "defacement":   # the words of the issue: no gambling in what a defaced site is told to do
        assert "judi" not in text.lower() and "judi" not in advice.lower() and "Pulihkan tampilan asli" in advice
        assert subject(msg) == "[ronda] PENTING: Tampilan website Dinas Kesehatan diubah peretas (deface)"


def test_the_report_advises_a_defaced_site_as_defaced(tmp_path):
    """Item 4, in the report: the advice a defaced site's section shows, apart from a spammed site's."""
    from reports import weekly
    cfg = smtp_cfg(tmp_path, 25)
    db = store.open_db(tmp_path / "ronda.db")
    night(db, DAY, days=3, integrity=DEFACED)
    data = weekly.build(db, cfg, weekly.iso_week(DAY), DAY)
    actions = {r["site"].id: r["actions"] for r in data["config_order"]}
    assert actions["dinkes"][0].startswith("Pulihkan tampilan asli dari cadangan yang bersih")
    assert not any("judi" in a.lower() for a in actions["dinkes"])


def test_a_quiet_night_still_gets_its_digest_with_status_counts(tmp_path):
    """Item 11: the README promises one digest a night; it counts the sites per status; `mail.digest: false` stops it."""
    c, h = smtp_server()
    try:
        cfg = smtp_cfg(tmp_path, c.port)
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        night(db, DAY, days=3)                       # both sites active: nothing to alert
        r = alerts.deliver(db, cfg, DAY, db_path, env={})
        again = alerts.deliver(db, cfg, DAY, db_path, env={})
        (tmp_path / "off").mkdir()
        off = smtp_cfg(tmp_path / "off", c.port, mail="  digest: false")
        nxt = DAY + dt.timedelta(days=1)
        night(db, nxt, days=4)
        silent = alerts.deliver(db, off, nxt, db_path, env={})
    finally:
        c.stop()
    assert r.ok and r.sent == 1 and again.sent == 0 and again.digest is None
    [digest] = digests(h)
    assert subject(digest) == "[ronda] Ringkasan 28 November 2026: tidak ada peringatan baru"
    text = body(digest)
    assert "Status 2 website malam ini:\n- Aktif: 2\n- Kurang aktif: 0\n- Nganggur: 0\n- Tidak dapat diakses: 0\n" \
           "- Terindikasi diretas: 0\n" in text
    assert "Tidak ada e-mail peringatan baru malam ini." in text and to_head(h) == []
    assert silent.ok and silent.sent == 0 and silent.digest is None and len(h.messages) == 1
