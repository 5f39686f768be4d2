"""Reference geography: areas, lookups, deprivation, population and boundaries."""
