"""The WSGI application (``vrn.site.wsgi:application``), as ``vrn serve --production`` runs it.

In production, static files are served from the files ``collectstatic`` wrote, under the
hashed names its manifest lists. Without the manifest every page would fail as it is
rendered, so the application refuses to start instead, saying what to run.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
application = get_wsgi_application()


def check_static_manifest() -> None:
    """Raise ImproperlyConfigured if static files are served from a manifest that is missing."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if isinstance(storage, ManifestFilesMixin) and not storage.manifest_storage.exists(
        storage.manifest_name
    ):
        raise ImproperlyConfigured(
            f"The static files have not been collected: {storage.manifest_name} is missing from "
            f"{storage.location}. Start the site with `vrn serve --production`, which collects "
            "them, or run `vrn collectstatic --noinput` before starting the WSGI server."
        )


check_static_manifest()
