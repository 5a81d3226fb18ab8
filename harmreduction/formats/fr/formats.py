# Belgian French: 14/03/2026.
from __future__ import annotations

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
