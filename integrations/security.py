"""Webhook targets must be public http(s) addresses: no requests into our own network (SSRF)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_target_url(url: str) -> None:
    """Raise ValidationError unless `url` is http(s) and every address its host resolves to is public
    (private ones are allowed where settings.KAM_WEBHOOK_ALLOW_PRIVATE says so)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("The target URL must start with http:// or https:// and name a host."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise ValidationError(_("The host of the target URL cannot be resolved.")) from error
    if getattr(settings, "KAM_WEBHOOK_ALLOW_PRIVATE", False):
        return
    if not infos or not all(_is_public(str(info[4][0])) for info in infos):
        raise ValidationError(_("The target URL must resolve to a public internet address."))
