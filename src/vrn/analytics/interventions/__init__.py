"""Intervention monitoring: the figures of the intervention reports, from plain DataFrames.

A pure library like :mod:`vrn.analytics.stats` (no Django, no I/O), and built on it: every
interval here is one of its methods (Wilson via :func:`~vrn.analytics.stats.proportion`,
Newcombe via :func:`~vrn.analytics.stats.proportion_difference`, Katz via
:func:`~vrn.analytics.stats.proportion_ratio`, paired change via
:func:`~vrn.analytics.stats.paired_change`). docs/statistics/interventions.md explains the
methods and conventions.

Functions
    :func:`journey_counts` (referred, started, exited, completed, open; conversion and
    completion), :func:`reach` (:func:`group_reach`, :func:`area_reach`),
    :func:`distance_travelled`, :func:`outcome_rates`, :func:`matched_comparison`
    (with :func:`age_band`) and :func:`costs`.

Inputs
------
``participants``: one row per participant.

    ``participant_id`` (int, no missing values), ``programme`` (str code), ``provider``
    (str), ``referral_date`` (datetime64), ``start_date`` (NaT if never started),
    ``exit_date`` (NaT if still open), ``exit_reason`` (str, ``""`` if open), ``age``
    (float, NaN unknown), ``sex`` (``male``/``female``/``other``/``unknown``),
    ``ethnicity`` (str), ``residence_area`` (str area code, ``""`` unknown), ``person_key``
    (str or None: the pseudonymous key that links to ED and police records),
    ``reachable_moment`` (str), ``referral_source`` (str), and zero or more boolean
    columns ``group:<priority group id>``.

``reviews``: one row per score.
    ``participant_id``, ``scale`` (str), ``area`` (str), ``review_date`` (datetime64),
    ``score`` (float).

``outcomes``: one row per recorded outcome.
    ``participant_id``, ``kind`` (str), ``outcome_date`` (datetime64), ``verified`` (bool).

``programmes``: one row per programme (or funding line).
    ``programme`` (code), ``provider``, ``funding`` (float, £ for the period),
    ``capacity`` (int or NaN), ``period_start``, ``period_end``.

Each function checks only the columns it uses and raises ``ValueError`` naming a missing
column (``"participants: column 'start_date' is missing ..."``) or a bad value. Missing
text is read as ``""``, a missing flag as false, a blank ``person_key`` as None. A bare
``pd.DataFrame()`` (no rows, no columns) is read as an empty input: results then have no
rows (when grouped) or NaN figures with a ``note`` (network-wide), never an exception.

Conventions
-----------
Shares are on the 0-1 scale with ``<name>_lowercl`` and ``<name>_uppercl`` Wilson limits
at ``confidence`` (default 0.95; 95 also means 95%); tables carry ``confidence`` (such as
``"95%"``) and ``note`` (why a figure is missing, otherwise None). ``by`` is a tuple of
grouping columns: ``()`` for the whole network, ``("programme",)``, ``("provider",)``;
groups are sorted by their keys. The caller's frames are never changed.
"""

from vrn.analytics.interventions.costs import costs
from vrn.analytics.interventions.distance import Scale, distance_travelled
from vrn.analytics.interventions.journey import journey_counts
from vrn.analytics.interventions.matching import MatchedComparison, age_band, matched_comparison
from vrn.analytics.interventions.outcomes import outcome_rates
from vrn.analytics.interventions.reach import Reach, area_reach, group_reach, reach

__all__ = [
    "MatchedComparison",
    "Reach",
    "Scale",
    "age_band",
    "area_reach",
    "costs",
    "distance_travelled",
    "group_reach",
    "journey_counts",
    "matched_comparison",
    "outcome_rates",
    "reach",
]
