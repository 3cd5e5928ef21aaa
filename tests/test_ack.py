"""`ronda ack`: a finding or status judged known or wrong stops alerting while it lasts, through the CLI and real SMTP."""
from __future__ import annotations

import email
import email.policy
import json
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller

from base import store
from monitors import acks
from monitors.verdicts import verdict_row

from conftest import free_port, run_cli
from test_alerts import Collect

START = date(2026, 11, 1)
KOMINFO = "kominfo@kota.example.go.id"
HEADS = {"mitra": "mitra@kota.example.go.id", "sepi": "sepi@kota.example.go.id", "lama": "lama@kota.example.go.id"}
FARM = "https://mitra.kota.example.go.id/"


def received(h) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(e.content, policy=email.policy.default) for e in h.messages]


@pytest.fixture
def town(tmp_path):
    """Three sites, a real SMTP server, and a `ronda` runner with this town's config and database."""
    h = Collect()
    c = Controller(h, hostname="127.0.0.1", port=free_port())
    c.start()
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(f"""
organization: Pemerintah Kota Contoh
mail:
  from: "ronda <ronda@kota.example.go.id>"
  smtp: {{host: 127.0.0.1, port: {c.port}, security: none}}
  diskominfo: [{KOMINFO}]
sites:
  - {{id: mitra, name: Dinas Mitra, url: '{FARM}', head: {{email: {HEADS['mitra']}}}}}
  - {{id: sepi, name: Dinas Sepi, url: 'https://sepi.kota.example.go.id/', head: {{email: {HEADS['sepi']}}}}}
  - {{id: lama, name: Dinas Lama, url: 'https://lama.kota.example.go.id/', head: {{email: {HEADS['lama']}}}}}
""", encoding="utf-8")
    db_path = tmp_path / "ronda.db"

    def ronda(day: date, *args: str):
        return run_cli("--config", str(cfg), "--db", str(db_path), "--as-of", day.isoformat(), *args)
    yield ronda, db_path, h
    c.stop()


def farm(hosts: int) -> dict:
    return {"kind": "hidden_links", "url": FARM,
            "evidence": f"{hosts * 2} tautan sisipan ke {hosts} situs pemerintah/kampus lain, di folder aset: a.go.id/img/"}


def store_night(db_path, day: date, mitra=(), sepi_days: int = 40, lama=()) -> None:
    """One finished night: mitra's integrity findings, sepi's age in days, lama's findings (lama is idle, 50 days)."""
    db = store.open_db(db_path)
    rows = []
    for site, days, found in (("mitra", 2, list(mitra)), ("sepi", sepi_days, []), ("lama", 50, list(lama))):
        url = f"https://{site}.kota.example.go.id/"
        status = "compromised" if found else "idle" if days > 30 else "active"
        rows.append({"site": site, "name": site, "url": url, "status": status, "reason": None, "as_of": day.isoformat(),
                     "last_update": (day - timedelta(days=days)).isoformat(), "days_since_update": days,
                     "last_update_url": url + "berita/x", "last_update_title": "Rapat", "completeness": 60,
                     "found": {}, "missing": [], "integrity": found, "tls": None, "score": 40, "pages": 5,
                     "requests": 6, "truncated": False, "crawl_delay": None, "checked_at": store.utcnow(),
                     "integrity_state": "compromised" if found else "clean", "integrity_unknown": []})
    with store.transaction(db):
        run_id = db["runs"].insert({"as_of": day.isoformat(), "state": "finished", "started_at": store.utcnow()}).last_pk
        for v in rows:
            db["verdicts"].insert(verdict_row(run_id, v))
    db.conn.close()


def heads_mail(h, site: str) -> list[str]:
    return [" ".join(str(m["Subject"]).split()) for m in received(h) if m["To"] == HEADS[site]]


def test_an_acknowledged_finding_stops_alerting_and_a_growing_one_alerts_again(town):
    ronda, db_path, h = town
    day = lambda n: START + timedelta(days=n - 1)   # noqa: E731
    store_night(db_path, day(1), mitra=[farm(6)])
    assert ronda(day(1), "alerts").returncode == 0
    assert heads_mail(h, "mitra") == ["[ronda] PENTING: Website Dinas Mitra memuat tautan tersembunyi sisipan"]
    # the officer looks: these are the partner sites of a regional programme, hidden by a bad theme
    out = ronda(day(1), "ack", "mitra", "hidden_links", "--note", "tautan mitra program daerah, bukan sisipan",
                "--by", "Budi (Diskominfo)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:3] == ["#1", "mitra", "hidden_links"] and f"{day(1)} .. {day(31)}" in out.stdout  # 30 days
    for n in range(2, 10):          # the reminder of night 8 is held back, nights 2..9 send nothing to mitra
        store_night(db_path, day(n), mitra=[farm(6)])
        run = ronda(day(n), "alerts")
        assert run.returncode == 0, run.stderr
        if n == 8:
            assert "acknowledged" in run.stdout and "mitra" in run.stdout
    assert len(heads_mail(h, "mitra")) == 1
    week8 = [m for m in received(h) if m["To"] == KOMINFO and f"8 November 2026" in str(m["Subject"])][0]
    assert "Diakui (tidak dikirim selama pengakuan berlaku) (1):\r\n- Dinas Mitra" in week8.get_body(("plain",)).get_content()
    # the farm grows: 11 hosts now. That is news, told once; and a new kind is never hidden by the ack
    store_night(db_path, day(10), mitra=[farm(11)])
    assert ronda(day(10), "alerts").returncode == 0
    store_night(db_path, day(11), mitra=[farm(11)])
    assert ronda(day(11), "alerts").returncode == 0
    grown = heads_mail(h, "mitra")[1:]
    assert grown == ["[ronda] PENTING: Website Dinas Mitra memuat tautan tersembunyi sisipan"]   # news, not a reminder
    text = [m for m in received(h) if m["To"] == HEADS["mitra"]][-1].get_body(("plain",)).get_content()
    assert "22 tautan sisipan ke 11 situs" in text and "12 tautan sisipan ke 6 situs" not in text
    spam = {"kind": "spam_text", "url": FARM + "berita/x", "evidence": "slot gacor maxwin"}
    store_night(db_path, day(12), mitra=[farm(6), spam])
    assert ronda(day(12), "alerts").returncode == 0
    last = [m for m in received(h) if m["To"] == HEADS["mitra"]][-1]
    assert "judi online" in " ".join(str(last["Subject"]).split())
    assert "slot gacor maxwin" in last.get_body(("plain",)).get_content()


def test_a_status_ack_holds_its_status_only_until_it_ends_or_is_undone(town):
    ronda, db_path, h = town
    day = lambda n: START + timedelta(days=n - 1)   # noqa: E731
    store_night(db_path, day(1))
    assert ronda(day(1), "alerts").returncode == 0
    assert len(heads_mail(h, "sepi")) == 1 and len(heads_mail(h, "lama")) == 1
    # sepi is being rebuilt: acknowledged until night 10; lama's idle too, but undone on night 9
    assert ronda(day(1), "ack", "sepi", "idle", "--note", "situs baru sedang dibangun", "--by", "Sari",
                 "--until", day(10).isoformat()).returncode == 0
    assert ronda(day(1), "ack", "lama", "idle", "--note", "admin cuti", "--by", "Sari").returncode == 0
    for n in range(2, 9):
        store_night(db_path, day(n), sepi_days=40 + n - 1)
        assert ronda(day(n), "alerts").returncode == 0
    assert len(heads_mail(h, "sepi")) == 1 and len(heads_mail(h, "lama")) == 1     # night 8's reminders held back
    # a new kind on an acknowledged site is never hidden: lama is defaced on night 9, told at once (its idle is not)
    store_night(db_path, day(9), sepi_days=48, lama=[{"kind": "defacement", "url": "https://lama.kota.example.go.id/",
                                                      "evidence": "Hacked by Cyb3rJ4w4"}])
    assert ronda(day(9), "alerts").returncode == 0
    assert heads_mail(h, "lama")[1:] == ["[ronda] PENTING: Tampilan website Dinas Lama diubah peretas (deface)"]
    listed = json.loads(ronda(day(9), "ack", "--list", "--json").stdout)
    assert [(a["id"], a["site"], a["kind"]) for a in listed] == [(2, "lama", "idle"), (1, "sepi", "idle")]
    undo = ronda(day(10), "ack", "--undo", "2", "--by", "Sari")
    assert undo.returncode == 0 and undo.stdout.rstrip().endswith(f"(undone {day(10)} by Sari)")
    for n in (10, 11):
        store_night(db_path, day(n), sepi_days=40 + n - 1)
        assert ronda(day(n), "alerts").returncode == 0
    # undone on night 10: lama's idle is told again, with its recovery from the defacement, in one e-mail
    assert heads_mail(h, "lama")[2:] == ["[ronda] Pengingat ke-1: Website Dinas Lama tidak diperbarui selama 50 hari "
                                         "(dan 1 hal lain)"]
    # sepi's ack ended after night 10: night 11 tells its head again, with tonight's figure
    assert heads_mail(h, "sepi")[1:] == ["[ronda] Pengingat ke-1: Website Dinas Sepi tidak diperbarui selama 50 hari"]
    everything = json.loads(ronda(day(11), "ack", "--list", "--all", "--json").stdout)
    assert {a["id"]: a["undone_on"] for a in everything} == {1: None, 2: day(10).isoformat()}
    assert json.loads(ronda(day(11), "ack", "--list", "--json").stdout) == []


def test_status_json_and_the_report_show_the_acknowledgement(town, tmp_path):
    ronda, db_path, h = town
    store_night(db_path, START, mitra=[farm(6)])
    assert ronda(START, "ack", "mitra", "hidden_links", "--url", FARM, "--note", "tautan <b>mitra</b> resmi",
                 "--by", "Budi").returncode == 0
    rows = {r["site"]: r for r in json.loads(ronda(START, "status", "--json").stdout)}
    assert rows["sepi"]["acks"] == []
    [a] = rows["mitra"]["acks"]
    assert (a["kind"], a["url"], a["note"], a["by"], a["since"], a["until"]) == \
        ("hidden_links", FARM, "tautan <b>mitra</b> resmi", "Budi", "2026-11-01", "2026-12-01")
    out = ronda(START, "report", "--week", "2026-W44", "--out", str(tmp_path / "laporan"))
    assert out.returncode == 0, out.stderr
    html = (tmp_path / "laporan" / "2026-W44.html").read_text(encoding="utf-8")
    section = html[html.index('id="opd-mitra"'):]
    section = section[:section.index("</article>")]
    assert "Diakui Diskominfo (tidak diperingatkan)" in section
    assert "“tautan &lt;b&gt;mitra&lt;/b&gt; resmi” — Budi, berlaku 1 November 2026 s.d. 1 Desember 2026" in section
    db = store.open_db(db_path)
    assert [x["note"] for x in acks.active(db, "mitra", START)] == ["tautan <b>mitra</b> resmi"]
    assert acks.active(db, "mitra", date(2026, 12, 2)) == []     # ended


def test_history_shows_each_night_the_acknowledgements_then_in_force(town):
    ronda, db_path, h = town
    day = lambda n: START + timedelta(days=n - 1)   # noqa: E731
    for n in (1, 2, 3, 4):
        store_night(db_path, day(n), sepi_days=40 + n - 1)
        if n == 2:
            assert ronda(day(2), "ack", "sepi", "idle", "--note", "dibangun ulang", "--by", "Sari").returncode == 0
        if n == 3:
            assert ronda(day(3), "ack", "--undo", "1", "--by", "Sari").returncode == 0
    nights = json.loads(ronda(day(4), "history", "sepi", "--json").stdout)
    assert [[a["id"] for a in n["acks"]] for n in nights] == [[], [1], [], []]   # from night 2, undone on night 3
    assert nights[1]["acks"][0]["note"] == "dibangun ulang"
    table = ronda(day(4), "history", "sepi").stdout.splitlines()
    assert [("acknowledged: idle #1" in line) for line in table[3:]] == [False, True, False, False]


@pytest.mark.parametrize("args, message", [
    (("mitraa", "hidden_links"), "Error: unknown site 'mitraa' (did you mean 'mitra'?)"),
    (("mitra", "hidden_link"), "Error: unknown kind 'hidden_link' (did you mean 'hidden_links'?); one of: idle, down, defacement"),
    (("sepi", "idel"), "Error: unknown kind 'idel' (did you mean 'idle'?)"),
    (("sepi", "idle", "--until", "2026-13-01"), "Error: --until must be a date as YYYY-MM-DD, not '2026-13-01'"),
    (("sepi", "idle", "--until", "2026-10-01"), "Error: --until 2026-10-01 is before 2026-11-01"),
    (("sepi", "defacement"), "Error: site 'sepi' has no defacement finding in its latest verdict (as of 2026-11-01): nothing to acknowledge"),
    (("mitra", "hidden_links", "--url", FARM + "lain"), f"Error: site 'mitra' has no hidden_links finding at {FARM}lain"),
    (("sepi", "idle", "--url", FARM), "Error: --url applies to a finding kind, not to the status 'idle'"),
    (("sepi",), "Error: give SITE KIND --note TEXT --by NAME (or --undo ID, or --list)"),
    (("--undo", "7"), "Error: no acknowledgement #7"),
])
def test_bad_input_is_one_line_and_exit_2(town, args, message):
    ronda, db_path, h = town
    store_night(db_path, START, mitra=[farm(6)])
    extra = () if args[0] == "--undo" or len(args) < 2 else ("--note", "x", "--by", "y")
    out = ronda(START, "ack", *args, *extra)
    assert out.returncode == 2 and out.stderr.startswith(message) and out.stderr.count("\n") == 1, out.stderr
    assert "Traceback" not in out.stderr
    db = store.open_db(db_path)
    assert db["acks"].count == 0            # nothing recorded


def test_what_an_ack_covers_by_url_and_by_tls_kind(town):
    """--url covers that page's finding only; a TLS ack covers its kind (the days left change), not the next kind."""
    ronda, db_path, h = town
    pages = [{"kind": "spam_page", "url": FARM + f"wp-content/uploads/{n}/", "evidence": "slot gacor"} for n in (1, 2)]
    store_night(db_path, START, mitra=pages)
    assert ronda(START, "ack", "mitra", "spam_page", "--url", pages[0]["url"], "--note", "halaman uji",
                 "--by", "Budi").returncode == 0
    db = store.open_db(db_path)
    held = acks.active(db, "mitra", START)
    acked, told = acks.judge("compromised", {"integrity": pages}, held)
    assert not acked and told["integrity"] == [pages[1]]                  # the other page is still told
    assert acks.judge("compromised", {"integrity": pages[:1]}, held) == (True, {"integrity": pages[:1]})
    tls = [{"kind": "tls_expiring", "id": 1, "url": None, "findings": []}]
    expiring = {"tls": {"findings": [{"kind": "tls_expiring", "url": FARM, "evidence": "berakhir 9 hari lagi"}]}}
    expired = {"tls": {"findings": [{"kind": "tls_expired", "url": FARM, "evidence": "kedaluwarsa"}]}}
    assert acks.judge("tls", expiring, tls)[0] is True
    assert acks.judge("tls", expired, tls) == (False, expired)
    assert acks.judge("idle", {}, tls) == (False, {})                     # never another kind
