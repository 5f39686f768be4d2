from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vrn.ingest.queries import synthetic_data_loaded


def platform(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs."""
    return {"network": settings.VRN_NETWORK}


def synthetic_data(request: HttpRequest) -> dict[str, object]:
    """``synthetic_data``: true when any synthetic data is loaded, so that the base template
    (and the admin's) can say so on every page.

    One query per page, on the small table of loads, run only when a template asks and at
    most once per request. It is not cached across requests on purpose: files are loaded
    by ``vrn ingest`` in another process, which a per-process cache would not see, and a
    stale "no" would hide the notice; the query costs well under a millisecond.
    """
    return {"synthetic_data": SimpleLazyObject(synthetic_data_loaded)}
