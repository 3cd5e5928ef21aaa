"""Terminal tables of the CLI's results: plain text, crawled text made inert, one function per command."""
from __future__ import annotations

import click

from base.safe import terminal

STATUS_COLOURS = {"active": "green", "stale": "yellow", "idle": "red", "down": "bright_black", "compromised": "magenta"}


def format_status_table(rows: list[dict], color: bool = False) -> str:
    """A readable terminal table of status rows (crawled text made inert)."""
    head = f"{'site':<24} {'status':<12} {'score':>5} {'last update':<11} {'days':>5} {'compl.':>6}  note"
    lines = [head, "-" * len(head)]
    for r in rows:
        st = r["status"] or "-"
        cell = f"{st:<12}"
        if color and r["status"]:
            cell = click.style(cell, fg=STATUS_COLOURS.get(st))
        days = "" if r["days_since_update"] is None else str(r["days_since_update"])
        note = r["reason"] or ", ".join(sorted({f["kind"] for f in r.get("integrity") or []})) or ""
        if r.get("integrity_state") == "unknown":
            note = (note + " integrity unknown").strip()
        if r.get("truncated"):
            note = (note + " truncated" + (f" ({r['truncated_by']})" if r.get("truncated_by") else "")).strip()
        if r["status"] is None:  # never checked: unknown, not zero
            comp, score, note = "-", "-", (note + " not checked yet").strip()
        else:
            comp = "n/a" if r["completeness"] is None else f"{r['completeness']}%"  # not judged (a puskesmas, a portal)
            score = r["score"]
        lines.append(f"{terminal(r['site'])[:24]:<24} {cell} {score:>5} {r['last_update'] or '-':<11} "
                     f"{days:>5} {comp:>6}  {terminal(note)[:40]}")
    return "\n".join(lines)


def format_history(site_id: str, nights: list[dict]) -> str:
    """The timeline as a terminal table, oldest night first (crawled text made inert)."""
    if not nights:
        return f"{terminal(site_id)}: no night recorded in this period"
    head = f"{'date':<10}  {'status':<11} {'score':>5} {'compl.':>6}  {'newest post':<17} note"
    lines = [f"{terminal(site_id)}: {len(nights)} night(s), {nights[0]['as_of']} to {nights[-1]['as_of']}", head,
             "-" * len(head)]
    for n in nights:
        post = "-" if not n["last_update"] else f"{n['last_update']} ({n['days_since_update']} d)"
        comp = "n/a" if n["completeness"] is None else f"{n['completeness']}%"
        note = [n["reason"] or "", ", ".join(n["findings"]),
                "integrity unknown" if n["integrity_state"] == "unknown" else "",
                f"truncated ({n['truncated_by']})" if n["truncated_by"] else "",
                "acknowledged: " + ", ".join(f"{a['kind']} #{a['id']}" for a in n["acks"]) if n["acks"] else "",
                n["last_update_url"] or ""]
        lines.append(f"{n['as_of']:<10}  {n['status'] or '-':<11} {n['score'] if n['score'] is not None else '-':>5} "
                     f"{comp:>6}  {post:<17} {terminal('  '.join(x for x in note if x))}")
    return "\n".join(lines)


def format_inspect(out: dict) -> str:
    """One saved or fetched page's signals: its dates, checklist evidence, spam findings and errors."""
    unknown = " unknown (the signal failed: see errors)"
    lines = [f"url:       {terminal(out['url'])}", f"published: {out['published'] or '-'}",
             f"modified:  {out['modified'] or '-'}", "dates:" + (unknown if out["dates"] is None else "")]
    for d in out["dates"] or ():
        mark = f"rejected: {d['rejected']}" if d.get("rejected") else "ok"
        lines.append(f"  {d['date']}  {d['source']:<11} {mark:<28} {terminal(d.get('text') or '')[:60]}")
    lines.append("checklist:" + (unknown if out["checklist"] is None else ""))
    for item, ev in (out["checklist"] or {}).items():
        lines.append(f"  {item:<26} {terminal(ev)}")
    lines.append("spam:" + (unknown if out["spam"] is None else "" if out["spam"] else " none"))
    for s in out["spam"] or ():
        lines.append(f"  {s['kind']:<14} {terminal(s['evidence'])[:80]}")
    lines.append("errors:" + ("" if out["errors"] else " none"))
    for e in out["errors"]:
        lines.append(f"  {e['signal']:<14} {terminal(e['error'])}")
    return "\n".join(lines)


def format_chat(result) -> str:
    """One line per chat delivery: state, kind, channel, key, the URL in privacy form (and the error); then the counts."""
    lines = [f"{d.state:<10} chat-{d.kind:<13} {terminal(d.channel):<24} {terminal(d.key)} {terminal(d.target)}"
             + (f"  ({terminal(d.error)})" if d.error else "") for d in result.deliveries]
    return "\n".join(lines + [("dry run: " if result.dry_run else "") + result.summary()])


def format_ack(a: dict) -> str:
    """One acknowledgement as one line: id, site, kind, period, who and why (and when it was undone)."""
    line = (f"{'#' + str(a['id']):<5} {terminal(a['site']):<24} {a['kind']:<13} {a['since']} .. {a['until']}  "
            f"by {terminal(a['by'])}: {terminal(a['note'])}" + (f"  [{terminal(a['url'])}]" if a["url"] else ""))
    if a["undone_on"]:
        line += f"  (undone {a['undone_on']}" + (f" by {terminal(a['undone_by'])})" if a["undone_by"] else ")")
    return line
