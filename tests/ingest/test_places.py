"""Places: point location in LSOAs and local authorities."""

from __future__ import annotations

import numpy as np
import pytest

from vrn.ingest.places import Places

from ..partners import reference

__all__ = ["reference"]


@pytest.mark.django_db
def test_points_are_located_in_lsoas_then_local_authorities(reference: None) -> None:
    lsoa, authority = Places().locate(
        np.array([-1.151298, -1.210707, -2.5]), np.array([52.625221, 52.577307, 53.0])
    )
    assert lsoa.tolist() == ["E01013776", "", ""]
    assert authority.tolist() == ["E06000016", "E07000129", ""]
