"""Public-health indicator statistics, computed the way England's indicator methods do.

A pure library (numpy, pandas, scipy, statsmodels; no Django, no I/O). The names below are
the public API; docs/statistics/ explains each method, its reference and its small-number
rule.

Array primitives
    :func:`wilson_interval`, :func:`byars_interval`, :func:`exact_poisson_interval`.
DataFrame functions
    :func:`proportion`, :func:`rate`, :func:`mean`, :func:`dsr` (with :data:`ESP2013`),
    :func:`isratio`, :func:`israte`.
"""

from vrn.analytics.stats.crude import mean, proportion, rate
from vrn.analytics.stats.indirect import israte, isratio
from vrn.analytics.stats.intervals import byars_interval, exact_poisson_interval, wilson_interval
from vrn.analytics.stats.standardisation import ESP2013, dsr

__all__ = [
    "ESP2013",
    "byars_interval",
    "dsr",
    "exact_poisson_interval",
    "israte",
    "isratio",
    "mean",
    "proportion",
    "rate",
    "wilson_interval",
]
