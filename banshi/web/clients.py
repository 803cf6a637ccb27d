"""Who is calling: the client's address (honouring only trusted proxies) and the device.

The address is REMOTE_ADDR unless that is one of `BANSHI_TRUSTED_PROXIES`; then the
X-Forwarded-For chain is read from the right, past every trusted proxy, and the first address
that is not one is the client (anything further left was typed by the client and proves
nothing). The device is a random id the H5 pages keep in a signed cookie, or what an API
caller sends as `X-Banshi-Device`; it names no person and is used only to count submissions.
"""

import ipaddress
import re
import secrets
from functools import lru_cache, wraps

from django.conf import settings
from django.utils.crypto import salted_hmac

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEVICE_COOKIE = "banshi_device"
DEVICE_SALT = "banshi.web.device"
DEVICE_HEADER = "HTTP_X_BANSHI_DEVICE"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
_DEVICE_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


@lru_cache(maxsize=16)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in _networks(tuple(settings.BANSHI_TRUSTED_PROXIES)))


def _parse(text: str) -> IPAddress | None:
    """An address as proxies write it: bare, or with a port ("1.2.3.4:80", "[::1]:80")."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(request) -> str:
    """The calling client's IP address, as far as the trusted proxies vouch for it."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return "unknown"
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while _trusted(peer) and chain:
        hop = _parse(chain.pop())
        if hop is None:  # garbage: nothing further left can be vouched for
            break
        peer = hop
    return str(peer)


def address_bucket(request) -> str:
    """The client's address as counted: an IPv6 address by its /64, which one phone can roam
    over."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def submitter_key(request) -> str:
    """Who submitted, for counting distinct residents of anonymous appeals: the device, or
    the address when there is no device, as a keyed hash (salted with the secret key; the
    raw address is never stored)."""
    source = device_id(request) or f"a:{address_bucket(request)}"
    return salted_hmac("banshi.web.submitter", source).hexdigest()[:32]


def device_id(request) -> str | None:
    """The caller's device: the H5 pages' signed cookie, or an API caller's header."""
    cookie = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    if cookie:
        return f"c:{cookie}"
    header = request.META.get(DEVICE_HEADER, "").strip()
    return f"h:{header}" if _DEVICE_ID.fullmatch(header) else None


def with_device_cookie(view):
    """Give a phone that has none a device cookie along with the page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT) is None:
            response.set_signed_cookie(
                DEVICE_COOKIE, secrets.token_urlsafe(16), salt=DEVICE_SALT,
                max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE)
        return response

    return wrapped
