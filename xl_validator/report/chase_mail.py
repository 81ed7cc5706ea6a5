"""Email drafts of the chase lists, one per social worker, for the analyst to check and send.

Each draft is a standard .eml file: multipart/mixed holding a plain-text and an HTML body
(multipart/alternative) and the worker's chase CSV. ``X-Unsent: 1`` makes Outlook open it as a
new message ready to send; other mail programs open it as a message to forward or copy from.
There is no Date or Message-ID: those belong to the moment of sending, and the mail program
adds both when the analyst sends it (a draft dated when it was generated, or two sends with
one Message-ID, would mislead). Nothing here sends anything.
"""
from __future__ import annotations

import io
import secrets
from email.encoders import encode_base64
from email.generator import BytesGenerator
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr
from html import escape

from ..read.workers import Worker
from .chase import NO_WORKER
from .chase_files import day

STYLE_TABLE = "border-collapse:collapse;font-family:Calibri,Arial,sans-serif;font-size:10.5pt"
STYLE_CELL = "border:1px solid #9BB7D4;padding:4px 6px;vertical-align:top;text-align:left"
STYLE_HEAD = STYLE_CELL + ";background:#1F4E78;color:#FFFFFF"
OPEN_HEADS = ["Child", "What to check", "Where", "Current value", "Since"]
KEEP_INSIDE = ("This message lists children's identifiers from the 903 return. Keep it inside the council's "
               "email system: do not forward it outside the council.")


def _since(status: str, since) -> str:
    return "new" if status == "new" else day(since)


def _open_rows(items: list[dict]) -> list[list[str]]:
    return [[r["child"], r["problem"], r["what_to_check"], r["where"], r["values"], _since(r["status"], r["since"])]
            for r in items]


def _greeting(sw: str, worker: Worker | None) -> str:
    if sw == NO_WORKER:
        return "Hello,"
    return f"Hello {worker.name}," if worker is not None and worker.name else f"Hello ({sw}),"


def _intro(sw: str, year: str, items: list[dict], fixed: list[dict]) -> list[str]:
    whose = ("children for whom the return records no social worker" if sw == NO_WORKER
             else "children allocated to you")
    lines = [f"We are checking the {year} 903 return (the information about children looked after that the "
             "council sends to the Department for Education) against the Department's rules."]
    if len(items):
        new = sum(r["status"] == "new" for r in items)
        known = f" ({new} new since the last reminder)" if any(r["status"] for r in items) else ""
        lines.append(f"The {len(items)} record{'s' if len(items) != 1 else ''} below, for {whose}, "
                     f"{'do' if len(items) != 1 else 'does'} not pass the Department's checks{known}. Please "
                     "check each one on the child's case record and correct it there, or reply to say the record "
                     "is right as it is.")
    else:
        lines.append(f"Nothing is waiting for {whose} now.")
    if len(fixed):
        lines.append(f"Thank you for the {len(fixed)} corrected since the last reminder: they are listed at "
                     "the end.")
    return lines


def text_body(sw, worker, year, items, fixed, attachment: str | None) -> str:
    out = [_greeting(sw, worker), "", *[line + "\n" for line in _intro(sw, year, items, fixed)]]
    for child, problem, check, where, values, since in _open_rows(items):
        when = "" if not since else " (new)" if since == "new" else f" (open since {since})"
        out += [f"Child {child} - {where}{when}", f"  What is wrong: {problem}",
                f"  What to check: {check}", f"  Current value: {values or '(blank)'}", ""]
    if len(fixed):
        out.append("Corrected since the last reminder - thank you:")
        out += [f"  Child {r['child']}: {r['problem']}" for r in fixed]
        out.append("")
    if attachment:
        out.append(f"The attached {attachment} lists the same records, to sort or filter in Excel.")
    out += ["", KEEP_INSIDE]
    return "\n".join(out) + "\n"


def _cell(text: str, head: bool = False) -> str:
    tag = "th" if head else "td"
    return f'<{tag} style="{STYLE_HEAD if head else STYLE_CELL}">{text}</{tag}>'


def html_body(sw, worker, year, items, fixed, attachment: str | None) -> str:
    """The HTML body; every value from the return is escaped."""
    e = escape
    parts = [f"<p>{e(_greeting(sw, worker))}</p>", *[f"<p>{e(line)}</p>" for line in _intro(sw, year, items, fixed)]]
    if len(items):
        rows = ["<tr>" + "".join(_cell(h, True) for h in OPEN_HEADS) + "</tr>"]
        for child, problem, check, where, values, since in _open_rows(items):
            rows.append("<tr>" + _cell(e(child)) + _cell(f"<b>{e(problem)}</b><br>{e(check)}") + _cell(e(where))
                        + _cell(e(values) or "<i>(blank)</i>") + _cell(e(since)) + "</tr>")
        parts.append(f'<table style="{STYLE_TABLE}">{"".join(rows)}</table>')
    if len(fixed):
        parts.append("<p><b>Corrected since the last reminder &ndash; thank you:</b></p><ul>"
                     + "".join(f"<li>Child {e(r['child'])}: {e(r['problem'])}</li>" for r in fixed)
                     + "</ul>")
    if attachment:
        parts.append(f"<p>The attached {e(attachment)} lists the same records, to sort or filter in Excel.</p>")
    parts.append(f'<p style="color:#595959;font-size:9pt">{e(KEEP_INSIDE)}</p>')
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
            f'<body style="font-family:Calibri,Arial,sans-serif;font-size:11pt">{"".join(parts)}</body></html>')


def _boundary() -> str:
    """A multipart boundary of the usual form, random. Chosen here, not by the generator, which
    would search the whole message for it first (a fifth of a draft's time): every part is base64,
    and base64 never holds a run of '='."""
    return f"{'=' * 15}{secrets.randbelow(10 ** 19):019d}=="


def draft(sw: str, worker: Worker | None, year: str, items: list[dict], fixed: list[dict],
          attachment: tuple[str, bytes] | None = None, to: str = "") -> MIMEMultipart:
    """One worker's draft from their chase list rows and fixed rows (as records, ``chase_list`` and
    ``fixed_list`` columns): ``to`` the address ('' leaves it for the analyst to fill in). Built with
    the classic ``email.mime`` classes: ten times quicker than ``EmailMessage`` for the same MIME."""
    msg = MIMEMultipart("mixed", boundary=_boundary())
    if to:
        msg["To"] = formataddr((worker.name if worker is not None else "", to), charset="utf-8")
    who = "children with no known social worker" if sw == NO_WORKER else "your children"
    subject = (f"903 return {year}: {len(items)} record{'s' if len(items) != 1 else ''} to check for {who}"
               if len(items) else f"903 return {year}: thank you for the corrections")
    msg["Subject"] = Header(subject, "utf-8") if not subject.isascii() else subject
    msg["X-Unsent"] = "1"
    name = attachment[0] if attachment else None
    body = MIMEMultipart("alternative", boundary=_boundary())
    body.attach(MIMEText(text_body(sw, worker, year, items, fixed, name), "plain", "utf-8"))
    body.attach(MIMEText(html_body(sw, worker, year, items, fixed, name), "html", "utf-8"))
    msg.attach(body)
    if attachment:
        part = MIMEBase("text", "csv")
        part.set_payload(attachment[1])
        encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename=attachment[0])
        msg.attach(part)
    return msg


_EML = compat32.clone(linesep="\r\n", max_line_length=0)  # headers here are short: no folding (half the time)


def draft_bytes(msg) -> bytes:
    """The .eml file: CRLF line ends, as mail programs expect."""
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_EML).flatten(msg)
    return out.getvalue()
