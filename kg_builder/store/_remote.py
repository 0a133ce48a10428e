"""What push and remote queries share: credentials, HTTP authentication, and secrets kept out of text.

Credentials come from the URL (``http://user:password@host/…``, taken out of the URL before any
request) or from the environment (``KG_PUSH_*`` for push, ``KG_QUERY_*`` for remote queries):
``…_TOKEN`` for a bearer token, ``…_USER`` / ``…_PASSWORD`` for a user. The scheme is chosen by
``auth``:

    auto     a token is sent as a bearer token; a user answers the server's 401 challenge with
             Digest or Basic, as the server asks (nothing is sent before the server asks)
    basic    HTTP Basic, sent with every request
    digest   HTTP Digest (RFC 7616 as httpx implements it), e.g. Virtuoso's /sparql-graph-crud-auth
    bearer   ``Authorization: Bearer TOKEN``
    none     no credentials at all

Every message, exception and httpx log line made while talking to the server shows the URL with
the password and secret-looking query values (``?token=``, ``?apikey=``, ``?password=`` …)
replaced by ``***``.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

import httpx

AUTH_MODES = ("auto", "basic", "digest", "bearer", "none")
#: Query-string keys whose values are secrets (matched anywhere in the key, any case).
_SECRET_KEY = re.compile(r"pass|pwd|token|key|secret|auth|sig|credential|session", re.IGNORECASE)
#: ``scheme://user:password@`` anywhere in a text, for URLs we did not build ourselves.
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.\-]*://[^/\s:@]*):[^/\s@]*@", re.IGNORECASE)
_SHORTEST_SECRET = 3  # shorter values would blank out ordinary words of a message


def redact_url(url: str) -> str:
    """``url`` with the userinfo password and secret query values replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _USERINFO.sub(r"\1:***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = "&".join(
        f"{quote(k, safe='')}={'***' if _SECRET_KEY.search(k) else quote(v, safe='')}"
        for k, v in parse_qsl(parts.query, keep_blank_values=True)) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


@dataclass(frozen=True)
class Remote:
    """A server URL ready to use: credentials taken out, the auth to send, and how to show it."""

    url: str  #: the URL requests go to (userinfo removed; query string kept, the server needs it)
    shown: str  #: the URL as messages show it
    auth: httpx.Auth | None
    secrets: tuple[str, ...] = ()

    def scrub(self, text: str) -> str:
        """``text`` with our URL shown redacted and every secret we hold replaced by ``***``."""
        text = _USERINFO.sub(r"\1:***@", text)
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    @contextlib.contextmanager
    def quiet_logs(self) -> Iterator[None]:
        """Scrub secrets from httpx's own log records (``HTTP Request: PUT URL …``) meanwhile."""
        scrub = self.scrub

        class _Scrub(logging.Filter):
            def filter(self, record: logging.LogRecord) -> bool:
                message = record.getMessage()
                cleaned = scrub(message)
                if cleaned != message:
                    record.msg, record.args = cleaned, ()
                return True

        loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
        flt = _Scrub()
        for logger in loggers:
            logger.addFilter(flt)
        try:
            yield
        finally:
            for logger in loggers:
                logger.removeFilter(flt)


def remote(url: str, *, auth: str = "auto", env: Mapping[str, str] | None = None,
           env_prefix: str = "KG_PUSH", error: type[Exception] = ValueError) -> Remote:
    """Take credentials out of ``url`` (or from ``{env_prefix}_USER`` … in ``env``) and pick the auth.

    Raises ``error`` (naming the redacted URL) for a URL that is not http(s), an unknown ``auth``,
    or an ``auth`` that lacks what it needs (a user for basic/digest, a token for bearer).
    """
    env = os.environ if env is None else env
    shown = redact_url(url)
    if auth not in AUTH_MODES:
        raise error(f"{shown}: unknown auth {auth!r} (use one of {', '.join(AUTH_MODES)})")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise error(f"{shown}: not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise error(f"{shown}: not an http(s) URL")
    user = password = None
    if parts.username is not None:
        user, password = unquote(parts.username), unquote(parts.password or "")
        netloc = parts.netloc.rsplit("@", 1)[1]
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    elif env.get(f"{env_prefix}_USER"):
        user, password = env[f"{env_prefix}_USER"], env.get(f"{env_prefix}_PASSWORD", "")
    token = env.get(f"{env_prefix}_TOKEN") or None
    secrets = [s for s in (password, token) if s and len(s) >= _SHORTEST_SECRET]
    secrets += [v for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if _SECRET_KEY.search(k) and len(v) >= _SHORTEST_SECRET]
    secrets += [quote(s, safe="") for s in secrets if quote(s, safe="") != s]
    needs_user = f"set {env_prefix}_USER and {env_prefix}_PASSWORD, or put user:password@ in the URL"
    if auth == "none":
        chosen: httpx.Auth | None = None
    elif auth == "bearer":
        if not token:
            raise error(f"{shown}: --auth bearer needs a token in {env_prefix}_TOKEN")
        chosen = _Bearer(token)
    elif auth in ("basic", "digest"):
        if user is None:
            raise error(f"{shown}: --auth {auth} needs a user: {needs_user}")
        chosen = httpx.BasicAuth(user, password or "") if auth == "basic" else httpx.DigestAuth(user, password or "")
    elif token:  # auto
        chosen = _Bearer(token)
    elif user is not None:
        chosen = ChallengeAuth(user, password or "")
    else:
        chosen = None
    return Remote(url, shown, chosen, tuple(dict.fromkeys(secrets)))


def challenge_hint(response: httpx.Response, target: Remote, env_prefix: str) -> str:
    """For a 401: which schemes the server asks for, and what to do (empty for other statuses)."""
    if response.status_code != 401:
        return ""
    schemes = sorted({h.split(None, 1)[0].capitalize() for h in response.headers.get_list("www-authenticate") if h})
    asked = f"the server asks for {' or '.join(schemes)} authentication" if schemes else "the server wants credentials"
    if target.auth is None:
        return f" ({asked}; give {env_prefix}_USER/{env_prefix}_PASSWORD or {env_prefix}_TOKEN)"
    return f" ({asked}; it did not accept the credentials given, or try another --auth)"


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class ChallengeAuth(httpx.Auth):
    """Answer the server's 401 challenge with Digest (preferred) or Basic, whichever it offers.

    Nothing is sent before the server asks, so a password never goes out as Basic to a server
    that wanted Digest. Once the scheme is known it is used from the start for later requests
    (Digest reuses the server's nonce, as httpx does), so only the first request is repeated.
    """

    def __init__(self, username: str, password: str):
        self._username, self._password = username, password
        self._inner: httpx.Auth | None = None
        self.scheme: str | None = None  #: "digest" or "basic" once the server has said

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._inner is not None:
            yield from self._inner.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = [h.split(None, 1)[0].lower() for h in response.headers.get_list("www-authenticate") if h]
        if "digest" in offered:
            self.scheme, self._inner = "digest", httpx.DigestAuth(self._username, self._password)
            flow = self._inner.auth_flow(request)
            next(flow)  # the unauthenticated request DigestAuth would send first: we already have its 401
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            response = yield retry
            with contextlib.suppress(StopIteration):
                flow.send(response)
        elif "basic" in offered:
            self.scheme, self._inner = "basic", httpx.BasicAuth(self._username, self._password)
            yield from self._inner.auth_flow(request)
