"""Priority groups and areas from the Response Strategy."""

from __future__ import annotations

from vrn.definitions import Definitions


def test_priority_groups(shipped: Definitions) -> None:
    groups = shipped.priorities.groups
    assert len(groups) == 10
    males = shipped.priorities.group("males_15_19")
    assert males.sex == "male" and males.age is not None
    assert (males.age.scheme, males.age.bands) == ("sna", ("15-19",))
    assert males.identifiable_in_data
    looked_after = shipped.priorities.group("looked_after")
    assert not looked_after.identifiable_in_data
    assert (
        looked_after.quote == "Children/young people who are or have been in local authority care"
    )


def test_priority_areas(shipped: Definitions) -> None:
    areas = {area.id: area for area in shipped.priorities.areas}
    leicester = areas["leicester_csp"]
    assert leicester.codes == {
        "community_safety_partnership": "E22000168",
        "local_authority": "E06000016",
    }
    assert leicester.resolved
    assert areas["charnwood_csp"].codes["local_authority"] == "E07000130"
    policing = [area for area in areas.values() if area.kind == "neighbourhood_policing_area"]
    assert [area.name for area in policing] == [
        "West Leicester",
        "Central Leicester",
        "East Leicester",
        "South Leicester",
        "Charnwood",
    ]
    assert not any(area.resolved for area in policing)
    assert {area.within["local_authority"] for area in policing} == {"E06000016", "E07000130"}
