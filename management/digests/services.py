"""Sending the digests: once a day at most per user and digest, never an empty one."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from accounts.models import PersonalDataAccess, User
from accounts.services import personal_data_access_log

from ..models import DigestSubscription
from .daily import DailyDigest
from .kinds import DAILY, KINDS, WEEKLY
from .render import DigestMail, digest_render

SENT_ON = {DAILY: "daily_sent_on", WEEKLY: "weekly_sent_on"}


def subscription_get(*, user: User) -> DigestSubscription:
    """The user's digest preferences (both digests on until unsubscribed)."""
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    return subscription


def digest_subscribed(subscription: DigestSubscription, kind: str) -> bool:
    return bool(getattr(subscription, kind))


def digest_unsubscribe(*, user_id: int, kind: str) -> DigestSubscription | None:
    """Stop the digest `kind` for the user (None: no such user or digest)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or kind not in KINDS:
        return None
    subscription = subscription_get(user=user)
    setattr(subscription, kind, False)
    subscription.save(update_fields=[kind])
    return subscription


def _mail(user: User, mail: DigestMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(mail.html, "text/html")
    return message


def log_birthdays_shown(user: User, mail: DigestMail) -> None:
    """Birthdays are personal data: one access-log row per digest that shows any."""
    if isinstance(mail.content, DailyDigest):
        contacts = [b.contact for b in mail.content.birthdays]
        personal_data_access_log(user=user, contacts=contacts, channel=PersonalDataAccess.Channel.PAGE)


def digest_send(*, user: User, kind: str, today: dt.date) -> bool:
    """Send `user` the digest `kind` of `today` unless already sent today, unsubscribed or empty."""
    subscription_get(user=user)
    with transaction.atomic():
        subscription = DigestSubscription.objects.select_for_update().get(user=user)
        if not digest_subscribed(subscription, kind) or getattr(subscription, SENT_ON[kind]) == today:
            return False
        mail = digest_render(user=user, kind=kind, today=today)
        if mail.is_empty:
            return False
        _mail(user, mail).send(fail_silently=False)
        log_birthdays_shown(user, mail)
        setattr(subscription, SENT_ON[kind], today)
        subscription.save(update_fields=[SENT_ON[kind]])
    return True


def recipients(kind: str) -> list[User]:
    role = User.Role.KAM if kind == DAILY else User.Role.HEAD
    return list(User.objects.filter(is_active=True, role=role).exclude(email="").order_by("pk"))


def digests_send(*, kind: str, today: dt.date) -> int:
    """The digest `kind` to everyone who receives it; how many were sent."""
    return sum(digest_send(user=user, kind=kind, today=today) for user in recipients(kind))
