"""Template filters of the dashboard pages."""

from __future__ import annotations

from django import template

from vrn.analytics.explore import DIMENSION_BY_NAME

register = template.Library()


@register.filter
def dimension_label(name: str) -> str:
    """A dimension's name in words (``victim_sex`` -> ``Victim's sex``)."""
    dimension = DIMENSION_BY_NAME.get(name)
    return dimension.label if dimension else name
