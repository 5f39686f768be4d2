"""Our per-LSOA violence rate from the real data.police.uk files ranks the network's LSOAs
like the IoD2025 violence indicators do (docs/profile-validation.md); and the agreement
measure itself on small frames."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.conf import settings

from vrn.crime.police_uk import PoliceUkStreet
from vrn.demo.setup import police_files
from vrn.geography.loaders import load_reference
from vrn.geography.network import LLR
from vrn.ingest.pipeline import LoadContext, load_files
from vrn.profile.validation import (
    lsoa_violence_agreement,
    measure_real_data_agreement,
    our_violence_rates,
)

#: Spearman's rho measured on 2026-12-07: 0.820 (95% CI 0.788 to 0.847; Kendall's tau
#: 0.635) over the 634 LSOAs of Leicester, Leicestershire and Rutland, police.uk months
#: 2023-01 to 2024-06 against the IoD2025 violence with + without injury rates.
MEASURED_RHO = 0.820
#: How far below the measured figure the agreement may fall before the test fails.
MARGIN = 0.05
LLR_LSOAS = 634
MONTHS = 18
INDICATORS = Path("imd-humaniverse") / "imd2025_england_lsoa21_indicators.csv.gz"


# --- The measure ---------------------------------------------------------------------


def _frame(rates: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"lsoa": list(rates), "rate": list(rates.values())})


def test_identical_rankings_agree_perfectly_whatever_the_scale() -> None:
    ours = _frame({"a": 1.0, "b": 5.0, "c": 2.0, "d": 8.0, "e": 3.0})
    theirs = _frame({"e": 0.3, "d": 0.8, "c": 0.2, "b": 0.5, "a": 0.1})

    agreement = lsoa_violence_agreement(ours, theirs)

    assert agreement.rho == pytest.approx(1.0)
    assert agreement.tau == pytest.approx(1.0)
    assert (agreement.rho_lower, agreement.rho_upper) == (agreement.rho, agreement.rho)
    assert agreement.lsoas == ("a", "b", "c", "d", "e")


def test_compares_only_lsoas_with_both_rates_and_gives_a_bonett_wright_interval() -> None:
    ours = _frame({f"L{i:02d}": float(i) for i in range(12)} | {"only-ours": 4.0})
    theirs = _frame(
        {f"L{i:02d}": float((i * 7) % 12) for i in range(12)} | {"L05": math.nan} | {"x": 1.0}
    )

    agreement = lsoa_violence_agreement(ours, theirs)

    assert agreement.n == 11 and "L05" not in agreement.lsoas
    z, se = math.atanh(agreement.rho), math.sqrt((1 + agreement.rho**2 / 2) / (11 - 3))
    assert agreement.rho_lower == pytest.approx(math.tanh(z - 1.959963984540054 * se))
    assert agreement.rho_upper == pytest.approx(math.tanh(z + 1.959963984540054 * se))
    assert agreement.rho_lower < agreement.rho < agreement.rho_upper


@pytest.mark.parametrize(
    ("ours", "theirs", "message"),
    [
        (_frame({"a": 1, "b": 2, "c": 3}), _frame({"a": 1, "b": 2, "c": 3}), "only 3 LSOAs"),
        (
            _frame({"a": 1, "b": 1, "c": 1, "d": 1}),
            _frame({"a": 1, "b": 2, "c": 3, "d": 4}),
            "the same in every LSOA",
        ),
        (
            pd.DataFrame({"lsoa": ["a", "a", "b", "c"], "rate": [1, 2, 3, 4]}),
            _frame({"a": 1, "b": 2, "c": 3}),
            "more than one rate for LSOA a",
        ),
        (pd.DataFrame({"lsoa": ["a"]}), _frame({"a": 1}), "ours: no column rate"),
    ],
)
def test_refuses_what_cannot_be_ranked(
    ours: pd.DataFrame, theirs: pd.DataFrame, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        lsoa_violence_agreement(ours, theirs)


# --- On the real data ----------------------------------------------------------------


@pytest.fixture
def real_data(settings: Any) -> Path:
    """The real reference data and every police.uk street file loaded, for the LLR network."""
    directory = Path(settings.REFERENCE_DATA_DIR)
    files = police_files(directory)
    if (
        not (directory / "geographr").is_dir()
        or not files
        or not (directory / INDICATORS).is_file()
    ):
        pytest.skip(f"no real reference, police.uk and IoD2025 indicator data at {directory}")
    settings.VRN_NETWORK = LLR
    load_reference(directory)
    context = LoadContext(loaded_by="tester", today=date(2026, 12, 7))
    results = load_files(PoliceUkStreet(), files, context)
    assert [result.status for result in results] == ["loaded"] * MONTHS
    return directory / INDICATORS


@pytest.mark.django_db
@pytest.mark.slow
def test_our_lsoa_violence_rates_rank_like_the_iod2025_ones(real_data: Path) -> None:
    agreement = measure_real_data_agreement(real_data)

    assert agreement.n == LLR_LSOAS
    assert agreement.rho >= MEASURED_RHO - MARGIN, str(agreement)
    assert agreement.rho_lower < agreement.rho < agreement.rho_upper
    # Rates per 1,000 residents a year: every LLR LSOA has residents and some violence.
    ours = our_violence_rates(agreement.lsoas)
    assert (ours["population"] > 0).all() and (ours["count"] > 0).all()
    assert ours["rate"].sum() == pytest.approx(
        (ours["count"] / ours["population"]).sum() * 1_000 * 12 / MONTHS
    )
    assert settings.VRN_NETWORK is LLR
