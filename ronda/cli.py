"""The `ronda` command: parses, calls one library function, formats what it returns."""
from __future__ import annotations

import json
import re
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from base import __version__, checklist, logs, store
from base import config as ronda_config
from base.safe import terminal
from ronda import tables


class Ctx:
    """Global options, resolved lazily so that `inspect` and `demo` need no config file."""

    def __init__(self, config_path: str, db: str, as_of: str | None):
        self.config_path = config_path
        self.db = db
        self.as_of_text = as_of
        self._cfg = None

    @property
    def cfg(self) -> ronda_config.Config:
        if self._cfg is None:
            self._cfg = ronda_config.load(self.config_path)
        return self._cfg

    def as_of(self, tz: str | None = None) -> date:
        if self.as_of_text:
            return parse_date(self.as_of_text)
        return datetime.now(ZoneInfo(tz or "Asia/Jakarta")).date()


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.UsageError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}") from None


GLOBAL_OPTIONS = ("--config", "--db", "--as-of")
# A bare host name ("dinkes.contoh.go.id", "dinkes.contoh.go.id/berita"): an address that lost its scheme.
_HOST_LIKE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")


class RondaGroup(click.Group):
    """Turns library errors into one-line messages and the exit codes of docs/cli.md (never a traceback)."""

    def invoke(self, ctx):
        from base.lock import LockBusy, LockUnavailable
        from reports import ReportError
        from ronda.inspect import InspectError
        from ronda.jobs import JobError

        try:
            return super().invoke(ctx)
        except click.NoSuchOption as e:
            if e.option_name in GLOBAL_OPTIONS and ctx.invoked_subcommand:
                e.message += (f" (global options go before the command: "
                              f"ronda {e.option_name} ... {ctx.invoked_subcommand} ...)")
            raise
        except ronda_config.ConfigError as e:
            for p in e.problems:
                click.echo(terminal(str(p)), err=True)
            sys.exit(2)
        except checklist.ChecklistError as e:  # already `file:line: key: what is wrong`
            click.echo(terminal(str(e)), err=True)
            sys.exit(2)
        except (store.StoreError, InspectError, LockBusy, LockUnavailable) as e:
            click.echo(f"Error: {terminal(str(e))}", err=True)
            sys.exit(1)
        except (JobError, ReportError) as e:
            click.echo(f"Error: {terminal(str(e))}", err=True)
            sys.exit(2)
        except sqlite3.Error as e:  # a full disk or a read-only database in the middle of a job
            click.echo(f"Error: the store failed: {terminal(str(e))}", err=True)
            sys.exit(1)


@click.group(cls=RondaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="RONDA_CONFIG", default="config/sites.yaml", show_default=True,
              help="sites.yaml to use (env RONDA_CONFIG).")
@click.option("--db", envvar="RONDA_DB", default="ronda.db", show_default=True,
              help="SQLite database (env RONDA_DB); outbox and reports live beside it.")
@click.option("--as-of", envvar="RONDA_AS_OF", default=None, metavar="YYYY-MM-DD",
              help="Replace the clock: the day the crawl, status and reports are about (env RONDA_AS_OF).")
@click.version_option(__version__, prog_name="ronda")
@click.pass_context
def cli(ctx, config_path, db, as_of):
    """ronda: the night watch of local-government (OPD) websites."""
    if as_of:
        parse_date(as_of)
    ctx.obj = Ctx(config_path, db, as_of)


@cli.command("check-config")
@click.pass_obj
def check_config(obj: Ctx):
    """Validate the configuration; each problem on one line as FILE:LINE: KEY: problem (exit 2)."""
    from monitors import chat

    # every chat channel URL is read by Apprise's own parser (nothing is sent)
    cfg = ronda_config.load(obj.config_path, check_url=chat.url_problem)
    items = checklist.load(cfg.checklist_path())
    click.echo(f"{obj.config_path}: OK: {len(cfg.enabled_sites)} enabled site(s) of {len(cfg.sites)}, "
               f"{len(items)} checklist item(s)")
    # what still needs Diskominfo, counted over the enabled sites (a disabled one is neither crawled nor alerted)
    unverified = [s.id for s in cfg.enabled_sites if not s.verified]
    click.echo(f"{len(unverified)} site(s) unverified" + (f": {', '.join(unverified)}" if unverified else ""))
    placeholders = sum(1 for s in cfg.enabled_sites if s.head and s.head.placeholder)
    click.echo(f"{placeholders} head(s) are placeholders")


@cli.command()
@click.option("--site", "sites", multiple=True, metavar="ID", help="Crawl only this site (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--workers", type=click.IntRange(0, 64), default=1, show_default=True,
              help="With crawl.frontier: local `ronda worker` processes to start (0: remote workers only).")
@click.pass_obj
def crawl(obj: Ctx, sites, quiet, workers):
    """Crawl the enabled sites, extract the signals, store and score them."""
    from ronda import jobs
    from ronda.progress import Progress

    cfg = obj.cfg
    logs.setup(cfg.log.level, cfg.log.file, quiet=quiet)   # on a terminal, log lines go above the progress line
    with Progress(enabled=not quiet and sys.stderr.isatty()) as bar:
        if cfg.crawl.frontier:
            from ronda import coordinator

            result = coordinator.crawl(cfg, obj.db, obj.as_of(cfg.timezone), list(sites) or None,
                                       workers=workers, progress=bar.update)
        else:
            result = jobs.crawl(cfg, obj.db, obj.as_of(cfg.timezone), list(sites) or None, progress=bar.update)
    counts: dict[str, int] = {}
    for v in result.verdicts:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    summary = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    click.echo(f"run {result.run_id} (as of {result.as_of}): {len(result.verdicts)} site(s): {summary}")
    for p in result.problems:
        click.echo(f"Error: {terminal(p)}", err=True)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per enabled site.")
@click.pass_obj
def status(obj: Ctx, as_json):
    """The latest verdict of every enabled site."""
    from ronda import jobs

    cfg = obj.cfg
    rows = jobs.status(cfg, obj.db, obj.as_of(cfg.timezone))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(tables.format_status_table(rows, color=sys.stdout.isatty()))


@cli.command("run")
@click.option("--quiet", "-q", is_flag=True, help="No log lines on stderr (the log file, if configured, still gets them).")
@click.option("--report/--no-report", "with_report", default=None, help="Write the weekly report tonight (default: on report.weekday).")
@click.pass_obj
def run_cmd(obj: Ctx, quiet, with_report):
    """The nightly job: crawl, score, alerts, and the weekly report on its weekday (one at a time per database)."""
    from ronda import jobs
    from ronda.progress import Progress

    cfg = obj.cfg
    logs.setup(cfg.log.level, cfg.log.file, quiet=quiet)
    with Progress(enabled=not quiet and sys.stderr.isatty()) as bar:
        night = jobs.run_night(cfg, obj.db, obj.as_of(cfg.timezone), progress=bar.update, report=with_report)
    counts: dict[str, int] = {}
    for v in night.crawl.verdicts:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    click.echo(f"run {night.crawl.run_id} (as of {night.crawl.as_of}): {len(night.crawl.verdicts)} site(s): "
               + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    if night.alerts is not None:
        click.echo(f"alerts: {night.alerts.summary()}")
        if night.alerts.chat:
            click.echo(f"alerts: {night.alerts.chat.summary()}")
    if night.report:
        click.echo(f"report: {night.report.get('html')}")
    for w in night.warnings:
        click.echo(f"Warning: {terminal(w)}", err=True)
    for p in night.problems:
        click.echo(f"Error: {terminal(p)}", err=True)
    sys.exit(1 if night.problems else 0)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def alerts(obj: Ctx, dry_run, as_json):
    """Decide and send the alerts the rules call for (pending ones from earlier nights included)."""
    from monitors import alerts as alerts_mod

    cfg = obj.cfg
    db = store.open_db(obj.db, create=False)
    try:
        result = alerts_mod.deliver(db, cfg, obj.as_of(cfg.timezone), obj.db, dry_run=dry_run)
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        for a in result.alerts + ([result.digest] if result.digest else []):
            click.echo(f"{a.state:<10} {a.rule:<18} {terminal(a.site or '-'):<24} {terminal(', '.join(a.to))[:40]:<40} "
                       f"{terminal(a.subject)}")
        click.echo(("dry run: " if dry_run else "") + result.summary())
        if result.chat and result.chat.deliveries:
            click.echo(tables.format_chat(result.chat))
    for e in result.errors:
        click.echo(f"Error: {terminal(e)}", err=True)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.option("--week", metavar="YYYY-Www", help="ISO week (default: the last complete week before --as-of).")
@click.option("--out", type=click.Path(file_okay=False), help="Folder (default: report.out beside the database).")
@click.option("--pdf", is_flag=True, help="Also write an A4 PDF through headless Chromium.")
@click.pass_obj
def report(obj: Ctx, week, out, pdf):
    """Write the weekly HTML report (plus CSV, JSON and the index of past weeks); print its path."""
    from reports import weekly

    cfg = obj.cfg
    db = store.open_db(obj.db, create=False)
    try:
        paths = weekly.write(db, cfg, Path(out) if out else weekly.default_out_dir(cfg, obj.db), week,
                             obj.as_of(cfg.timezone), pdf=pdf)
    finally:
        db.conn.close()
    click.echo(str(paths["html"]))
    if pdf:
        click.echo(str(paths["pdf"]))


@cli.command()
@click.argument("site_id", metavar="SITE")
@click.option("--weeks", type=click.IntRange(1, 520), default=12, show_default=True,
              help="How many weeks back from --as-of.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per night.")
@click.pass_obj
def history(obj: Ctx, site_id, weeks, as_json):
    """A site's nights as a timeline: status, score, newest post, completeness, findings, down reason."""
    from datetime import timedelta

    from monitors import history as hist

    cfg = obj.cfg
    as_of = obj.as_of(cfg.timezone)
    db = store.open_db(obj.db, create=False)
    try:
        if site_id not in {s.id for s in cfg.sites} and not hist.known_site(db, site_id):
            raise click.UsageError(f"unknown site id {site_id!r} (not in {obj.config_path} nor in the database)")
        nights = hist.history(db, site_id, as_of, as_of - timedelta(weeks=weeks) + timedelta(days=1))
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps(nights, ensure_ascii=False, indent=2))
    else:
        click.echo(tables.format_history(site_id, nights))


@cli.command()
@click.option("--run", "run_id", type=int, help="Serve this run only (default: the coordinator's current run).")
@click.option("--wait", "wait_s", type=float, default=60, show_default=True, help="Seconds to wait for a run to serve.")
@click.option("--idle", "idle_s", type=float, default=5, show_default=True, help="Exit after the job queue stays empty this long.")
@click.pass_obj
def worker(obj: Ctx, run_id, wait_s, idle_s):
    """Distributed mode: crawl site jobs from the Redis frontier (crawl.frontier) and push their facts there."""
    from ronda import coordinator

    cfg = obj.cfg
    logs.setup(cfg.log.level, cfg.log.file)
    result = coordinator.worker(obj.config_path, run_id=run_id, wait_s=wait_s, idle_s=idle_s)
    click.echo(f"worker: run {result.run_id}: {result.sites} site(s), {result.facts} fact(s)")
    for p in result.problems:
        click.echo(f"Error: {terminal(p)}", err=True)
    sys.exit(1 if result.exit_code or result.problems else 0)


@cli.command()
@click.argument("run_id", type=int)
@click.pass_obj
def ingest(obj: Ctx, run_id):
    """Distributed mode: write a run's facts from the Redis frontier into the database, then score it."""
    from ronda import coordinator

    cfg = obj.cfg
    logs.setup(cfg.log.level, cfg.log.file)
    result = coordinator.ingest(cfg, obj.db, run_id)
    click.echo(f"run {result.run_id} (as of {result.as_of}): {len(result.verdicts)} site(s) scored")
    for p in result.problems:
        click.echo(f"Error: {terminal(p)}", err=True)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.pass_obj
def schedule(obj: Ctx):
    """Long-running scheduler (APScheduler): the nightly job and the weekly report on config's cron lines."""
    from ronda import schedule as sched

    cfg = obj.cfg
    logs.setup(cfg.log.level, cfg.log.file)
    sched.serve(obj.config_path, obj.db)


@cli.command()
@click.argument("target", required=False)
@click.option("--url", help="The URL the saved FILE was fetched from.")
@click.option("--batch", type=click.Path(dir_okay=False), help="JSONL list of {file, url} (paths relative to it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def inspect(obj: Ctx, target, url, batch, as_json):
    """Signals of one page: dates (chosen and rejected), checklist evidence, spam; exit 1 if a signal failed."""
    from ronda import inspect as insp

    items = _checklist_if_configured(obj)
    as_of = obj.as_of()
    if batch:
        ok_all = True
        for out, ok in insp.inspect_batch(Path(batch), as_of, "Asia/Jakarta", items):
            ok_all &= ok
            click.echo(json.dumps(out, ensure_ascii=False))
            _say_signal_errors(out)
        sys.exit(0 if ok_all else 1)
    if not target:
        raise click.UsageError("give a URL, or a FILE with --url, or --batch LIST.jsonl")
    if target.startswith(("http://", "https://")) and not Path(target).exists():
        final, body, headers = insp.fetch(target)
        out = insp.inspect_page(final, body, headers, as_of, items=items)
    else:
        if not Path(target).exists() and _HOST_LIKE.match(target):
            raise click.UsageError(f"{target} is no saved file; a web address needs its scheme: "
                                   f"ronda inspect https://{target}")
        if not url:
            raise click.UsageError("a saved FILE needs --url (the address it was fetched from)")
        out = insp.inspect_file(Path(target), url, as_of, "Asia/Jakarta", items)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(tables.format_inspect(out))
    _say_signal_errors(out)
    sys.exit(1 if out["errors"] else 0)


def _say_signal_errors(out: dict) -> None:
    """A signal that failed on a page is ours to fix: one line each on stderr (the output has them too)."""
    for e in out.get("errors") or ():
        where = out.get("file") or out.get("url")
        click.echo(f"Error: {terminal(where)}: signal {e['signal']} failed: {terminal(e['error'])}", err=True)


def _checklist_if_configured(obj: Ctx) -> tuple:
    """inspect needs no config file; if one is there, its checklist is used."""
    return tuple(checklist.load(obj.cfg.checklist_path() if Path(obj.config_path).exists() else None))


@cli.command()
@click.option("--seed", default=0, show_default=True, help="Seed of the simulated web.")
@click.option("--sites", "n_sites", default=35, show_default=True, help="How many simulated OPD sites.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="Work folder (default: a new kept temporary folder).")
@click.pass_obj
def demo(obj: Ctx, seed, n_sites, folder):
    """Serve the bundled simulated OPD web on 127.0.0.1 and run the whole pipeline on it."""
    from ronda import demo as demo_mod
    from ronda.progress import Progress

    as_of = obj.as_of()
    with Progress(enabled=sys.stderr.isatty()) as bar:
        result = demo_mod.run(as_of=as_of, seed=seed, n_sites=n_sites, folder=folder, progress=bar.update)
    click.echo(tables.format_status_table(result.rows, color=sys.stdout.isatty()))
    click.echo(f"pages: {result.pages}  requests: {result.requests}  wall: {result.seconds:.1f} s")
    if result.discovery is not None:
        from ronda.sites import format_discover

        click.echo("\n" + format_discover(result.discovery) + "\n")
    for key, path in result.paths.items():
        click.echo(f"{key}: {path}")
    for p in result.problems:
        click.echo(f"Error: {terminal(p)}", err=True)
    sys.exit(0 if not result.problems else 1)


# --- chat notifications (monitors/chat.py, docs/notifications.md) ---------------------------------

@cli.command("notify-test")
@click.argument("channel")
@click.pass_obj
def notify_test(obj: Ctx, channel):
    """Send one test message to a chat CHANNEL now, to check its gateway and token (nothing is recorded)."""
    from monitors import chat

    d, error = chat.notify_test(obj.cfg, channel)
    if d is None:
        click.echo(f"Error: {terminal(error)}", err=True)
        sys.exit(2)
    click.echo(f"{d.state} {terminal(d.channel)} {terminal(d.target)}" + (f": {terminal(d.error)}" if d.error else ""))
    sys.exit(0 if d.state == "sent" else 1)


@cli.command("notify-resend")
@click.argument("key")
@click.pass_obj
def notify_resend(obj: Ctx, key):
    """Send an uncertain (or failed) chat delivery again now, by its KEY as `ronda alerts` shows it."""
    from monitors import chat

    cfg = obj.cfg
    db = store.open_db(obj.db, create=False)
    try:
        d, error = chat.resend(db, cfg, key)
    finally:
        db.conn.close()
    if d is None:
        click.echo(f"Error: {terminal(error)}", err=True)
        sys.exit(2)
    click.echo(f"{d.state} {terminal(d.key)} {terminal(d.target)}" + (f": {terminal(d.error)}" if d.error else ""))
    sys.exit(0 if d.state == "sent" else 1)
# --- ronda sites verify | discover (ronda/sites.py) ---------------------------------------------------

@cli.group()
def sites():
    """Check the configured sites' addresses, and find the Pemda's subdomains that nobody monitors."""


@sites.command("verify")
@click.option("--site", "site_ids", multiple=True, metavar="ID", help="Verify only this site (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per site.")
@click.pass_obj
def sites_verify(obj: Ctx, site_ids, as_json):
    """DNS, TLS, HTTP status, redirects, final URL, CMS and title of each site; what to change in sites.yaml."""
    from ronda import sites as sites_mod

    cfg = obj.cfg
    try:
        rows = sites_mod.verify(cfg, obj.as_of(cfg.timezone), list(site_ids) or None)
    except sites_mod.SitesError as e:
        click.echo(f"Error: {terminal(str(e))}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(sites_mod.format_verify(rows))


@sites.command("discover")
@click.option("--ct", "ct_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="A certificate-transparency export: crt.sh's JSON (see docs/operations.md).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def sites_discover(obj: Ctx, ct_file, as_json):
    """Hosts under `domain:` that sites.yaml does not list (portal, last crawl's links, CT), hacked first; stored."""
    from ronda import sites as sites_mod

    cfg = obj.cfg
    try:
        result = sites_mod.discover(cfg, obj.db, obj.as_of(cfg.timezone), ct_file)
    except sites_mod.SitesError as e:
        click.echo(f"Error: {terminal(str(e))}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(sites_mod.format_discover(result))


@cli.command()
@click.argument("site", required=False)
@click.argument("kind", required=False)
@click.option("--url", help="Only the finding at this URL (default: every current finding of KIND on the site).")
@click.option("--note", help="Why: known, being fixed, or a false alarm (required to record).")
@click.option("--by", "by", metavar="NAME", help="Who says so (required to record).")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day it holds (default: 30 days from --as-of).")
@click.option("--undo", "undo_id", type=int, metavar="ID", help="End acknowledgement ID from --as-of on.")
@click.option("--list", "list_", is_flag=True, help="List the acknowledgements in force on --as-of.")
@click.option("--all", "everything", is_flag=True, help="With --list: ended and undone ones too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def ack(obj: Ctx, site, kind, url, note, by, until, undo_id, list_, everything, as_json):
    """Acknowledge a finding or status of a site as known or wrong: it stops alerting while the acknowledgement lasts."""
    from monitors import acks

    cfg = obj.cfg
    on = obj.as_of(cfg.timezone)
    if (list_ or undo_id is not None) and (site or kind or note or until or url):
        _ack_error("--list and --undo take no SITE, KIND, --url, --note or --until")
    if not list_ and undo_id is None and not (site and kind and note and by):
        _ack_error("give SITE KIND --note TEXT --by NAME (or --undo ID, or --list)")
    db = store.open_db(obj.db, create=False)
    try:
        if list_:
            out = acks.listing(db, on, everything)
        elif undo_id is not None:
            out = acks.undo(db, undo_id, on=on, by=by)
        else:
            out = acks.record(db, cfg, site, kind, url=url, note=note, by=by, until=until, on=on)
    except acks.AckError as e:
        _ack_error(str(e))
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for a in out if list_ else [out]:
        click.echo(tables.format_ack(a))
    if list_ and not out:
        click.echo(f"no acknowledgement in force on {on}")


def _ack_error(message: str) -> None:
    click.echo(f"Error: {terminal(message)}", err=True)
    sys.exit(2)


def main() -> None:
    cli(prog_name="ronda")


if __name__ == "__main__":
    main()
