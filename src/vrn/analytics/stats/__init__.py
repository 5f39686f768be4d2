"""Public-health indicator statistics, computed the way England's indicator methods do.

A pure library (numpy, pandas, scipy, statsmodels; no Django, no I/O). The names below are
the public API; docs/statistics/ explains each method, its reference and its small-number
rule.

Array primitives
    :func:`wilson_interval`, :func:`byars_interval`, :func:`exact_poisson_interval`.
DataFrame functions
    :func:`proportion`, :func:`rate`, :func:`mean`, :func:`dsr` (with :data:`ESP2013`),
    :func:`isratio`, :func:`israte`.
Comparisons
    :func:`rate_ratio`, :func:`rate_difference`, :func:`proportion_difference`,
    :func:`proportion_ratio`, :func:`percentage_change`, :func:`compare_with_benchmark`.
Funnel plots
    :func:`funnel_limits`, :func:`funnel_significance`.
Change over time
    :func:`count_trend` (Poisson or negative binomial, with seasonality), :func:`mann_kendall`.
Paired change (distance travelled)
    :func:`paired_change`: paired t, effect size, signed-rank test, Hodges-Lehmann,
    shares improved, reliable change.
Inequality
    :func:`sii` (slope and relative index of inequality across deprivation quantiles).
Disclosure control
    :class:`DisclosurePolicy`: :class:`HesRule` (the default, :data:`DEFAULT_POLICY`) and
    :class:`SuppressBelow` with secondary suppression.
"""

from vrn.analytics.stats.comparisons import (
    compare_with_benchmark,
    percentage_change,
    proportion_difference,
    proportion_ratio,
    rate_difference,
    rate_ratio,
)
from vrn.analytics.stats.crude import mean, proportion, rate
from vrn.analytics.stats.disclosure import (
    DEFAULT_POLICY,
    DisclosurePolicy,
    HesRule,
    SuppressBelow,
)
from vrn.analytics.stats.funnels import SIGNIFICANCE_CATEGORIES, funnel_limits, funnel_significance
from vrn.analytics.stats.indirect import MissingBandWarning, israte, isratio
from vrn.analytics.stats.inequality import sii
from vrn.analytics.stats.intervals import byars_interval, exact_poisson_interval, wilson_interval
from vrn.analytics.stats.mann_kendall import MannKendall, mann_kendall
from vrn.analytics.stats.paired import PairedChange, ReliableChange, Share, paired_change
from vrn.analytics.stats.standardisation import ESP2013, dsr
from vrn.analytics.stats.trends import CountTrend, count_trend

__all__ = [
    "DEFAULT_POLICY",
    "ESP2013",
    "SIGNIFICANCE_CATEGORIES",
    "CountTrend",
    "DisclosurePolicy",
    "HesRule",
    "MannKendall",
    "MissingBandWarning",
    "PairedChange",
    "ReliableChange",
    "Share",
    "SuppressBelow",
    "byars_interval",
    "compare_with_benchmark",
    "count_trend",
    "dsr",
    "exact_poisson_interval",
    "funnel_limits",
    "funnel_significance",
    "israte",
    "isratio",
    "mann_kendall",
    "mean",
    "paired_change",
    "percentage_change",
    "proportion",
    "proportion_difference",
    "proportion_ratio",
    "rate",
    "rate_difference",
    "rate_ratio",
    "sii",
    "wilson_interval",
]
