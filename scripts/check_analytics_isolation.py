"""Fail if importing any module of the pure packages imports Django.

vrn.analytics (statistics) and vrn.definitions (definition files) must stay usable outside
the web application, in notebooks and scripts.
"""

import importlib
import pkgutil
import sys

import vrn.analytics
import vrn.definitions

modules = []
for package in (vrn.analytics, vrn.definitions):
    modules += [m.name for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
for name in modules:
    importlib.import_module(name)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
if leaked:
    print(f"a pure package imports Django ({', '.join(leaked[:5])}...)", file=sys.stderr)
    sys.exit(1)
print(f"vrn.analytics and vrn.definitions: {len(modules)} modules imported, no Django")
