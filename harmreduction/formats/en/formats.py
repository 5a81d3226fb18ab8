# English pages keep the ISO date our readers and the forums already know (2026-03-14).
from __future__ import annotations

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
