"""Reading one text value of a partner file: the date and date-time forms of
docs/formats/README.md.

Kept apart from the column-at-a-time checks (:mod:`vrn.ingest.partner_csv`) and from
pseudonymisation (:mod:`vrn.ingest.pseudonymise`), which both read dates.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np

#: A date, ``YYYY-MM-DD``.
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
#: A date with an optional time: ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM`` or
#: ``YYYY-MM-DDTHH:MM[:SS]``.
DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"

_DATE = re.compile(DATE)


def date_value(value: str) -> np.datetime64:
    """``YYYY-MM-DD`` as a numpy date, NaT if it is not a valid date."""
    if _DATE.fullmatch(value) is None:
        return np.datetime64("NaT", "D")
    try:
        return np.datetime64(date.fromisoformat(value), "D")
    except ValueError:
        return np.datetime64("NaT", "D")
