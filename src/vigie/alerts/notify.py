"""Sending an alert: a webhook (signed JSON POST, through httpx) or an e-mail (smtplib)."""
from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Any

from vigie.alerts.config import AlertConfig
from vigie.alerts.model import Alert

SIGNATURE_HEADER = "X-Vigie-Signature"


class NotifyError(Exception):
    """An alert could not be delivered (after the retries)."""


def sign(body: bytes, secret: str) -> str:
    """The value of X-Vigie-Signature: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_of(alert: Alert) -> bytes:
    return json.dumps(alert.payload(), ensure_ascii=False, sort_keys=True).encode("utf-8")


def send_webhook(url: str, alert: Alert, config: AlertConfig, sleep: Any = time.sleep) -> None:
    """POST the alert's JSON to `url`, signed with the configured secret; retried after a connection error, a 429 or
    a 5xx. NotifyError when it never got a 2xx."""
    import httpx

    body = body_of(alert)
    headers = {"Content-Type": "application/json", "User-Agent": "vigie-alerts"}
    if config.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, config.webhook_secret)
    problem = ""
    for attempt in range(config.webhook_retries + 1):
        if attempt:
            sleep(min(0.5 * 2 ** (attempt - 1), 5.0))
        try:
            answer = httpx.post(url, content=body, headers=headers, timeout=config.webhook_timeout)
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {exc}"
            continue
        if 200 <= answer.status_code < 300:
            return
        problem = f"HTTP {answer.status_code}"
        if answer.status_code != 429 and answer.status_code < 500:
            break
    raise NotifyError(f"webhook {url}: {problem}")


def send_email(address: str, alert: Alert, config: AlertConfig) -> None:
    """Send the alert as a plain-text e-mail through the configured SMTP server. NotifyError when it failed."""
    if not config.smtp_host:
        raise NotifyError(f"e-mail to {address}: VIGIE_SMTP_HOST is not set")
    message = EmailMessage()
    message["From"] = config.smtp_from
    message["To"] = address
    message["Subject"] = f"[vigie] {alert.title}"
    message.set_content(alert.text())
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.smtp_timeout) as smtp:
            smtp.ehlo()
            if config.smtp_starttls == "1" or (config.smtp_starttls == "auto" and smtp.has_extn("starttls")):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"e-mail to {address}: {type(exc).__name__}: {exc}") from exc


def channels(notify: dict[str, Any]) -> list[str]:
    """The channels of a saved search's targets: ``webhook:URL``, ``email:ADDRESS``; ``print`` when it has none."""
    found = [f"webhook:{u}" for u in notify.get("webhooks") or [] if str(u).strip()]
    found += [f"email:{a}" for a in notify.get("emails") or [] if str(a).strip()]
    return found or ["print"]


def deliver(channel: str, alert: Alert, config: AlertConfig) -> None:
    """Send an alert through one channel (``print`` sends nothing: the caller shows it)."""
    kind, _, target = channel.partition(":")
    if kind == "webhook":
        send_webhook(target, alert, config)
    elif kind == "email":
        send_email(target, alert, config)
    elif kind != "print":
        raise NotifyError(f"unknown channel {channel!r}")
