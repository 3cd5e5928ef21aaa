"""Rebuild the held-out set of real government pages (benchmarks/realpages/) in a local folder.

Run: python benchmarks/realpages_fetch.py [--out DIR] [--mirrors DIR] [--manifest FILE] [--repos] [--check]

The set's pages are third-party pages and never enter ronda's repository: the repository holds only the manifest
(where each page comes from) and the labels. This script writes each page to DIR/<id>.html (default
~/.cache/ronda/realpages/), reading it with `git show <commit>:<path>` from a local snapshot of the public
repository that holds it. It makes no network request: the snapshots must already be on this machine, one
directory per repository, <mirrors>/<owner>+<name>/repo (a git work tree or a bare git directory), which is where
the workplace's `fetch` tool puts them (default --mirrors /work/.mirror). `--repos` prints the repositories to fetch.

Pages with "source": "pages" come from a store of public web pages that a script cannot query; their stored text
is kept in DIR/<id>.txt by the person who collected them, and this script only checks that it is there.

Each manifest line may carry "sha256", the digest of the page's bytes when it was collected; a page whose bytes
differ is reported and not written. Exit code: 0 when every page is in DIR, 1 otherwise. This script does not run
ronda: scoring the set is the job of a separate benchmark, written after the labels were committed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MANIFEST = HERE / "realpages" / "manifest.jsonl"
DEFAULT_OUT = Path.home() / ".cache" / "ronda" / "realpages"
DEFAULT_MIRRORS = Path("/work/.mirror")


def read_manifest(path: Path) -> list[dict]:
    """The manifest's rows, in order; a blank line is skipped."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if "id" not in row or row.get("source") not in ("github", "pages"):
                raise SystemExit(f"{path}:{n}: a row needs an id and a source of 'github' or 'pages'")
            rows.append(row)
    return rows


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The git directory of a local snapshot of owner/name, or None when it is not here."""
    base = mirrors / repo.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def page_bytes(gd: Path, commit: str, path: str) -> bytes | None:
    """The file's bytes at that commit, or None when git cannot show it."""
    run = subprocess.run(["git", "--git-dir", str(gd), "show", f"{commit}:{path}"], capture_output=True)
    return run.stdout if run.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST, help="manifest.jsonl (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the pages (default: %(default)s)")
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS,
                        help="folder of repository snapshots, <owner>+<name>/repo (default: %(default)s)")
    parser.add_argument("--repos", action="store_true", help="print the repositories the set needs, and whether "
                                                             "each snapshot is here, then stop")
    parser.add_argument("--check", action="store_true", help="write nothing: report the pages missing from --out or "
                                                             "differing from the manifest's sha256")
    args = parser.parse_args(argv)

    rows = read_manifest(args.manifest)
    if args.repos:
        for repo in sorted({r["repo"] for r in rows if r["source"] == "github"}):
            here = "here" if git_dir(args.mirrors, repo) else "MISSING (fetch github:" + repo + ")"
            print(f"{repo}\t{here}")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    missing = 0
    for row in rows:
        pid = row["id"]
        if row["source"] == "pages":
            target = args.out / f"{pid}.txt"
            if not target.is_file():
                missing += 1
                print(f"{pid}: stored page text not in {target} (kept by the collector; see README)", file=sys.stderr)
            continue
        target = args.out / f"{pid}.html"
        if args.check:
            if not target.is_file():
                missing += 1
                print(f"{pid}: not in {target}", file=sys.stderr)
            elif row.get("sha256") and hashlib.sha256(target.read_bytes()).hexdigest() != row["sha256"]:
                missing += 1
                print(f"{pid}: {target} differs from the collected page", file=sys.stderr)
            continue
        gd = git_dir(args.mirrors, row["repo"])
        if gd is None:
            missing += 1
            print(f"{pid}: no snapshot of {row['repo']} under {args.mirrors}", file=sys.stderr)
            continue
        data = page_bytes(gd, row["commit"], row["path"])
        if data is None:
            missing += 1
            print(f"{pid}: {row['repo']} has no {row['path']} at {row['commit'][:12]}", file=sys.stderr)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if row.get("sha256") and row["sha256"] != digest:
            missing += 1
            print(f"{pid}: bytes differ from the collected page (sha256 {digest[:12]})", file=sys.stderr)
            continue
        target.write_bytes(data)
    done = len(rows) - missing
    print(f"{done}/{len(rows)} pages in {args.out}" + (" (checked)" if args.check else ""))
    return 0 if missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
