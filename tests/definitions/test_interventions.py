"""Reference data for intervention monitoring: code lists, the risk and protective factor
checklist, distance-travelled scales and YEF Toolkit evidence ratings."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.definitions.conftest import EditFile
from vrn.definitions import (
    CODE_LISTS,
    DefinitionError,
    Definitions,
    load_definitions,
    normalise_heading,
)
from vrn.definitions.intervention_codes import AGES, FLAG, OUTCOME_DOMAINS


def error_for(override_dir: Path, file_name: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load_definitions(override_dir)
    assert caught.value.file.endswith(file_name)
    return caught.value


class TestShipped:
    def test_the_four_files_load_with_references(self, shipped: Definitions) -> None:
        for name in ("intervention-codes", "risk-factors", "distance-scales", "evidence-ratings"):
            ref = shipped.refs[name]
            assert ref.short_id.startswith(f"{name}@1#")
        assert "Response Strategy" in shipped.intervention_codes.header.source
        assert "Response Strategy" in shipped.risk_factors.header.source
        assert "Youth Endowment Fund" in shipped.evidence_ratings.header.source
        assert shipped.references("risk-factors") == (shipped.risk_factors.ref,)


class TestInterventionCodes:
    def test_every_list_has_codes_with_their_fields(self, shipped: Definitions) -> None:
        codes = shipped.intervention_codes
        for list_name, fields in CODE_LISTS.items():
            entries = codes.codes(list_name)
            assert entries, list_name
            for code in entries:
                assert code.label
                assert set(code.extra) == set(fields), (list_name, code.id)
                for field, kind in fields.items():
                    if kind == FLAG:
                        assert isinstance(code.extra[field], bool)
                    elif kind == AGES:
                        assert isinstance(code.extra[field], str)
                    else:
                        assert code.extra[field] in kind

    def test_the_lists_and_their_ids(self, shipped: Definitions) -> None:
        codes = shipped.intervention_codes
        assert codes.ids("prevention_level") == ("contextual", "primary", "secondary", "tertiary")
        assert codes.ids("life_course_stage") == (
            "early_years",
            "childhood",
            "adolescence",
            "young_adulthood",
            "adulthood",
        )
        assert set(codes.ids("lawful_basis")) == {
            "consent",
            "contract",
            "legal_obligation",
            "vital_interests",
            "public_task",
            "legitimate_interests",
        }
        assert all(
            "Article 6(1)" in (code.description or "") for code in codes.codes("lawful_basis")
        )
        assert codes.ids("consent_status") == ("given", "refused", "withdrawn", "not_required")
        assert "ae_attendance" in codes.ids("reachable_moment")
        assert "emergency_department" in codes.ids("referral_source")
        assert codes.ids("access_purpose") == (
            "casework",
            "supervision",
            "safeguarding",
            "data_quality",
            "evaluation",
        )
        assert "one_to_one" in codes.ids("contact_kind")

    def test_prevention_levels_use_the_strategys_words(self, shipped: Definitions) -> None:
        primary = shipped.intervention_codes.code("prevention_level", "primary")
        assert primary.description is not None
        assert "earliest stage in the life-course" in primary.description

    def test_flags(self, shipped: Definitions) -> None:
        codes = shipped.intervention_codes
        assert codes.attended_codes == ("attended",)
        assert codes.completed_exit_reasons == ("completed",)
        assert set(codes.planned_exit_reasons) == {
            "completed",
            "partially_completed",
            "referred_on",
        }
        assert "participant_report" not in codes.verified_evidence_kinds
        assert "document_seen" in codes.verified_evidence_kinds
        assert codes.outcome_domain("secured_accommodation") == "accommodation"
        assert {str(code.extra["domain"]) for code in codes.outcome_kind} <= set(OUTCOME_DOMAINS)

    def test_labels_choices_and_unknown_codes(self, shipped: Definitions) -> None:
        codes = shipped.intervention_codes
        assert codes.label("attendance", "did_not_attend") == "Did not attend"
        assert codes.choices("consent_status")[0] == ("given", "Consent given")
        assert codes.has("exit_reason", "referred_on")
        assert not codes.has("exit_reason", "absconded")
        with pytest.raises(KeyError, match="absconded"):
            codes.label("exit_reason", "absconded")
        with pytest.raises(KeyError, match="no code list"):
            codes.ids("colours")

    @pytest.mark.parametrize(
        ("age", "stage"),
        [(0, "early_years"), (4, "early_years"), (5, "childhood"), (12, "adolescence"),
         (17, "adolescence"), (18, "young_adulthood"), (24, "young_adulthood"),
         (25, "adulthood"), (90, "adulthood"), (None, None), (-1, None)],
    )  # fmt: skip
    def test_life_course_stage_for_age(
        self, shipped: Definitions, age: int | None, stage: str | None
    ) -> None:
        assert shipped.intervention_codes.life_course_stage_for_age(age) == stage


class TestRiskFactors:
    def test_the_strategys_factors_by_kind_and_domain(self, shipped: Definitions) -> None:
        checklist = shipped.risk_factors
        assert len(checklist.risk_factors) == 33
        assert len(checklist.protective_factors) == 19
        assert len(checklist.factors) == len(set(checklist.ids)) == 52
        expected = {
            "stable_home_environment": ("protective", "close_relationships"),
            "safe_stable_housing": ("protective", "community_and_society"),
            "discrimination": ("risk", "community_and_society"),
            "poor_access_to_services": ("risk", "community_and_society"),
            "neurodevelopmental_disorders": ("risk", "individual"),
            "low_self_esteem": ("risk", "individual"),
            "social_isolation": ("risk", "individual"),
            "impulsivity": ("risk", "individual"),
            "poor_parental_supervision": ("risk", "close_relationships"),
            "emotional_regulation_skills": ("protective", "individual"),
        }
        for factor_id, (kind, domain) in expected.items():
            factor = checklist.factor(factor_id)
            assert (factor.kind, factor.domain) == (kind, domain), factor_id
        assert all(factor.quote and factor.weight == 1 for factor in checklist.factors)
        assert checklist.factor("stable_home_environment").note  # its place is uncertain

    def test_score_known_values(self, shipped: Definitions) -> None:
        answers = {
            "impulsivity": True,
            "male": True,
            "deprivation": True,
            "bullying": False,
            "prosocial_peers": True,
            "economic_opportunities": False,
            "safe_stable_housing": None,  # not known: unanswered
        }
        result = shipped.risk_factors.score(answers)
        assert (result.risk, result.protective) == (3.0, 1.0)
        assert (result.risk_max, result.protective_max) == (33.0, 19.0)
        assert result.answered == 6
        assert len(result.unknown_ids) == 52 - 6
        assert "safe_stable_housing" in result.unknown_ids
        assert "bullying" not in result.unknown_ids

    def test_nothing_answered_scores_zero(self, shipped: Definitions) -> None:
        result = shipped.risk_factors.score({})
        assert (result.risk, result.protective, result.answered) == (0.0, 0.0, 0)
        assert result.unknown_ids == shipped.risk_factors.ids

    def test_unknown_answer_key_is_refused(self, shipped: Definitions) -> None:
        with pytest.raises(ValueError, match="'impulsiveness'"):
            shipped.risk_factors.score({"impulsivity": True, "impulsiveness": True})

    def test_answer_that_is_not_true_or_false_is_refused(self, shipped: Definitions) -> None:
        with pytest.raises(ValueError, match="impulsivity"):
            shipped.risk_factors.score({"impulsivity": "yes"})  # type: ignore[dict-item]

    def test_weights_come_from_the_file(self, edit: EditFile, override_dir: Path) -> None:
        edit(
            "risk-factors",
            ('id = "impulsivity"', 'id = "impulsivity"\nweight = 2.5'),
            ('id = "male"', 'id = "male"\nweight = 0'),
        )
        checklist = load_definitions(override_dir).risk_factors
        result = checklist.score({"impulsivity": True, "male": True})
        assert result.risk == 2.5
        assert result.risk_max == 33 - 1 - 1 + 2.5

    def test_a_deployment_may_ship_its_own_checklist(
        self, edit: EditFile, override_dir: Path
    ) -> None:
        edit(
            "risk-factors",
            text='name = "risk-factors"\nversion = 1\nsource = "Our own"\n'
            'description = "Two factors"\n\n'
            '[[factor]]\nid = "carries_knife"\nlabel = "Carries a knife"\nkind = "risk"\n'
            'domain = "individual"\nquote = "Carries a knife"\nweight = 3\n\n'
            '[[factor]]\nid = "trusted_adult"\nlabel = "Has a trusted adult"\n'
            'kind = "protective"\ndomain = "close_relationships"\nquote = "Trusted adult"\n',
        )
        checklist = load_definitions(override_dir).risk_factors
        assert checklist.ids == ("carries_knife", "trusted_adult")
        result = checklist.score({"carries_knife": True, "trusted_adult": True})
        assert (result.risk, result.protective, result.risk_max) == (3.0, 1.0, 3.0)


class TestDistanceScales:
    def test_the_shipped_scales(self, shipped: Definitions) -> None:
        scales = shipped.distance_scales
        assert scales.ids == (
            "vrn_self_report_journey",
            "vrn_practitioner_journey",
            "journey_star_style",
        )
        self_report = scales.scale("vrn_self_report_journey")
        assert (self_report.perspective, self_report.minimum, self_report.maximum) == (
            "self_report",
            1,
            10,
        )
        assert self_report.higher_is_better
        assert "feeling_safe" in self_report.area_ids
        practitioner = scales.scale("vrn_practitioner_journey")
        assert practitioner.perspective == "practitioner"
        assert "safety_from_harm" in practitioner.area_ids
        assert all(scale.reliability is None for scale in scales.scales)  # none published
        assert practitioner.in_range(5) and not practitioner.in_range(6)
        with pytest.raises(KeyError, match="outcomes_star"):
            scales.scale("outcomes_star")

    @pytest.mark.parametrize(
        ("heading", "area"),
        [
            ("Managing strengths and difficulties", "strengths_and_difficulties"),
            ("MANAGING STRENGTHS AND DIFFICULTIES", "strengths_and_difficulties"),
            ("  friends   and relationships ", "relationships"),
            ("keeping safe", "keeping_safe"),
            ("Education and work", "education_and_work"),
            ("where_you_live", "where_you_live"),
            ("Where You Live", "where_you_live"),
        ],
    )
    def test_area_for_heading_matches_ids_labels_and_aliases(
        self, shipped: Definitions, heading: str, area: str
    ) -> None:
        found = shipped.distance_scales.area_for_heading("journey_star_style", heading)
        assert found is not None and found.id == area

    def test_area_for_heading_unknown(self, shipped: Definitions) -> None:
        assert shipped.distance_scales.area_for_heading("journey_star_style", "Hobbies") is None
        assert normalise_heading("  A \t B_c ") == "a b c"

    def test_reliable_change_uses_the_reliability(self, edit: EditFile, override_dir: Path) -> None:
        edit(
            "distance-scales",
            (
                'id = "vrn_self_report_journey"',
                'id = "vrn_self_report_journey"\nreliability = 0.8\n'
                'reliability_source = "a test-retest study"',
            ),
        )
        scales = load_definitions(override_dir).distance_scales
        scale = scales.scale("vrn_self_report_journey")
        assert scale.reliability == 0.8
        expected = 1.96 * math.sqrt(2) * 2.0 * math.sqrt(0.2)
        assert scale.reliable_change(2.0) == pytest.approx(expected)
        assert scales.scale("vrn_practitioner_journey").reliable_change(2.0) is None


class TestEvidenceRatings:
    def test_the_programmes_approaches_are_rated(self, shipped: Definitions) -> None:
        ratings = shipped.evidence_ratings
        assert set(ratings.ids) >= {
            "ae_navigators",
            "bystander_interventions",
            "pre_employment_training",
            "mentoring",
        }
        mentoring = ratings.approach("mentoring")
        assert (mentoring.impact, mentoring.impact_estimate) == ("moderate", 21.0)
        assert ratings.approach("ae_navigators").impact == "high"
        assert ratings.approach("ae_navigators").prevention_levels == ("secondary",)
        with pytest.raises(KeyError, match="focused_deterrence"):
            ratings.approach("focused_deterrence")

    def test_every_approach_cites_a_yef_page_and_says_what_is_missing(
        self, shipped: Definitions
    ) -> None:
        for approach in shipped.evidence_ratings.approaches:
            assert approach.url.startswith("https://youthendowmentfund.org.uk/toolkit/")
            assert approach.read_on.isoformat() == "2026-12-07"
            if not approach.complete:
                assert approach.note is not None
                assert "not found in the sources read; check the live toolkit" in approach.note


class TestMalformed:
    """Each malformed copy fails with the file, the entry and the problem."""

    def test_duplicate_code_id(self, edit: EditFile, override_dir: Path) -> None:
        edit("intervention-codes", ('id = "did_not_attend"', 'id = "attended"'))
        error = error_for(override_dir, "intervention-codes.toml")
        assert error.entry == "attendance[1] (attended).id"
        assert "appears twice" in error.problem

    def test_attendance_without_attended(self, edit: EditFile, override_dir: Path) -> None:
        edit("intervention-codes", ('label = "Did not attend"\nattended = false', 'label = "x"'))
        error = error_for(override_dir, "intervention-codes.toml")
        assert error.entry == "attendance[1] (did_not_attend).attended"
        assert "missing" in error.problem

    def test_unknown_key_in_a_code(self, edit: EditFile, override_dir: Path) -> None:
        edit("intervention-codes", ('id = "one_to_one"', 'id = "one_to_one"\ncolour = "red"'))
        error = error_for(override_dir, "intervention-codes.toml")
        assert error.entry == "contact_kind[0] (one_to_one).colour"
        assert "unknown key" in error.problem

    def test_unknown_code_list(self, edit: EditFile, override_dir: Path) -> None:
        path = edit("intervention-codes")
        path.write_text(path.read_text() + '\n[[hair_colour]]\nid = "red"\nlabel = "Red"\n')
        error = error_for(override_dir, "intervention-codes.toml")
        assert (error.entry, "unknown key" in error.problem) == ("hair_colour", True)

    def test_completed_exit_must_be_planned(self, edit: EditFile, override_dir: Path) -> None:
        edit(
            "intervention-codes",
            ("completed = true\nplanned = true", "completed = true\nplanned = false"),
        )
        error = error_for(override_dir, "intervention-codes.toml")
        assert error.entry == "exit_reason[0] (completed).planned"

    def test_life_course_ages_must_be_contiguous(self, edit: EditFile, override_dir: Path) -> None:
        edit("intervention-codes", ('ages = "5-11"', 'ages = "6-11"'))
        error = error_for(override_dir, "intervention-codes.toml")
        assert error.entry == "life_course_stage"
        assert "contiguous" in error.problem

    def test_duplicate_factor_id(self, edit: EditFile, override_dir: Path) -> None:
        edit("risk-factors", ('id = "social_isolation"', 'id = "low_self_esteem"'))
        error = error_for(override_dir, "risk-factors.toml")
        assert error.entry == "factor[3] (low_self_esteem).id"
        assert "appears twice" in error.problem

    def test_unknown_key_in_a_factor(self, edit: EditFile, override_dir: Path) -> None:
        edit("risk-factors", ('id = "impulsivity"', 'id = "impulsivity"\nwieght = 2'))
        error = error_for(override_dir, "risk-factors.toml")
        assert error.entry == "factor[4] (impulsivity).wieght"
        assert "unknown key" in error.problem

    @pytest.mark.parametrize(
        ("old", "new", "key", "problem"),
        [
            ('kind = "risk"', 'kind = "danger"', "kind", "not one of risk, protective"),
            ('domain = "individual"', 'domain = "family"', "domain", "not one of"),
            ('id = "male"', 'id = "male"\nweight = -1', "weight", "negative"),
            ('id = "male"', 'id = "male"\nweight = "1"', "weight", "expected a number"),
        ],
    )
    def test_bad_factor_values(
        self, edit: EditFile, override_dir: Path, old: str, new: str, key: str, problem: str
    ) -> None:
        edit("risk-factors", (old, new))
        error = error_for(override_dir, "risk-factors.toml")
        assert error.entry == f"factor[0] (male).{key}"
        assert problem in error.problem

    def test_duplicate_scale_id(self, edit: EditFile, override_dir: Path) -> None:
        edit("distance-scales", ('id = "journey_star_style"', 'id = "vrn_self_report_journey"'))
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[2] (vrn_self_report_journey).id"

    def test_duplicate_area_id(self, edit: EditFile, override_dir: Path) -> None:
        edit("distance-scales", ('id = "managing_emotions"', 'id = "feeling_safe"'))
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[0] (vrn_self_report_journey).area[1] (feeling_safe).id"
        assert "appears twice" in error.problem

    def test_unknown_key_in_a_scale(self, edit: EditFile, override_dir: Path) -> None:
        edit("distance-scales", ("maximum = 5", "maximum = 5\nmaximun = 6"))
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[1] (vrn_practitioner_journey).maximun"
        assert "unknown key" in error.problem

    @pytest.mark.parametrize("minimum", ["10", "11"])
    def test_minimum_must_be_below_maximum(
        self, edit: EditFile, override_dir: Path, minimum: str
    ) -> None:
        edit("distance-scales", ("minimum = 1\nmaximum = 10", f"minimum = {minimum}\nmaximum = 10"))
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[0] (vrn_self_report_journey).maximum"
        assert "greater than minimum" in error.problem

    def test_alias_shared_by_two_areas(self, edit: EditFile, override_dir: Path) -> None:
        edit(
            "distance-scales",
            ('"Feelings and emotions"]', '"keeping  SAFE"]'),
        )
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == (
            "scale[2] (journey_star_style).area[2] (emotional_wellbeing).aliases[1]"
        )
        assert "also names area 'keeping_safe'" in error.problem

    @pytest.mark.parametrize("reliability", ["1.5", "1", "0", "-0.2"])
    def test_reliability_must_lie_between_0_and_1(
        self, edit: EditFile, override_dir: Path, reliability: str
    ) -> None:
        edit(
            "distance-scales",
            (
                'id = "vrn_self_report_journey"',
                f'id = "vrn_self_report_journey"\nreliability = {reliability}\n'
                'reliability_source = "a study"',
            ),
        )
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[0] (vrn_self_report_journey).reliability"
        assert "strictly between 0 and 1" in error.problem

    def test_reliability_needs_its_source(self, edit: EditFile, override_dir: Path) -> None:
        edit(
            "distance-scales",
            ('id = "vrn_self_report_journey"', 'id = "vrn_self_report_journey"\nreliability = 0.8'),
        )
        error = error_for(override_dir, "distance-scales.toml")
        assert error.entry == "scale[0] (vrn_self_report_journey).reliability_source"

    def test_duplicate_approach_id(self, edit: EditFile, override_dir: Path) -> None:
        edit("evidence-ratings", ('id = "mentoring"', 'id = "ae_navigators"'))
        error = error_for(override_dir, "evidence-ratings.toml")
        assert error.entry == "approach[3] (ae_navigators).id"
        assert "appears twice" in error.problem

    def test_unknown_key_in_an_approach(self, edit: EditFile, override_dir: Path) -> None:
        edit("evidence-ratings", ('impact = "moderate"', 'impact = "moderate"\nimpakt = "high"'))
        error = error_for(override_dir, "evidence-ratings.toml")
        assert error.entry == "approach[3] (mentoring).impakt"
        assert "unknown key" in error.problem

    @pytest.mark.parametrize(
        ("old", "new", "key", "problem"),
        [
            ('impact = "moderate"', 'impact = "huge"', "impact", "not one of"),
            (
                "impact_estimate = 21",
                "impact_estimate = 21\nevidence_security = 6",
                "evidence_security",
                "outside",
            ),
            ("impact_estimate = 21", "impact_estimate = 21\ncost = 0", "cost", "outside"),
            ('estimate_outcome = "violence"\n', "", "estimate_outcome", "go together"),
            (
                '"secondary", "tertiary"',
                '"secondary", "quaternary"',
                "prevention_levels[1]",
                "'quaternary'",
            ),
            (
                'read_on = 2026-12-07\nimpact = "moderate"',
                'read_on = "7 Dec"\nimpact = "moderate"',
                "read_on",
                "not a date",
            ),
            ('note = "Evidence-quality', 'notes = "Evidence-quality', "note", "is missing"),
        ],
    )
    def test_bad_approach_values(
        self, edit: EditFile, override_dir: Path, old: str, new: str, key: str, problem: str
    ) -> None:
        edit("evidence-ratings", (old, new))
        error = error_for(override_dir, "evidence-ratings.toml")
        assert error.entry == f"approach[3] (mentoring).{key}"
        assert problem in error.problem
