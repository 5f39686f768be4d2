"""Police-recorded crime: data.police.uk street-level records."""
