"""The roadmap engine: routes for every role, ranked, sound, and personalised as asked."""

from __future__ import annotations

import pytest

from pathways.index import index_of
from pathways.resources import PPID
from pathways.roadmap import RoadmapError, RoadmapRequest, build_roadmap, resolve_role

TABLE_2 = {
    ("role-pwp", "role-pwp-senior"): "programme-edward-jenner",
    (
        "role-clinical-psychologist",
        "role-clinical-psychologist-principal",
    ): "programme-mary-seacole",
}


def roadmap(shipped, start, **options):
    return build_roadmap(shipped, RoadmapRequest(start=start, **options)).as_dict()


def roles_with_professions(shipped):
    index = index_of(shipped)
    return [(iri, p) for iri, role in sorted(index.roles.items()) for p in sorted(role.professions)]


def test_every_role_and_profession_gets_a_route_to_board_or_a_stated_reason(shipped):
    index = index_of(shipped)
    routed, explained = 0, []
    for iri, profession in roles_with_professions(shipped):
        result = roadmap(shipped, iri, profession=profession)
        if result["routes"]:
            routed += 1
            continue
        assert result["note"], (iri, profession)
        explained.append((iri.removeprefix(PPID), profession.removeprefix(PPID)))
        if index.roles[iri].tier_rank < 5:
            # Below board, a missing route is only acceptable when the role leads on under
            # another profession (a PWP who starts CBT training goes on as a CBT therapist).
            assert "it leads on as" in result["note"], (iri, profession, result["note"])
    assert routed == 257
    assert sorted(e for e in explained if e[0] == "role-cbt-therapist-trainee") == [
        ("role-cbt-therapist-trainee", "profession-childrens-wellbeing-practitioner"),
        ("role-cbt-therapist-trainee", "profession-emhp"),
        ("role-cbt-therapist-trainee", "profession-pwp"),
    ]


def test_routes_never_go_down_in_tier_or_band(shipped):
    index = index_of(shipped)
    for iri, profession in roles_with_professions(shipped):
        for route in roadmap(shipped, iri, profession=profession, k=3)["routes"]:
            for step in route["steps"]:
                source = index.roles[PPID + step["from"]["id"]]
                target = index.roles[PPID + step["to"]["id"]]
                assert target.tier_rank >= source.tier_rank
                if source.min_band and target.min_band:
                    assert target.min_band.rank >= source.min_band.rank
                assert profession in target.professions


def test_routes_end_at_board_and_are_ranked_by_years_then_steps(shipped):
    result = roadmap(shipped, "role-pwp", k=5)
    assert len(result["routes"]) == 5
    keys = [(r["total_years"], r["step_count"]) for r in result["routes"]]
    assert keys == sorted(keys)
    for route in result["routes"]:
        assert route["steps"][0]["from"]["id"] == "role-pwp"
        assert route["steps"][-1]["to"]["tier"] == "Provider Board Level"
        assert route["total_years"] == pytest.approx(sum(s["years"] for s in route["steps"]))


def test_table_2_programmes_appear_on_the_matching_steps(shipped):
    for (source, target), programme in TABLE_2.items():
        found = False
        result = roadmap(shipped, source, target=target)
        for route in result["routes"]:
            for step in route["steps"]:
                if step["from"]["id"] == source and step["to"]["id"] == target:
                    ids = [p["id"] for p in step["programmes"] if p["recommended"]]
                    assert programme in ids
                    found = True
        assert found, (source, target)


def test_nye_bevan_is_recommended_on_every_step_into_the_board(shipped):
    for route in roadmap(shipped, "role-clinical-psychologist-consultant", k=5)["routes"]:
        last = route["steps"][-1]
        assert "programme-nye-bevan" in [p["id"] for p in last["programmes"] if p["recommended"]]


def test_positive_action_only_when_asked(shipped):
    plain = roadmap(shipped, "role-pwp", k=3)
    assert all(not s["positive_action"] for r in plain["routes"] for s in r["steps"])
    asked = roadmap(shipped, "role-pwp", k=3, positive_action=("minority-ethnic",))
    offered = [p["id"] for r in asked["routes"] for s in r["steps"] for p in s["positive_action"]]
    assert "programme-stepping-up" in offered


def test_positive_action_only_on_eligible_bands(shipped):
    index = index_of(shipped)
    for start in ("role-pwp-trainee", "role-clinical-psychologist", "role-team-manager"):
        result = roadmap(
            shipped,
            start,
            k=5,
            positive_action=("minority-ethnic",),
            profession=None if start != "role-team-manager" else "clinical psychologist",
        )
        for route in result["routes"]:
            for step in route["steps"]:
                ranks = index.roles[PPID + step["from"]["id"]].band_ranks()
                for programme in step["positive_action"]:
                    offer = index.offers[PPID + programme["id"]]
                    assert ranks is not None
                    assert offer.min_rank <= ranks[1] and offer.max_rank >= ranks[0], (
                        step["from"]["id"],
                        programme["id"],
                    )


def test_women_get_the_women_leaders_network_not_a_programme(shipped):
    result = roadmap(shipped, "role-pwp", k=1, positive_action=("women",))
    step = result["routes"][0]["steps"][0]
    assert step["positive_action"] == []
    assert "support-hcwln" in [s["id"] for s in step["support"]]


def test_exemplary_self_assessment_produces_no_gaps(shipped):
    index = index_of(shipped)
    everything = {label: "exemplary" for label in index.competencies.values()}
    result = roadmap(shipped, "role-pwp", k=3, self_assessment=everything)
    assert all(not s["gaps"] for r in result["routes"] for s in r["steps"])


def test_self_assessment_personalises_gaps(shipped):
    low = roadmap(shipped, "role-pwp", k=1, self_assessment={"Leading with care": "essential"})
    first = low["routes"][0]["steps"][0]["gaps"]
    care = [g for g in first if g["competency"]["label"] == "Leading with care"]
    assert care and care[0]["held"] == "Essential"
    default = roadmap(shipped, "role-pwp", k=1)["routes"][0]["steps"][0]["gaps"]
    care_default = next(g for g in default if g["competency"]["label"] == "Leading with care")
    assert care_default["held"] == "Proficient"


def test_gaps_are_closed_by_the_programmes_listed(shipped):
    result = roadmap(shipped, "role-counsellor", k=2)
    for route in result["routes"]:
        for step in route["steps"]:
            for programme in step["programmes"]:
                if not programme["recommended"]:
                    assert programme["closes"]


def test_statutory_seats_are_excluded_with_the_register_as_reason(shipped):
    result = roadmap(shipped, "role-pwp")
    reasons = {e["id"]: e["reason"] for e in result["excluded"]}
    assert (
        "General Medical Council" in reasons["role-medical-director"]
        or "GMC" in reasons["role-medical-director"]
    )
    assert "role-director-of-nursing" in reasons
    assert all(step["to"]["id"] not in reasons for r in result["routes"] for step in r["steps"])


def test_target_national_and_a_named_role(shipped):
    national = roadmap(shipped, "role-pwp", target="national")
    assert national["routes"]
    assert all(
        r["steps"][-1]["to"]["tier"] == "National or Regional Leadership Roles"
        for r in national["routes"]
    )
    named = roadmap(shipped, "role-pwp", target="team manager")
    assert all(r["steps"][-1]["to"]["id"] == "role-team-manager" for r in named["routes"])


def test_board_role_start_says_so(shipped):
    result = roadmap(shipped, "role-trust-chief-executive", profession="PWP")
    assert result["routes"] == []
    assert "already" in result["note"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("role-pwp", "role-pwp"),
        ("ppid:role-pwp", "role-pwp"),
        (PPID + "role-pwp", "role-pwp"),
        ("PWP", "role-pwp"),
        ("psychological wellbeing practitioner", "role-pwp"),
        ("  SENIOR pwp ", "role-pwp-senior"),
        ("team man", "role-team-manager"),
    ],
)
def test_role_names_resolve(shipped, text, expected):
    assert resolve_role(index_of(shipped), text).iri == PPID + expected


def test_unknown_role_suggests_the_closest_labels(shipped):
    with pytest.raises(RoadmapError) as caught:
        roadmap(shipped, "clinical psycholgist")
    assert "did you mean 'Clinical psychologist'" in caught.value.message
    assert "Clinical psychologist" in caught.value.suggestions


def test_ambiguous_role_lists_the_candidates(shipped):
    with pytest.raises(RoadmapError) as caught:
        roadmap(shipped, "senior")
    assert "matches" in caught.value.message
    assert "Senior PWP" in caught.value.suggestions


def test_cross_profession_role_needs_a_profession(shipped):
    with pytest.raises(RoadmapError, match="say which is yours"):
        roadmap(shipped, "team manager")
    assert roadmap(shipped, "team manager", profession="counsellor")["routes"]


def test_profession_the_role_is_not_open_to_is_refused(shipped):
    with pytest.raises(RoadmapError, match="not open to"):
        roadmap(shipped, "role-pwp", profession="clinical psychologist")


@pytest.mark.parametrize(
    "options",
    [
        {"positive_action": ("martians",)},
        {"k": 0},
        {"self_assessment": {"Leading with cake": "strong"}},
        {"self_assessment": {"Leading with care": "superb"}},
        {"profession": "astronaut"},
    ],
)
def test_bad_options_are_refused_with_a_message(shipped, options):
    with pytest.raises(RoadmapError) as caught:
        roadmap(shipped, "role-pwp", **options)
    assert caught.value.message and caught.value.field


@pytest.mark.parametrize(
    "hostile",
    [
        '"} #',
        "role-pwp> } UNION { ?s ?p ?o } #",
        "} ; DROP ALL",
        "<http://evil/>",
        "ppid:role-pwp' OR '1'='1",
    ],
)
def test_hostile_input_cannot_change_a_query(shipped, hostile):
    with pytest.raises(RoadmapError):
        roadmap(shipped, hostile)
    with pytest.raises(RoadmapError):
        roadmap(shipped, "role-pwp", profession=hostile)
    with pytest.raises(RoadmapError):
        roadmap(shipped, "role-pwp", target=hostile)


def test_engine_edges_equal_the_roadmap_edges_query(shipped):
    """The engine takes edges from its index for speed; they must be the query's edges."""
    import pyoxigraph as ox

    from pathways import queries as named_queries
    from pathways.roadmap import _route_graph

    index = index_of(shipped)
    query = named_queries.get("roadmap-edges")
    compared = 0
    for iri, profession in roles_with_professions(shipped):
        rows = named_queries.select(
            shipped.store,
            query,
            {"start": ox.NamedNode(iri), "profession": ox.NamedNode(profession)},
        )
        expected = {(r["from"].value, r["to"].value) for r in rows}
        engine = set(_route_graph(shipped, index, iri, profession).edges)
        assert engine == expected, iri
        compared += 1
    assert compared > 300


def test_regression_tied_routes_ranked_the_same_in_every_process():
    """Targets were joined to the sink in set order, which changes with PYTHONHASHSEED, so
    routes of equal cost came out in a different order from one process to the next."""
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from pathways.cli import main; main()",
                "roadmap",
                "role-adult-psychotherapist",
                "--format",
                "json",
                "-k",
                "5",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
