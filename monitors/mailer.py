"""Sending e-mail: multipart messages with stable Message-IDs, through SMTP or into an outbox of .eml files."""
from __future__ import annotations

import hashlib
import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from typing import Mapping, Sequence

from base.config import Config, Smtp
from base.safe import terminal

PASSWORD_ENV = "RONDA_SMTP_PASSWORD"


@dataclass(frozen=True)
class Outcome:
    """What one send did: state sent | pending (retry next run) | failed (permanent), and why."""

    state: str
    error: str | None = None
    stop: bool = False
    """The server or the connection is unusable: leave the rest of the batch pending."""


def message_id(key: str, from_addr: str) -> str:
    """A Message-ID derived from the idempotency key, so a resend is recognisably the same message."""
    domain = parseaddr(from_addr)[1].rpartition("@")[2] or "ronda.invalid"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<ronda.{digest}@{re.sub(r'[^A-Za-z0-9.-]', '', domain) or 'ronda.invalid'}>"


def _address(value: str) -> str:
    # configured names may still carry CR/LF; formataddr quotes and encodes the rest
    name, addr = parseaddr(terminal(value))
    return formataddr((" ".join(name.split()), addr)) if name else addr


def build(*, from_: str, to: Sequence[str], cc: Sequence[str], subject: str, text: str, html: str,
          msg_id: str, references: str | None = None, reply_to: Sequence[str] = ()) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML); `reply_to`: where "balas ke Diskominfo" goes."""
    msg = EmailMessage()
    msg["From"] = _address(from_)
    msg["To"] = ", ".join(_address(a) for a in to)
    if cc:
        msg["Cc"] = ", ".join(_address(a) for a in cc)
    if reply_to:
        msg["Reply-To"] = ", ".join(_address(a) for a in reply_to)
    msg["Subject"] = " ".join(terminal(subject).split())
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = msg_id
    if references:
        msg["References"] = references
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


class Outbox:
    """The embedded default: one .eml file per message, written atomically (temp file + rename)."""

    name = "outbox"

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, msg: EmailMessage, key: str, recipients: Sequence[str]) -> Outcome:
        """Write the message; the file name comes from the key, so a retry replaces rather than doubles."""
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", key).strip("_")[:150] + ".eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                f.write(msg.as_bytes())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.folder / name)
        except OSError as e:
            return Outcome("pending", f"outbox {self.folder}: {e.strerror or e}", stop=True)
        return Outcome("sent")


class SmtpSender:
    """One SMTP session for a batch: connects on first use, classifies every failure."""

    name = "smtp"

    def __init__(self, smtp: Smtp, password: str | None, base_dir: Path | None):
        self.smtp = smtp
        self.password = password
        self.base_dir = base_dir
        self.conn: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpSender":
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the messages are already accepted; a failed goodbye changes nothing
            self.conn = None

    def _context(self) -> ssl.SSLContext:
        ca = self.smtp.ca_file
        if ca and self.base_dir is not None and not Path(ca).is_absolute():
            ca = str(self.base_dir / ca)
        return ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        s = self.smtp
        if s.security == "ssl":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=self._context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            if s.security == "starttls":
                conn.ehlo()
                conn.starttls(context=self._context())
                conn.ehlo()
        if s.user:
            if not self.password:
                conn.close()
                raise smtplib.SMTPAuthenticationError(530, f"{PASSWORD_ENV} is not set".encode())
            conn.login(s.user, self.password)
        return conn

    def send(self, msg: EmailMessage, key: str, recipients: Sequence[str]) -> Outcome:
        """Send one message; connection trouble and 4xx keep it pending, 5xx rejections fail it."""
        where = f"smtp {self.smtp.host}:{self.smtp.port}"
        try:
            if self.conn is None:
                self.conn = self._connect()
            refused = self.conn.send_message(msg, to_addrs=list(recipients))
        except smtplib.SMTPRecipientsRefused as e:
            permanent = all(code >= 500 for code, _ in e.recipients.values())
            return Outcome("failed" if permanent else "pending", f"{where}: recipients refused: {_refusals(e.recipients)}")
        except smtplib.SMTPDataError as e:
            return Outcome("failed" if e.smtp_code >= 500 else "pending", f"{where}: {e.smtp_code} {_text(e.smtp_error)}")
        except smtplib.SMTPResponseException as e:
            # sender refused, authentication, HELO: the whole session is unusable until an operator acts
            self._drop()
            return Outcome("pending", f"{where}: {e.smtp_code} {_text(e.smtp_error)}", stop=True)
        except (smtplib.SMTPException, OSError) as e:
            self._drop()
            return Outcome("pending", f"{where}: {terminal(e) or type(e).__name__}", stop=True)
        if refused:
            return Outcome("sent", f"{where}: some recipients refused: {_refusals(refused)}")
        return Outcome("sent")

    def _drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass  # already broken
            self.conn = None


def _text(b: bytes | str) -> str:
    return terminal(b.decode("utf-8", "replace") if isinstance(b, bytes) else b, 300)


def _refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{a} {code} {_text(m)}" for a, (code, m) in refused.items())


def transport(cfg: Config, db_path: str | Path, env: Mapping[str, str]) -> Outbox | SmtpSender:
    """SMTP when configured (password from the environment), else the outbox beside the database."""
    if cfg.mail.smtp is not None:
        base = cfg.path.parent if cfg.path else None
        return SmtpSender(cfg.mail.smtp, env.get(PASSWORD_ENV), base)
    return Outbox(outbox_dir(cfg, db_path))


def outbox_dir(cfg: Config, db_path: str | Path) -> Path:
    """`mail.outbox`, relative to the database's folder."""
    out = Path(cfg.mail.outbox)
    return out if out.is_absolute() else Path(db_path).resolve().parent / out
