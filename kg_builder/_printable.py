"""Text from data made safe for a terminal: control characters shown as escapes, never sent raw.

An article, a feed or a remote endpoint may carry ESC sequences, NUL, carriage returns or
bidirectional overrides inside a label or a quote; printed raw they could rewrite the screen,
hide text or fake a prompt. ``printable`` keeps every other character as it is.
"""
from __future__ import annotations

import re

#: C0 controls (tab and newline too: they would break a table row), DEL, C1 controls, and the
#: Unicode bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character as a visible escape (``\\x1b``, ``\\n``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)
