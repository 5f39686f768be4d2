"""Fail if importing any module of vrn.analytics imports Django (it must stay a pure library)."""

import importlib
import pkgutil
import sys

import vrn.analytics

modules = [m.name for m in pkgutil.walk_packages(vrn.analytics.__path__, "vrn.analytics.")]
for name in modules:
    importlib.import_module(name)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
if leaked:
    print(f"vrn.analytics imports Django ({', '.join(leaked[:5])}...)", file=sys.stderr)
    sys.exit(1)
print(f"vrn.analytics: {len(modules)} modules imported, no Django")
