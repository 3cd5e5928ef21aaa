"""Chat delivery through Apprise to a real HTTP gateway on 127.0.0.1: the month of alert nights, outages, hangs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from datetime import date

import pytest

from base import config, store
from monitors import alerts, chat, chat_text, mailer

from chatgateway import Gateway
from conftest import run_cli
from test_alerts import (CONFIG, DAYS, EXPECTED, KOMINFO, SPAM, START, month_night, received,  # noqa: F401
                         smtpd, store_night, verdict)

TOKEN = "fonnte-Sekret-7Q2x"
WA_GROUP = "120363042@g.us"
PHONES = {s: f"6281200000{i:03d}" for i, s in enumerate(
    ["nganggur", "kedip", "mati", "diretas", "turun", "bisu", "tanpa", "servis", "sertifikat"], start=1)}
FAST = "rto=1&cto=1"


def fonnte(port: int, target: str) -> str:
    """A Fonnte-style WhatsApp gateway: form fields target and message, the token in the Authorization header."""
    return (f"form://127.0.0.1:{port}/send?:target={target}&:message=message&:title=&:version=&:type="
            f"&+Authorization=${{FONNTE_TOKEN}}&{FAST}")


def chat_config(tmp_path, smtp_port: int, gw_port: int, extra: str = "") -> config.Config:
    """The alert tests' month config, plus a WhatsApp channel per head and two Diskominfo groups."""
    text = CONFIG.replace("PORT", str(smtp_port))
    for site, phone in PHONES.items():
        text = re.sub(rf"(- {{id: {site},.*?head: {{[^}}]*)}}", rf"\1, channels: ['{fonnte(gw_port, phone)}']}}", text)
    text += f"""
notify:
  channels:
    tg_kominfo: "json://127.0.0.1:{gw_port}/tg?:title=&:version=&:type=&{FAST}"
    wa_kominfo: "{fonnte(gw_port, WA_GROUP)}"
  diskominfo: [tg_kominfo, wa_kominfo]
  digest: {{tg_kominfo: daily}}
{extra}"""
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(path, env={"FONNTE_TOKEN": TOKEN})


def channel_of(r) -> str:
    """Which configured channel a request received by the gateway was sent to."""
    if r.path.startswith("/tg"):
        return "tg_kominfo"
    if r.fields["target"] == WA_GROUP:
        return "wa_kominfo"
    return next(f"{s}.head.1" for s, p in PHONES.items() if p == r.fields["target"])


def expected_targets(key: str) -> list[str]:
    """The channels the rules send an alert to, worked out by hand: head (placeholder: Diskominfo), + Diskominfo from r3."""
    site = key.split(":")[0]
    reminder = int(key.rsplit(":r", 1)[1]) if re.search(r":r\d+$", key) else 0
    out = ["tg_kominfo", "wa_kominfo"] if site == "tanpa" else [f"{site}.head.1"]
    return list(dict.fromkeys(out + (["tg_kominfo", "wa_kominfo"] if reminder >= 3 else [])))


MONDAYS = [n for n, d in enumerate(DAYS, start=1) if d.weekday() == 0]   # wa_kominfo's weekly digest (report.weekday)


@pytest.mark.parametrize("outage", [None, 13])
def test_a_month_of_nights_in_chat_is_exactly_what_the_rules_call_for(tmp_path, smtpd, outage):
    c, h = smtpd
    with Gateway("fail") as gw:
        cfg = chat_config(tmp_path, c.port, gw.port)
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        got, mails = [], []
        for night, day in enumerate(DAYS, start=1):
            store_night(db, day, month_night(day))
            gw.failures = 10 ** 6 if night == outage else 0      # the gateway answers 500 all that night
            before, mail_before = len(gw.received), len(h.messages)
            result = alerts.deliver(db, cfg, day, db_path, env={})
            assert result.ok, result.errors                           # e-mail never waits for chat
            assert len(gw.received) - before == result.chat.sent + result.chat.failed
            if night == outage:
                assert result.chat.sent == 0 and result.chat.failed >= 1 and result.chat.pending > 0
            again = alerts.deliver(db, cfg, day, db_path, env={})     # a rerun of the night sends nothing twice
            assert again.sent == 0 and again.chat.sent == 0
            bodies = {(r["channel"], r["body"]): r["alert_key"] or r["key"] for r in db.query("SELECT * FROM deliveries")}
            for r in gw.received[before:]:
                if night == outage:
                    continue   # refused with a 500: not delivered
                assert r.headers["Content-Type"].startswith("application/json" if r.path == "/tg" else
                                                            "application/x-www-form-urlencoded")
                if r.path == "/send":    # Fonnte's shape: the token header, the target and the message, nothing else
                    assert r.headers["Authorization"] == TOKEN and set(r.fields) == {"target", "message"}
                got.append((night, bodies[(channel_of(r), r.fields["message"])], channel_of(r)))
            mails += [(night, m["Message-ID"], m["To"], m["Cc"] or "") for m in received(h, mail_before)]
    late = (lambda n: n + 1 if n == outage else n)    # what the outage night refused goes out the next night
    want = [(late(n), key, ch) for n, key, _, _ in EXPECTED for ch in expected_targets(key)]
    want += [(late(n), f"digest:{d(n)}/tg_kominfo", "tg_kominfo") for n in range(1, 31)]
    want += [(late(n), f"digest:{d(n)}/wa_kominfo", "wa_kominfo") for n in MONDAYS]
    assert sorted(got) == sorted(want)          # nothing missing, nothing twice, reminders on their nights
    states = {r["state"] for r in db.query("SELECT state FROM deliveries")}
    assert states == {"sent"}
    # e-mail exactly as the alert tests expect it, outage or not
    ids = {mailer.message_id(k, cfg.mail.from_): k for _, k, _, _ in EXPECTED}
    alert_mails = sorted((n, ids[i], to, cc) for n, i, to, cc in mails if i in ids)
    assert alert_mails == sorted(EXPECTED)
    assert len(mails) - len(alert_mails) == 30                                  # one e-mail digest every night
    # a secret never reaches the store
    assert not any(TOKEN in str(v) for r in db.query("SELECT * FROM deliveries") for v in r.values())
    if outage is None:
        wa = next(r for r in gw.received if r.path == "/send" and r.fields["target"] == PHONES["nganggur"]
                  and "ke-3" in r.fields["message"])
        dg = max((r for r in gw.received if r.path == "/send" and r.fields["target"] == WA_GROUP
                  and r.fields["message"].startswith("Ringkasan")), key=lambda r: len(r.fields["message"]))
        lines = wa.fields["message"].split("\n")   # headline, proof, what to do, reminder, one link
        assert lines[0] == "Dinas Nganggur: website tidak diperbarui 52 hari" and len(lines) == 5
        assert lines[3] == "Pengingat ke-3, diteruskan ke Diskominfo." and lines[4].startswith("https://nganggur.")
        assert dg.fields["message"].split("\n")[1].startswith("Status 9 website: aktif ")   # the counts, in one message


def d(n: int) -> str:
    return DAYS[n - 1].isoformat()


def _one_site(tmp_path, smtp_port: int, url: str, extra: str = "") -> config.Config:
    text = f"""
organization: Pemerintah Kota Contoh
mail:
  smtp: {{host: 127.0.0.1, port: {smtp_port}, security: none}}
  diskominfo: [{KOMINFO}]
sites:
  - {{id: nganggur, name: Dinas Nganggur, url: 'https://nganggur.kota.example.go.id/',
      head: {{name: Kadis A, email: a@kota.example.go.id, channels: ['{url}']}}}}
{extra}"""
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(path, env={"FONNTE_TOKEN": TOKEN})


def _idle_night(db, day: date) -> None:
    store_night(db, day, [verdict("nganggur", day, last_update=date(2026, 9, 20))])


def test_a_site_with_two_problems_gets_one_chat_message_a_night(tmp_path, smtpd):
    c, h = smtpd
    day = date(2026, 11, 28)
    with Gateway() as gw:
        cfg = _one_site(tmp_path, c.port, fonnte(gw.port, PHONES["nganggur"]))
        db = store.open_db(tmp_path / "ronda.db")
        spam = [dict(f, url="https://nganggur.kota.example.go.id/") for f in SPAM]
        store_night(db, day, [verdict("nganggur", day, last_update=date(2026, 9, 20), integrity=spam)])
        r = alerts.deliver(db, cfg, day, tmp_path / "ronda.db", env={})
        heads = [m for m in gw.received if m.fields.get("target") == PHONES["nganggur"]]
    assert r.ok and len(heads) == 1                                  # as in e-mail: one message per site and night
    lines = heads[0].fields["message"].split("\n")
    assert lines[0].endswith("website terindikasi diretas")          # the most severe problem first
    assert lines[1] == "Juga: Dinas Nganggur: website tidak diperbarui 69 hari"


def test_an_unset_token_fails_its_channel_not_the_night(tmp_path, smtpd):
    c, h = smtpd
    day1, day2 = date(2026, 11, 28), date(2026, 11, 29)
    with Gateway() as gw:
        _one_site(tmp_path, c.port, fonnte(gw.port, PHONES["nganggur"]))
        path = tmp_path / "sites.yaml"
        checked = run_cli("--config", str(path), "check-config", env={"FONNTE_TOKEN": ""})
        assert checked.returncode == 2 and "environment variable FONNTE_TOKEN is not set" in checked.stderr
        cfg = config.load(path, env={})          # cron without the token: the night still loads and runs
        db = store.open_db(tmp_path / "ronda.db")
        _idle_night(db, day1)
        r1 = alerts.deliver(db, cfg, day1, tmp_path / "ronda.db", env={})
        assert r1.sent == 2 and len(h.messages) == 2 and gw.received == []   # the e-mails went, nothing half-sent
        row = next(db.query("SELECT state, error FROM deliveries"))
        assert row == {"state": "failed", "error": "environment variable FONNTE_TOKEN is not set "
                                                   "(the URL reads it as ${FONNTE_TOKEN})"}
        _idle_night(db, day2)
        r2 = alerts.deliver(db, config.load(path, env={"FONNTE_TOKEN": TOKEN}), day2, tmp_path / "ronda.db", env={})
        assert r2.chat.sent == 1 and [m.headers["Authorization"] for m in gw.received] == [TOKEN]


def test_a_refused_delivery_goes_out_on_the_next_run_once(tmp_path, smtpd):
    c, h = smtpd
    with Gateway() as probe:
        port = probe.port
    # night 1: nothing listens on the gateway's port (connection refused)
    cfg = _one_site(tmp_path, c.port, fonnte(port, PHONES["nganggur"]))
    db_path = tmp_path / "ronda.db"
    db = store.open_db(db_path)
    day1, day2 = date(2026, 11, 28), date(2026, 11, 29)
    _idle_night(db, day1)
    r1 = alerts.deliver(db, cfg, day1, db_path, env={})
    assert r1.ok and r1.sent == 2 and len(h.messages) == 2     # the alert and the digest e-mails went regardless
    row = next(db.query("SELECT * FROM deliveries"))
    assert (row["state"], row["attempts"]) == ("failed", 1) and "Connection error" in row["error"]
    with Gateway(port=port) as gw:
        _idle_night(db, day2)
        r2 = alerts.deliver(db, cfg, day2, db_path, env={})
        # the alert e-mail is not sent twice: tonight's only e-mail is the (quiet) digest
        assert r2.chat.sent == 1 and r2.sent == 1 and r2.digest is not None and len(h.messages) == 3
        alerts.deliver(db, cfg, day2, db_path, env={})
        assert len(gw.received) == 1 and "tidak diperbarui 69 hari" in gw.received[0].fields["message"]
    row = next(db.query("SELECT * FROM deliveries"))
    assert (row["state"], row["attempts"]) == ("sent", 2)


def test_a_hanging_gateway_is_uncertain_never_resent_by_itself_and_the_mail_goes(tmp_path, smtpd):
    c, h = smtpd
    with Gateway("hang") as gw:
        cfg = _one_site(tmp_path, c.port, fonnte(gw.port, PHONES["nganggur"]))
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        day1, day2 = date(2026, 11, 28), date(2026, 11, 29)
        _idle_night(db, day1)
        r1 = alerts.deliver(db, cfg, day1, db_path, env={})
        assert r1.ok and r1.sent == 2 and len(h.messages) == 2 and r1.chat.uncertain == 1 and len(gw.received) == 1
        key = "nganggur:idle:2026-11-28/nganggur.head.1"
        assert next(db.query("SELECT state FROM deliveries WHERE key = ?", [key]))["state"] == "uncertain"
        _idle_night(db, day2)
        db.conn.close()
        gw.mode = "ok"
        out = run_cli("--config", str(cfg.path), "--db", str(db_path), "--as-of", day2.isoformat(), "alerts",
                      env={"FONNTE_TOKEN": TOKEN})
        assert out.returncode == 0, out.stderr
        assert len(gw.received) == 1                                  # not resent by the next night's run
        line = next(ln for ln in out.stdout.splitlines() if key in ln)
        assert line.startswith("uncertain") and "${FONNTE_TOKEN}" in line and TOKEN not in out.stdout
        resend = run_cli("--config", str(cfg.path), "--db", str(db_path), "notify-resend", key,
                         env={"FONNTE_TOKEN": TOKEN})
        assert resend.returncode == 0 and resend.stdout.startswith("sent "), (resend.stdout, resend.stderr)
        assert len(gw.received) == 2 and gw.received[1].fields == gw.received[0].fields
        again = run_cli("--config", str(cfg.path), "--db", str(db_path), "notify-resend", key,
                        env={"FONNTE_TOKEN": TOKEN})
        assert again.returncode == 2 and again.stderr.startswith("Error: ") and "is sent" in again.stderr


def test_a_delivery_left_sending_by_a_dead_process_is_uncertain_and_not_resent(tmp_path, smtpd):
    c, h = smtpd
    with Gateway() as gw:
        cfg = _one_site(tmp_path, c.port, fonnte(gw.port, PHONES["nganggur"]))
        db = store.open_db(tmp_path / "ronda.db")
        day = date(2026, 11, 28)
        _idle_night(db, day)
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        key = "nganggur:idle:2026-11-28/nganggur.head.1"
        db["deliveries"].insert({"key": key, "kind": "alert", "channel": "nganggur.head.1", "as_of": day.isoformat(),
                                 "state": "sending", "claimed_by": dead.pid, "body": "x", "attempts": 1,
                                 "created_at": store.utcnow()})
        result = alerts.deliver(db, cfg, day, tmp_path / "ronda.db", env={})
        assert result.sent == 2 and gw.received == []          # the e-mail goes; the chat message may have gone
        assert [(d.key, d.state) for d in result.chat.deliveries] == [(key, "uncertain")]


def test_the_digest_names_what_may_not_have_arrived(tmp_path, smtpd):
    c, h = smtpd
    with Gateway("hang") as heads, Gateway() as group:
        extra = f"""notify:
  channels: {{kominfo: "json://127.0.0.1:{group.port}/g?{FAST}"}}
  diskominfo: [kominfo]
  digest: {{kominfo: daily}}"""
        cfg = _one_site(tmp_path, c.port, fonnte(heads.port, PHONES["nganggur"]), extra)
        db = store.open_db(tmp_path / "ronda.db")
        day = date(2026, 11, 28)
        _idle_night(db, day)
        alerts.deliver(db, cfg, day, tmp_path / "ronda.db", env={})
        assert len(group.received) == 1
        text = group.received[0].fields["message"]
        assert text.startswith("Ringkasan ronda 28 November 2026 \u2014 Pemerintah Kota Contoh\nStatus 1 website:")
        assert "nganggur 1" in text and "Belum pasti terkirim (1)" in text
        assert "nganggur:idle:2026-11-28/nganggur.head.1" in text
        assert "Tidak ada peringatan baru." in text       # the alert did not (surely) go: not counted as sent


def test_dry_run_shows_every_delivery_per_channel_and_no_secret(tmp_path, smtpd):
    c, h = smtpd
    with Gateway() as gw:
        cfg = chat_config(tmp_path, c.port, gw.port)
        db_path = tmp_path / "ronda.db"
        db = store.open_db(db_path)
        day = DAYS[26]    # night 27: nganggur's third reminder, escalated to Diskominfo's channels
        for dd in DAYS[:27]:
            store_night(db, dd, month_night(dd))
        db.conn.close()
        args = ("--config", str(cfg.path), "--db", str(db_path), "--as-of", day.isoformat(), "alerts", "--dry-run")
        out = run_cli(*args, env={"FONNTE_TOKEN": TOKEN})
        assert out.returncode == 0, out.stderr
        chat_lines = [ln for ln in out.stdout.splitlines() if " chat-" in ln]
        shown = {(ln.split()[0], ln.split()[2], ln.split()[3]) for ln in chat_lines}
        key = f"nganggur:idle:{d(6)}:r3"
        assert {("new", ch, f"{key}/{ch}") for ch in ("nganggur.head.1", "tg_kominfo", "wa_kominfo")} <= shown
        assert ("new", "tg_kominfo", f"digest:{d(27)}/tg_kominfo") in shown
        assert not any("wa_kominfo" in k and k.startswith("digest") for _, _, k in shown)   # weekly, not tonight
        assert TOKEN not in out.stdout + out.stderr and "${FONNTE_TOKEN}" in out.stdout
        as_json = run_cli(*args, "--json", env={"FONNTE_TOKEN": TOKEN})
        planned = json.loads(as_json.stdout)["chat"]["deliveries"]
        assert {(p["state"], p["channel"], p["key"]) for p in planned} == shown and TOKEN not in as_json.stdout
        assert gw.received == [] and store.open_db(db_path)["deliveries"].count == 0


def test_check_config_reads_every_url_with_apprise(tmp_path):
    text = """sites:
  - id: a
    name: A
    url: https://a.example.go.id/
    head:
      channels:
        - "tgram://${TG_BOT}/-1001234"
        - "whatsapp://${WA_TOKEN}@${WA_FROM}/6281234567890"
        - "tgram://${TG_TOKEN}/-1001234"
        - "whatsapp://${WA_TOKEN}@${WA_FROM}/62811"
        - "wapp://x/y"
        - nowhere
notify:
  channels:
    gw: "form://127.0.0.1:9/send?+Authorization=${NOT_SET_ANYWHERE}"
"""
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    env = {"TG_TOKEN": "SecretSecret", "TG_BOT": "123456789:AAbbCCddEEffGG_hh", "WA_TOKEN": "EAAGbbCCdd0011",
           "WA_FROM": "1234567890"}
    out = run_cli("--config", str(path), "check-config", env=env)
    assert out.returncode == 2 and out.stdout == ""
    got = out.stderr.splitlines()
    assert got == [
        f"{path}:9: sites[0].head.channels[2]: Apprise cannot read this Telegram URL: a token or a target is missing "
        "or malformed",
        f"{path}:10: sites[0].head.channels[3]: WhatsApp: Dropped invalid WhatsApp target (62811) specified.",
        f"{path}:11: sites[0].head.channels[4]: unknown Apprise scheme wapp://: see docs/notifications.md",
        f"{path}:12: sites[0].head.channels[5]: unknown channel 'nowhere': name one of notify.channels (gw) or "
        "write an Apprise URL",
        f"{path}:15: notify.channels.gw: environment variable NOT_SET_ANYWHERE is not set (the URL reads it as "
        "${NOT_SET_ANYWHERE})",
    ], out.stderr
    assert "SecretSecret" not in out.stderr and "EAAG" not in out.stderr


def test_apprise_reads_telegram_and_whatsapp_cloud_urls():
    assert chat.url_problem("tgram://123456789:AAbbCCddEEffGG_hh/-1001234") is None
    assert chat.url_problem("whatsapp://EAAGbbCCdd0011@1234567890/6281234567890") is None
    assert chat.url_problem("tgram:///-1001234").startswith("Apprise cannot read this Telegram URL")
    assert chat.url_problem("whatsapp://EAAGbbCCdd0011@/6281234567890").startswith("Apprise cannot read this WhatsApp")


def test_notify_test_sends_one_message_to_a_channel(tmp_path, smtpd):
    c, h = smtpd
    with Gateway() as gw:
        cfg = chat_config(tmp_path, c.port, gw.port)
        args = ("--config", str(cfg.path), "notify-test")
        out = run_cli(*args, "wa_kominfo", env={"FONNTE_TOKEN": TOKEN})
        assert out.returncode == 0 and out.stdout.startswith("sent wa_kominfo form://"), out.stderr
        assert TOKEN not in out.stdout
        assert len(gw.received) == 1 and gw.received[0].headers["Authorization"] == TOKEN
        assert gw.received[0].fields == {"target": WA_GROUP, "message": "Pesan uji dari ronda (Pemerintah Kota Contoh): "
                                                                        "saluran wa_kominfo tersambung."}
        bad = run_cli(*args, "nope", env={"FONNTE_TOKEN": TOKEN})
        assert bad.returncode == 2 and bad.stderr.startswith("Error: unknown channel 'nope'")
    assert h.messages == []


HOSTILE = "@everyone *PROMO* _slot_ ~gacor~ `x` [klik](https://slot.example.test) <!channel> \u202egnirts\u200b\x07\r\nbaru"


@pytest.mark.parametrize("limit", [1024, 4096, 120])
def test_hostile_titles_are_inert_and_messages_fit_the_service(limit):
    text = chat_text.alert(
        lang="id", rule="idle", site_name="Dinas @all *Tebal*", site_url="https://a.example.go.id/",
        verdict={"days_since_update": 45, "last_update": "2026-10-14", "last_update_title": HOSTILE * 3,
                 "last_update_url": "https://a.example.go.id/berita/@everyone*x*"},
        episode="a:idle:2026-11-01", reminder=3, escalated=True, item_names={}, as_of=date(2026, 11, 28), limit=limit)
    assert len(text) <= limit
    assert "@" not in text and not re.search(r"[*_~`\[\]<>|]", text.replace("https://a.example.go.id/", ""))
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text.replace("\n", ""))
    assert "https://slot" not in text and "slot.example" not in text      # no second, clickable link
    lines = text.split("\n")
    assert lines[0] == "Dinas \uff20all Tebal: website tidak diperbarui 45 hari"        # tonight's count, from the post's date
    assert lines[-1] == "https://a.example.go.id/berita/%40everyone%2Ax%2A"   # the one evidence link, inert
    if limit >= 1024:
        assert "Pengingat ke-3, diteruskan ke Diskominfo." in lines
