"""Person-level police crime extracts: crimes and the people involved in them
(docs/formats/police-extract.md)."""
