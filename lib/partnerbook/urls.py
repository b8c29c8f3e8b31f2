"""Sources named by a URL, and how to show one without its secrets.

    is_url("postgresql://ann@db/crm")                -> True
    redact("postgresql://ann:s3cret@db/crm?token=t") -> "postgresql://ann:***@db/crm?token=***"

Every place that prints, logs or records a source (errors, run.json, the notebooks' `data`
parameter, HTML) goes through `redact`.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_USERINFO = re.compile(r"(://[^:/@?#\s]*:)[^@/?#\s]*@")
_SECRET_QUERY = re.compile(r"((?:password|passwd|pwd|token|secret|key)=)[^&\s]*", re.I)


def is_url(source: object) -> bool:
    """Whether `source` is a URL (scheme://...) rather than a file or folder."""
    return isinstance(source, str) and bool(_SCHEME.match(source))


def redact(text: object) -> str:
    """`text` with any password or token replaced by *** (empty for None)."""
    if not text:
        return ""
    text = str(text)
    try:
        # SQLAlchemy (the optional [sql] extra) also decodes %-escaped passwords
        from sqlalchemy.engine import make_url  # noqa: PLC0415 - optional, and only for URLs

        text = make_url(text).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not installed, or not a URL: the patterns below do it
        pass
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub(r"\1***@", text))
