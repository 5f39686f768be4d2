"""The pipeline is exercised through the police.uk dataset and its fixtures."""

from ..crime.conftest import context, dataset, police_reference, street_files

__all__ = ["context", "dataset", "police_reference", "street_files"]
