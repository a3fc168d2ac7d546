"""The roadmap engine: routes an adviser would stand behind, every step described, and the
request read strictly. Tests are named after the finding they fix (issue 10)."""

from __future__ import annotations

import pytest

from pathways.careers.index import index_of
from pathways.careers.render import roadmap_title, route_title, step_heading
from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap, resolve_role
from pathways.graph.resources import PPID

QUALIFIED = [
    "role-pwp",
    "role-cwp",
    "role-emhp",
    "role-cbt-therapist",
    "role-counsellor",
    "role-adult-psychotherapist",
    "role-child-psychotherapist",
    "role-family-therapist",
    "role-clinical-psychologist",
    "role-counselling-psychologist",
    "role-forensic-psychologist",
    "role-health-psychologist",
]

# The regression table: the top route to board level from each profession's qualified role, as
# a chain of role ids. A change to the ranking, the weights or the knowledge base that moves a
# top route shows up here as a reviewed diff.
TOP_ROUTES = {
    "role-pwp": [
        "role-pwp-senior",
        "role-pwp-lead",
        "role-clinical-services-manager",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-cwp": [
        "role-cwp-senior",
        "role-cwp-lead",
        "role-clinical-services-manager",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-emhp": [
        "role-emhp-senior",
        "role-emhp-lead",
        "role-clinical-services-manager",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-cbt-therapist": [
        "role-cbt-therapist-senior",
        "role-cbt-therapist-lead",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-counsellor": [
        "role-counsellor-specialist",
        "role-counsellor-professional-manager",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-adult-psychotherapist": [
        "role-adult-psychotherapist-principal",
        "role-adult-psychotherapist-consultant",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-child-psychotherapist": [
        "role-child-psychotherapist-principal",
        "role-child-psychotherapist-consultant",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-family-therapist": [
        "role-family-therapist-senior",
        "role-family-therapist-consultant",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
    "role-clinical-psychologist": [
        "role-clinical-psychologist-principal",
        "role-clinical-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
    "role-counselling-psychologist": [
        "role-counselling-psychologist-principal",
        "role-counselling-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
    "role-forensic-psychologist": [
        "role-forensic-psychologist-senior",
        "role-forensic-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
    "role-health-psychologist": [
        "role-health-psychologist-principal",
        "role-health-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
}


def roadmap(shipped, start, **options):
    return build_roadmap(shipped, RoadmapRequest(start=start, **options)).as_dict()


def roles_with_professions(shipped):
    index = index_of(shipped)
    return [(iri, p) for iri, role in sorted(index.roles.items()) for p in sorted(role.professions)]


def chain(route):
    return [step["to"]["id"] for step in route["steps"]]


def all_steps(result):
    return [step for route in result["routes"] for step in route["steps"]]


@pytest.fixture(scope="module")
def qualified(shipped):
    return {start: roadmap(shipped, start, k=3) for start in QUALIFIED}


# --- what routes there are -------------------------------------------------------------------


def test_regression_table_of_top_routes(qualified):
    assert {start: chain(result["routes"][0]) for start, result in qualified.items()} == TOP_ROUTES


# The roles people look for that no profession's qualified role is (issue 13): the top route
# from each, as a reviewed chain.
ENTRY_ROUTES = {
    "role-assistant-psychologist": [
        "role-clinical-psychologist-trainee",
        "role-clinical-psychologist",
        "role-clinical-psychologist-principal",
        "role-clinical-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
    # A CAP's onward route in the sources is clinical psychology training, not team leadership.
    "role-cap-apprentice": [
        "role-cap",
        "role-clinical-psychologist-trainee",
        "role-clinical-psychologist",
        "role-clinical-psychologist-principal",
        "role-clinical-psychologist-consultant",
        "role-head-of-psychology-services",
        "role-board-director-psychological-professions",
    ],
    "role-mhwp-trainee": [
        "role-mhwp",
        "role-cbt-therapist-trainee",
        "role-cbt-therapist",
        "role-cbt-therapist-senior",
        "role-cbt-therapist-lead",
        "role-head-of-psychological-therapies",
        "role-board-director-psychological-professions",
    ],
}


def test_regression_table_of_top_routes_from_the_roles_people_look_for(shipped):
    """Regression: "assistant psychologist", the usual way into clinical psychology training,
    found nothing."""
    for start, expected in ENTRY_ROUTES.items():
        assert chain(roadmap(shipped, start, k=1)["routes"][0]) == expected, start
    by_name = roadmap(shipped, "assistant psychologist", k=1)
    assert by_name["start"]["id"] == "role-assistant-psychologist"
    # Regression: the heading called an assistant psychologist "(Clinical psychologist)".
    assert by_name["start"]["pre_entry"] is True
    assert roadmap_title(by_name).startswith(
        "From Assistant psychologist (before professional training), band 4-5, to"
    )
    assert roadmap(shipped, "role-pwp", k=1)["start"]["pre_entry"] is False
    # Regression: the executive role was found only by its full title.
    named = roadmap(
        shipped, "role-clinical-psychologist", target="director of psychological professions", k=1
    )
    assert named["target"]["id"] == "role-board-director-psychological-professions"


LOOKED_FOR = {
    # what people type -> the role it must find
    "clinical associate in psychology": "role-cap",
    "apprentice CAP": "role-cap-apprentice",
    "mental health and wellbeing practitioner": "role-mhwp",
    "trainee MHWP": "role-mhwp-trainee",
    "deputy director of psychological professions": "role-trust-professional-lead",
    "associate director of psychological professions": "role-trust-professional-lead",
    "director of psychological professions": "role-board-director-psychological-professions",
    "ICS psychological professions lead": "role-ics-psychological-professions-lead",
    "PPN programme manager": "role-regional-ppn-programme-manager",
    "senior wellbeing practitioner (EMHP)": "role-emhp-senior",
}


def test_the_roles_people_look_for_are_found_and_lead_somewhere(shipped):
    """Regression: none of these searches found a role (issue 13)."""
    for typed, expected in LOOKED_FOR.items():
        assert resolve_role(index_of(shipped), typed).iri == PPID + expected, typed
    # The pre-entry starts say where they head, and their routes run through the training.
    cap = roadmap(shipped, "clinical associate in psychology", k=1)
    assert cap["start"]["pre_entry"] is True
    first = cap["routes"][0]["steps"][0]
    assert first["kind"] == "retraining" and first["years_minimum"] is True
    assert "Doctorate in Clinical Psychology" in first["retraining"]["qualification"]
    # Regression (adviser review): a first professional training read as "retraining".
    assert first["retraining"]["first_training"] is True
    assert ": training as a clinical psychologist after at least 2 years" in step_heading(first)
    mhwp = roadmap(shipped, "role-mhwp", k=3)
    assert {chain(route)[0] for route in mhwp["routes"]} == {
        "role-cbt-therapist-trainee",
        "role-clinical-psychologist-trainee",
    }
    # Found by another of its names, the answer says so; and its first route is the executive
    # seat, not a part-time non-executive seat elsewhere (an adviser's review).
    deputy = roadmap(
        shipped,
        "deputy director of psychological professions",
        profession="clinical psychologist",
        k=1,
    )
    assert deputy["start"]["called"] == "Deputy director of psychological professions"
    assert "which you asked for as 'Deputy director" in roadmap_title(deputy)
    assert chain(deputy["routes"][0]) == ["role-board-director-psychological-professions"]
    assert (
        roadmap(shipped, "role-trust-professional-lead", profession="PWP")["start"]["called"]
        is None
    )
    # The system and network roles are reached from the senior roles that lead to them.
    system = roadmap(
        shipped,
        "role-trust-professional-lead",
        profession="Counsellor",
        target="ICS psychological professions lead",
        k=1,
    )
    assert chain(system["routes"][0]) == ["role-ics-psychological-professions-lead"]
    network = roadmap(
        shipped,
        "role-clinical-services-manager",
        profession="PWP",
        target="role-national-professional-lead",
        k=3,
    )
    assert [
        "role-regional-ppn-programme-manager",
        "role-regional-ppn-chair",
        "role-national-professional-lead",
    ] in [chain(route) for route in network["routes"]]


def test_every_role_and_profession_gets_a_route_to_board_or_a_stated_reason(shipped):
    index = index_of(shipped)
    routed, explained = 0, []
    for iri, profession in roles_with_professions(shipped):
        result = roadmap(shipped, iri, profession=profession, k=1)
        if result["routes"]:
            routed += 1
            continue
        assert result["note"], (iri, profession)
        explained.append(iri)
        assert index.roles[iri].tier_rank >= 5, (iri, profession, result["note"])
    assert routed == 203
    assert explained  # board and national roles say they are already there or lead nowhere


def test_top_route_only_moves_up_retraining_aside(shipped, qualified):
    """Finding: clinical, health and counselling psychologists were sent sideways first."""
    index = index_of(shipped)
    for start, result in qualified.items():
        for step in result["routes"][0]["steps"]:
            assert step["kind"] != "lateral", (start, step["to"]["id"])
            source = index.roles[PPID + step["from"]["id"]]
            target = index.roles[PPID + step["to"]["id"]]
            if step["kind"] == "retraining":
                continue
            rises = target.tier_rank > source.tier_rank
            if source.band_ranks() and target.band_ranks():
                (low, high), (new_low, new_high) = source.band_ranks(), target.band_ranks()
                rises = rises or (
                    new_low >= low and new_high >= high and (new_low, new_high) != (low, high)
                )
            assert rises, (start, step["to"]["id"])


@pytest.mark.parametrize(
    "psychology", ["clinical-psychologist", "counselling-psychologist", "health-psychologist"]
)
def test_psychologist_climbs_own_ladder_first(qualified, psychology):
    top = chain(qualified[f"role-{psychology}"]["routes"][0])
    assert top[:3] == [
        f"role-{psychology}-principal",
        f"role-{psychology}-consultant",
        "role-head-of-psychology-services",
    ]


def test_lateral_moves_cost_more_than_their_years(shipped):
    """Finding: ranking was the sum of typical years, so a one-year sideways move came first."""
    result = roadmap(shipped, "role-clinical-psychologist", target="research clinician")
    step = result["routes"][0]["steps"][0]
    assert step["kind"] == "lateral"
    assert {"reason": "lateral move", "years": 3.0} in step["penalties"]
    assert step["cost"] == step["years"] + 3.0 + 3.0  # lateral, and leaves the ladder early


def test_skipped_bands_are_penalised(shipped):
    """Finding: a move that skips bands in an estimated year or three was not penalised."""
    result = roadmap(
        shipped,
        "role-research-clinician",
        profession="health psychologist",
        target="programme lead",
    )
    step = result["routes"][0]["steps"][0]
    assert step["to"]["id"] == "role-programme-lead"
    assert {"reason": "skips 1 band", "years": 2.0} in step["penalties"]  # band 7 to 8b


def test_no_skip_penalty_between_pay_scales(shipped):
    """The HMPPS trainee grade (civil service) ranks only roughly against Agenda for Change."""
    result = roadmap(shipped, "role-forensic-psychologist-trainee-hmpps", k=1)
    assert result["routes"][0]["steps"][0]["penalties"] == []


def test_routes_never_go_down_except_by_retraining(shipped):
    index = index_of(shipped)
    checked = 0
    for iri, profession in roles_with_professions(shipped):
        for step in all_steps(roadmap(shipped, iri, profession=profession, k=3)):
            source = index.roles[PPID + step["from"]["id"]]
            target = index.roles[PPID + step["to"]["id"]]
            holder = PPID + step["profession"]["id"]
            assert target.can_be_held(holder, frozenset()), (iri, step["to"]["id"])
            if step["kind"] == "retraining":
                continue
            checked += 1
            assert target.tier_rank >= source.tier_rank
            if source.min_band and target.min_band:
                assert target.min_band.rank >= source.min_band.rank
    assert checked > 1000


def test_routes_differ_before_their_last_step(qualified):
    """Finding: the three routes were one chain with three different board seats at the end."""
    for start, result in qualified.items():
        prefixes = [tuple(chain(route)[:-1]) for route in result["routes"]]
        assert len(prefixes) == len(set(prefixes)), start


def test_no_route_passes_through_one_board_seat_to_reach_another(shipped):
    for iri, profession in roles_with_professions(shipped):
        for route in roadmap(shipped, iri, profession=profession, k=3)["routes"]:
            tiers = [step["to"]["tier"] for step in route["steps"]]
            assert "Provider Board Level" not in tiers[:-1], (iri, chain(route))


def test_each_seat_within_reach_has_its_best_route(qualified):
    """Finding: non-voting and non-executive seats (3 estimated years against 4) hid the voting
    executive seats behind them; every seat now has its own best route."""
    seats = qualified["role-clinical-psychologist"]["seats"]
    kinds = [seat["seat"]["id"] for seat in seats]
    assert kinds == sorted(
        kinds,
        key=lambda k: [
            "seat-voting-executive",
            "seat-non-voting",
            "seat-non-executive",
            "seat-voluntary-chief-executive",
            "seat-national-regional",
        ].index(k),
    )
    ids = {seat["id"] for seat in seats}
    assert {
        "role-board-director-psychological-professions",
        "role-board-director-research-strategy",
        "role-trust-chief-executive",
        "role-board-clinical-strategy-lead",
        "role-non-executive-director",
        "role-voluntary-agency-ceo",
        "role-national-professional-lead",
        "role-national-policy-delivery-lead",
        "role-alb-clinical-advisor",
        "role-regional-clinical-lead",
        "role-regional-ppn-chair",
    } <= ids
    for seat in seats:
        assert seat["route"]["steps"][-1]["to"]["id"] == seat["id"]
        board = [s for s in seat["route"]["steps"][:-1] if s["kind"] == "board"]
        # Only a chief executive's seat (or a national role) is reached through another seat.
        assert (
            not board
            or seat["id"] == "role-trust-chief-executive"
            or seat["seat"]["id"] == "seat-national-regional"
        )
    ceo = next(s for s in seats if s["id"] == "role-trust-chief-executive")
    assert [s["kind"] for s in ceo["route"]["steps"]][-2:] == ["board", "board"]


def test_trust_professional_lead_reaches_the_national_roles_above_it(shipped):
    """Finding: a trust professional lead reached 2 of the 5 national or regional roles. The
    integrated care system lead (issue 13) is a sixth; a network's programme manager, reached
    from service management, is not a step up from a trust lead."""
    result = roadmap(
        shipped, "role-trust-professional-lead", profession="counsellor", target="national", k=5
    )
    national = {s["id"]: s for s in result["seats"] if s["seat"]["id"] == "seat-national-regional"}
    assert set(national) == {
        "role-national-professional-lead",
        "role-national-policy-delivery-lead",
        "role-alb-clinical-advisor",
        "role-regional-clinical-lead",
        "role-regional-ppn-chair",
        "role-ics-psychological-professions-lead",
    }
    for seat in national.values():
        assert [s["kind"] for s in seat["route"]["steps"]] == ["national"]
    # One-step routes share their (empty) chain before the last step, so the ranked routes
    # say how many differ and point to the seats.
    assert "differ" in result["note"] or "differs" in result["note"]


@pytest.mark.parametrize("function", ["professional", "clinical", "operational"])
def test_prefer_ranks_routes_through_that_function_first(shipped, function):
    index = index_of(shipped)
    preferred = PPID + f"function-{function}"
    plain = roadmap(shipped, "role-clinical-psychologist", k=1)["routes"][0]
    chosen = roadmap(shipped, "role-clinical-psychologist", k=1, prefer=function)["routes"][0]

    def share(route):
        roles = [index.roles[PPID + s["to"]["id"]] for s in route["steps"]]
        return sum(preferred in r.functions for r in roles) / len(roles)

    assert share(chosen) >= share(plain)
    if function == "operational":
        assert chain(chosen) != chain(plain)
        assert share(chosen) > share(plain)


def test_prefer_is_echoed_and_costs_are_explained(shipped):
    result = roadmap(
        shipped,
        "role-clinical-psychologist",
        k=1,
        prefer="operational",
        target="role-head-of-psychology-services",
    )
    assert result["prefer"] == {
        "id": "function-operational",
        "label": "Operational management/leadership",
    }
    reasons = {p["reason"] for s in all_steps(result) for p in s["penalties"]}
    assert any(r.startswith("role without operational") for r in reasons)


# --- retraining ------------------------------------------------------------------------------


def test_pwp_can_retrain_as_a_cbt_therapist(shipped):
    """Finding: PWP to high-intensity CBT therapist, one of the commonest real routes, gave
    'no route'."""
    result = roadmap(shipped, "role-pwp", target="role-cbt-therapist")
    route = result["routes"][0]
    assert chain(route) == ["role-cbt-therapist-trainee", "role-cbt-therapist"]
    retrain = route["steps"][0]
    assert retrain["kind"] == "retraining"
    assert retrain["retraining"]["profession"]["id"] == "profession-cbt-therapist"
    assert "postgraduate diploma" in retrain["retraining"]["qualification"]
    assert "Fully funded" in retrain["retraining"]["funding"]
    assert retrain["years_basis"] == "source" and retrain["years_source"].startswith("https://")
    assert [s["profession"]["id"] for s in route["steps"]] == ["profession-cbt-therapist"] * 2


@pytest.mark.parametrize(
    ("start", "training"),
    [
        ("role-pwp", "role-clinical-psychologist-trainee"),
        ("role-pwp", "role-counselling-psychologist-trainee"),
        ("role-cwp", "role-cbt-therapist-trainee"),
        ("role-emhp", "role-clinical-psychologist-trainee"),
        ("role-counsellor", "role-cbt-therapist-trainee"),
    ],
)
def test_other_public_retraining_routes(shipped, start, training):
    result = roadmap(shipped, start, target=training)
    step = result["routes"][0]["steps"][0]
    assert step["kind"] == "retraining" and step["retraining"]["qualification"]
    assert step["retraining"]["funding"]


def test_route_continues_under_the_new_profession(shipped):
    """After retraining as a clinical psychologist a PWP can head psychology services, a role
    open only to practitioner psychologists."""
    result = roadmap(shipped, "role-pwp", target="role-head-of-psychology-services")
    route = result["routes"][0]
    assert route["steps"][0]["kind"] == "retraining"
    assert route["steps"][-1]["profession"]["id"] == "profession-clinical-psychologist"


# --- who can hold what ------------------------------------------------------------------------


def test_table_1_roles_are_open_only_to_professions_that_can_hold_them(shipped):
    """Finding: a PWP could 'lead clinical neuropsychology'."""
    index = index_of(shipped)
    neuro = index.roles[PPID + "role-specialist-field-lead"]
    assert {p.removeprefix(PPID) for p in neuro.professions} == {
        "profession-clinical-psychologist",
        "profession-counselling-psychologist",
    }
    with pytest.raises(RoadmapError, match="not open to"):
        roadmap(shipped, "role-specialist-field-lead", profession="PWP")
    for iri, role in index.roles.items():
        if len(role.professions) < 12 and role.tier_rank < 5 and not role.ladder_of:
            assert role.professions, iri  # a restricted Table 1 role still has holders


def test_every_restriction_says_why(shipped):
    query = """PREFIX pp: <https://w3id.org/pp-pathways/def#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?role (GROUP_CONCAT(?note) AS ?notes) WHERE {
      ?role a pp:Role ; pp:openTo ?p ; pp:tier/pp:rank ?rank .
      FILTER NOT EXISTS { ?role pp:ladderOf ?any }
      FILTER(?rank < 5)
      OPTIONAL { ?role skos:note ?note }
    } GROUP BY ?role"""
    for row in shipped.store.query(query):
        assert "Open to" in row["notes"].value, row["role"].value


# --- years, programmes, positive action -------------------------------------------------------


def test_step_kinds_are_the_named_querys(shipped, qualified):
    """The kind a roadmap shows is the one SPARQL users get from queries/progression-edges.rq."""
    from pathways.graph import queries as named_queries

    rows = named_queries.select(shipped.store, named_queries.get("progression-edges"))
    kinds = {
        r["progression"].value.removeprefix(PPID): r["kind"].value.removeprefix(PPID + "step-")
        for r in rows
    }
    steps = [s for result in qualified.values() for s in all_steps(result)]
    assert steps
    assert all(kinds[s["progression"]] == s["kind"] for s in steps)


def test_every_step_carries_its_years_basis(qualified):
    """Finding: estimated years were shown as fact."""
    bases = {s["years_basis"] for r in qualified.values() for s in all_steps(r)}
    assert bases == {"source", "estimate"}
    for result in qualified.values():
        for step in all_steps(result):
            assert (step["years_basis"] == "source") == bool(step["years_source"])


def test_programmes_fit_the_step_by_table_2_levels(shipped, qualified):
    """Finding: the MSc on a senior PWP to PWP lead step, the Aspiring Chief Executive programme
    into a non-executive seat."""
    index = index_of(shipped)
    for result in qualified.values():
        for step in all_steps(result):
            source = index.roles[PPID + step["from"]["id"]]
            target = index.roles[PPID + step["to"]["id"]]
            others = [p for p in step["programmes"] if not p["recommended"]]
            assert len(others) <= 2
            for programme in step["programmes"]:
                offer = index.offers[PPID + programme["id"]]
                assert offer.fits_step(source, target), (step["to"]["id"], programme["id"])
            ids = {p["id"] for p in step["programmes"]}
            if "programme-aspiring-chief-executive" in ids:
                assert step["to"]["id"] in {
                    "role-trust-chief-executive",
                    "role-voluntary-agency-ceo",
                }
            if "programme-elizabeth-garrett-anderson" in ids:
                assert target.tier_rank in {4, 6}
            if "programme-nye-bevan" in ids:
                assert target.tier_rank == 5
    senior_pwp = qualified["role-pwp"]["routes"][0]["steps"][1]
    assert senior_pwp["to"]["id"] == "role-pwp-lead"
    assert "programme-elizabeth-garrett-anderson" not in {p["id"] for p in senior_pwp["programmes"]}


def test_the_papers_pairing_is_marked(qualified):
    first = qualified["role-pwp"]["routes"][0]["steps"][0]
    assert [p["id"] for p in first["programmes"] if p["recommended"]] == ["programme-edward-jenner"]


def test_positive_action_by_the_band_held(shipped):
    """Stepping Up for bands 5 to 7, Ready Now from 8a, judged on the band of the role left."""
    index = index_of(shipped)
    for start in ("role-pwp", "role-clinical-psychologist", "role-cbt-therapist"):
        result = roadmap(shipped, start, k=3, positive_action=("minority-ethnic",))
        for step in all_steps(result):
            if step["kind"] == "retraining":
                assert step["positive_action"] == []  # a training post, not a leadership step
                continue
            low, high = index.roles[PPID + step["from"]["id"]].band_ranks()
            names = {p["id"] for p in step["positive_action"]}
            assert ("programme-stepping-up" in names) == (low <= 7 and high >= 5)
            assert ("programme-ready-now" in names) == (high >= 8)


def test_positive_action_only_when_asked(shipped):
    plain = roadmap(shipped, "role-pwp", k=3)
    assert all(not s["positive_action"] for s in all_steps(plain))


def test_unknown_band_gets_no_positive_action_and_a_note(data_dir):
    """Finding: Ready Now was offered where the band is unknown."""
    from pathways.graph.loader import load

    extended = load([data_dir / "unknown-band-extension"])
    result = build_roadmap(
        extended,
        RoadmapRequest(
            start="role-test-unbanded-supervisor", positive_action=("minority-ethnic",), k=1
        ),
    ).as_dict()
    step = result["routes"][0]["steps"][0]
    assert step["from"]["id"] == "role-test-unbanded-supervisor"
    assert step["positive_action"] == []
    assert "no band is known" in step["positive_action_note"]


def test_estimated_band_is_said_when_positive_action_depends_on_it(shipped):
    result = roadmap(shipped, "role-cwp-senior", k=1, positive_action=("minority-ethnic",))
    step = result["routes"][0]["steps"][0]
    assert step["positive_action"] and "estimate" in step["positive_action_note"]


def test_women_get_the_women_leaders_network_not_a_programme(shipped):
    result = roadmap(shipped, "role-pwp", k=1, positive_action=("women",))
    step = result["routes"][0]["steps"][0]
    assert step["positive_action"] == []
    assert "support-hcwln" in [s["id"] for s in step["support"]]


@pytest.mark.parametrize(
    ("group", "programme", "support"),
    [
        # NExT Director names disabled people and women; trust networks and the Academy's
        # reciprocal mentoring name LGBT+ and disabled staff (ontology/programmes.ttl, support.ttl).
        ("disabled", "programme-next-director", "support-staff-networks"),
        ("lgbt-plus", None, "support-staff-networks"),
        ("women", "programme-next-director", "support-hcwln"),
    ],
)
def test_every_equity_group_of_the_graph_can_be_asked_for(shipped, group, programme, support):
    """Regression (issue 14 review): only minority ethnic staff and women could be asked for,
    though the graph's offers name LGBT+ and disabled staff too."""
    result = roadmap(
        shipped,
        "role-head-of-psychological-therapies",
        profession="counsellor",
        target="role-non-executive-director",
        positive_action=(group,),
    )
    step = result["routes"][0]["steps"][0]
    offered = {p["id"] for p in step["positive_action"]}
    assert (programme in offered) if programme else offered == set()
    assert {support, "support-reciprocal-mentoring"} <= {s["id"] for s in step["support"]}


# --- gaps ---------------------------------------------------------------------------------------


def test_gaps_guide_with_at_most_three_priorities(qualified):
    """Finding: 108 of 138 steps listed 10 to 14 gaps and nothing stood out."""
    modes = set()
    for result in qualified.values():
        for step in all_steps(result):
            flags = [g["priority"] for g in step["gaps"]]
            assert sum(flags) <= 3
            assert flags == sorted(flags, reverse=True)  # priorities first
            if step["gaps"]:
                assert sum(flags) >= 1
            for gap in step["gaps"]:
                assert ("develop" in gap) == gap["priority"]
                if gap["priority"]:
                    modes.add(gap["develop"]["mode"])
                    assert gap["develop"]["how"]
            for strength in step["strengths"]:
                assert strength["level"] and strength["needed"]
    assert modes == {"experience", "others", "course"}
    # Every step of every top route has between one and three priority gaps.
    for start, result in qualified.items():
        for step in result["routes"][0]["steps"]:
            assert 1 <= sum(g["priority"] for g in step["gaps"]) <= 3, (start, step["to"]["id"])


def test_leading_with_care_is_a_strength_not_a_gap_on_every_step(qualified):
    """Finding: rule 2 raised Leading with care on every step, inverting the paper (§1.3, §3.3)."""
    for result in qualified.values():
        for step in all_steps(result):
            for gap in step["gaps"]:
                if gap["competency"]["label"] == "Leading with care":
                    assert gap["needed"] == "Exemplary", step["to"]["id"]
    first = qualified["role-pwp"]["routes"][0]["steps"][0]
    assert "Leading with care" in [s["competency"]["label"] for s in first["strengths"]]


def test_management_gaps_come_first_where_the_role_manages(qualified):
    """The paper: psychological professionals often lack management competencies (§3.3)."""
    steps = [
        s
        for s in all_steps(qualified["role-counsellor"])
        if s["to"]["id"] == "role-head-of-psychological-therapies"
    ]
    priorities = [g["competency"]["label"] for g in steps[0]["gaps"] if g["priority"]]
    assert priorities[0] == "Finance and business acumen"


def test_exemplary_self_assessment_produces_no_gaps(shipped):
    index = index_of(shipped)
    everything = {label: "exemplary" for label in index.competencies.values()}
    result = roadmap(shipped, "role-pwp", k=3, self_assessment=everything)
    assert all(not s["gaps"] for s in all_steps(result))


def test_self_assessment_personalises_gaps(shipped):
    low = roadmap(shipped, "role-pwp", k=1, self_assessment={"Leading with care": "essential"})
    care = [
        g
        for g in low["routes"][0]["steps"][0]["gaps"]
        if g["competency"]["label"] == "Leading with care"
    ]
    assert care and care[0]["held"] == "Essential"
    default = roadmap(shipped, "role-pwp", k=1)["routes"][0]["steps"][0]["gaps"]
    assert "Leading with care" not in [g["competency"]["label"] for g in default]


# --- registrations and closed seats ------------------------------------------------------------


def test_statutory_seats_are_excluded_citing_the_act(shipped):
    result = roadmap(shipped, "role-pwp")
    reasons = {e["id"]: e for e in result["excluded"]}
    assert set(reasons) == {"role-medical-director", "role-director-of-nursing"}
    for entry in reasons.values():
        assert "NHS Act 2006, Schedule 7" in entry["reason"]
    assert reasons["role-director-of-nursing"]["opened_by"] == ["nmc"]
    assert all(step["to"]["id"] not in reasons for step in all_steps(result))


def test_registration_opens_the_seat_it_qualifies_for(shipped):
    """Finding: a CBT therapist whose core profession is mental health nursing was told the
    director of nursing seat is closed to them."""
    result = roadmap(shipped, "role-cbt-therapist", registrations=("nmc",))
    assert [e["id"] for e in result["excluded"]] == ["role-medical-director"]
    seats = {seat["id"]: seat for seat in result["seats"]}
    assert "role-director-of-nursing" in seats
    assert result["registrations"] == [
        {"id": "register-nmc", "label": "NMC register of nurses and midwives"}
    ]
    named = roadmap(
        shipped, "role-cbt-therapist", registrations=("NMC",), target="director of nursing"
    )
    assert chain(named["routes"][0])[-1] == "role-director-of-nursing"


@pytest.mark.parametrize(
    ("options", "field", "accepted"),
    [
        ({"prefer": "managerial"}, "prefer", ["clinical", "operational", "professional"]),
        ({"registrations": ("hcpc",)}, "registration", ["gdc", "gmc", "nmc"]),
    ],
)
def test_unknown_prefer_or_registration_lists_the_accepted_values(
    shipped, options, field, accepted
):
    with pytest.raises(RoadmapError) as caught:
        roadmap(shipped, "role-pwp", **options)
    assert caught.value.field == field
    assert sorted(caught.value.suggestions) == accepted


# --- the weights live in the graph ---------------------------------------------------------------


def test_weights_come_from_the_graph():
    """The ranking reads its figures from ontology/ranking.ttl: make every promotion cost ten
    more years there and the top route trades promotions for a lateral move."""
    import pyoxigraph as ox

    from pathways.graph.loader import load

    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    promotion = ox.NamedNode(PPID + "step-promotion")
    penalty = ox.NamedNode("https://w3id.org/pp-pathways/def#stepPenalty")
    changed = load()
    changed.store.remove(ox.Quad(promotion, penalty, ox.Literal("0.0", datatype=decimal)))
    changed.store.add(ox.Quad(promotion, penalty, ox.Literal("10.0", datatype=decimal)))
    request = RoadmapRequest(start="role-clinical-psychologist", k=1)
    default = build_roadmap(load(), request).as_dict()["routes"][0]
    relaxed = build_roadmap(changed, request).as_dict()["routes"][0]
    assert chain(relaxed) != chain(default)
    assert "lateral" in [s["kind"] for s in relaxed["steps"]]
    promotions = [s for s in relaxed["steps"] if s["kind"] == "promotion"]
    assert all({"reason": "promotion", "years": 10.0} in s["penalties"] for s in promotions)


def test_aspiring_chief_executive_on_the_step_into_the_chief_executive_seat(shipped):
    """Finding: the programme made for the seat was left off the step into it, because the
    step closes no gap."""
    result = roadmap(shipped, "role-clinical-psychologist", target="role-trust-chief-executive")
    last = result["routes"][0]["steps"][-1]
    assert last["to"]["id"] == "role-trust-chief-executive"
    assert "programme-aspiring-chief-executive" in {p["id"] for p in last["programmes"]}


def test_next_director_for_non_executive_seats_only(shipped):
    result = roadmap(
        shipped,
        "role-head-of-psychological-therapies",
        profession="counsellor",
        target="role-non-executive-director",
        positive_action=("minority-ethnic",),
    )
    step = result["routes"][0]["steps"][0]
    assert {p["id"] for p in step["positive_action"]} >= {"programme-next-director"}
    assert "programme-nye-bevan" not in {p["id"] for p in step["programmes"]}
    other = roadmap(
        shipped, "role-clinical-psychologist", k=1, positive_action=("minority-ethnic",)
    )
    offered = {p["id"] for s in all_steps(other) for p in s["positive_action"]}
    assert "programme-next-director" not in offered


def test_every_open_seat_is_reached_from_every_qualified_role(qualified):
    """Finding: forensic psychologists could reach no chief executive or operations seat, and
    the tool did not say so."""
    for start, result in qualified.items():
        unreached = [e["label"] for e in result["excluded"] if e["reason"].startswith("no route")]
        assert unreached == [], start


def test_routes_differ_and_a_short_list_says_why(shipped):
    # (The non-executive seat was the example until a third route to it was added: issue 13.)
    result = roadmap(shipped, "role-forensic-psychologist", target="role-chief-operating-officer")
    assert len(result["routes"]) < 3
    assert "differ before their last step" in result["note"] or "differs" in result["note"]


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


def test_engine_edges_are_the_roadmap_edges_query(shipped):
    """The engine takes edges from its index for speed; every edge it walks must be one the
    roadmap-edges query returns for the start."""
    import pyoxigraph as ox

    from pathways.careers.paths import state_graph
    from pathways.graph import queries as named_queries

    index = index_of(shipped)
    query = named_queries.get("roadmap-edges")
    compared = 0
    for iri, profession in roles_with_professions(shipped):
        rows = named_queries.select(shipped.store, query, {"start": ox.NamedNode(iri)})
        expected = {(r["from"].value, r["to"].value) for r in rows}
        graph = state_graph(index, iri, profession, frozenset(), None)
        walked = {(a[0], b[0]) for a, b in graph.edges()}
        assert walked <= expected, iri
        compared += 1
    assert compared > 250


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


def test_roadmap_cache_keys_on_the_parsed_request(shipped):
    """Regression: the cache keyed on raw text, so each spelling of one request was a new
    entry (and a way to fill the cache)."""
    from pathways.careers.roadmap import RoadmapRequest, roadmap_as_json

    shipped.cache.pop("roadmaps", None)
    spellings = ["role-pwp-senior", "Senior PWP", "  senior pwp ", f"{PPID}role-pwp-senior"]
    bodies = {roadmap_as_json(shipped, RoadmapRequest(start=s, k=1)) for s in spellings}
    assert len(bodies) == 1
    assert len(shipped.cache["roadmaps"]) == 1
    roadmap_as_json(shipped, RoadmapRequest(start="senior pwp", k=1, target="BOARD"))
    assert len(shipped.cache["roadmaps"]) == 1


def test_roadmap_cache_is_bounded_in_bytes():
    from pathways.careers.roadmap import AnswerCache

    cache = AnswerCache(limit=10_000)
    for n in range(100):
        cache.put(("role", n), b"x" * 1000)
    assert cache.size <= 10_000
    assert len(cache) == 9  # each entry costs its 1,000 bytes and its key's text
    assert cache.get(("role", 99)) is not None and cache.get(("role", 0)) is None
    cache.put(("huge",), b"x" * 20_000)  # larger than the whole budget: not kept
    assert cache.get(("huge",)) is None and cache.size <= 10_000


def test_route_title_gives_the_seat_penalty_so_the_ranking_adds_up(shipped):
    """Regression (adviser review): "≈15 years ... ranked as 19 years" explained 3 of the 4
    years: the 1 year for ending on a non-executive seat was never printed."""
    result = roadmap(shipped, "role-pwp", target="role-non-executive-director", k=3)
    ending = [r for r in result["routes"] if r["end_penalty"]]
    assert ending
    for route in ending:
        title = route_title(2, route)
        assert f"{route['end_penalty']['reason']}: 1 year longer)" in title
        step_years = sum(p["years"] for s in route["steps"] for p in s["penalties"])
        if step_years:
            # Regression (issue 14 review): the steps' penalties were not in the title either.
            assert (
                f"({step_years:g} years for its steps' penalties, given with each step; " in title
            )
        assert route["cost"] == route["total_years"] + step_years + route["end_penalty"]["years"]


def test_seats_left_out_are_bounded_in_a_graph_of_many_organisations(tmp_path):
    """Issue 15: with 12 copies of every role (as 12 trusts would add), a roadmap listed every
    other trust's seat that no route reaches, hundreds of lines growing with the graph. It lists
    10 of each reason and counts the rest, and the counts equal a full scan's."""
    import sys

    from conftest import ROOT
    from pathways.careers.render import excluded_more_line
    from pathways.careers.roadmap import EXCLUDED_SHOWN
    from pathways.graph.loader import load

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale_bench

    graph = load([scale_bench.write_copies(12, tmp_path)])

    def short(iri):
        return iri.rsplit("/", 1)[1]

    index = index_of(graph)
    result = build_roadmap(graph, RoadmapRequest(start="role-pwp")).as_dict()
    listed = result["excluded"]
    closed = [e for e in listed if not e["reason"].startswith("no route")]
    unreached = [e for e in listed if e["reason"].startswith("no route")]
    assert len(closed) == EXCLUDED_SHOWN and len(unreached) == EXCLUDED_SHOWN

    # The full scan: every board seat a PWP (or a profession they retrain into) may not hold,
    # and every other board seat title not reached.
    board = [r for r in index.roles.values() if r.tier_label == result["target"]["label"]]
    # A PWP's routes retrain into every profession, so "their professions" are all of them.
    met = {p for r in index.roles.values() for p in r.professions}
    all_closed = sorted(r.iri for r in board if not any(r.can_be_held(p, frozenset()) for p in met))
    reached = {seat["label"] for seat in result["seats"]}
    closed_labels = {index.roles[i].label for i in all_closed}
    all_unreached = {r.label for r in board} - reached - closed_labels
    assert result["excluded_more"]["closed"] == len(all_closed) - EXCLUDED_SHOWN
    assert result["excluded_more"]["unreached"] == len(all_unreached) - EXCLUDED_SHOWN
    assert [e["id"] for e in closed] == [short(i) for i in all_closed[:EXCLUDED_SHOWN]]
    # The seats reserved to dentists, doctors and nurses in the trusts not listed.
    assert result["excluded_more"]["opened_by"] == ["gdc", "gmc", "nmc"]
    line = excluded_more_line(result)
    assert line.startswith("Not listed: ") and f"{len(all_closed) - EXCLUDED_SHOWN:,} more" in line


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text():
    """Labels come from Turtle anyone may extend: '=HYPERLINK(...)' must not reach a
    spreadsheet as a formula. Numbers, negative ones included, stay numbers."""
    import csv
    import io

    from pathways.careers.render import rows_csv

    hostile = ['=HYPERLINK("http://example.org","x")', "+1+2", "@SUM(A1)", "-cmd", "\tx"]
    text = rows_csv(["cell"], [{"cell": value} for value in [*hostile, "-1.5", "plain"]])
    cells = [row["cell"] for row in csv.DictReader(io.StringIO(text))]
    assert cells[: len(hostile)] == ["'" + value for value in hostile]
    assert cells[len(hostile) :] == ["-1.5", "plain"]


@pytest.mark.parametrize(
    "start", ["role-clinical-psychologist", "role-pwp", "role-counsellor", "role-cwp"]
)
def test_the_step_onto_the_board_says_the_seat_is_not_in_every_trust_and_advises_a_leader(
    shipped, start
):
    """Regression (an adviser's review): every first-ranked route ended at the executive
    director of therapies or psychological professions, a seat no rule requires a trust to
    have, without saying so; and the advice for that step (a head of service's) was a first-time
    manager's: "take on line management", "hold a budget"."""
    result = roadmap(shipped, start)
    onto_seat = [
        step
        for route in result["routes"]
        for step in route["steps"]
        if step["to"]["id"] == "role-board-director-psychological-professions"
    ]
    assert onto_seat, start
    for step in onto_seat:
        (caveat,) = [c for c in step["conditions"] if c.startswith("Not every trust has")]
        assert "Schedule 7" in caveat and "(this project's reading)" in caveat
        advice = {g["competency"]["id"]: g["develop"]["how"] for g in step["gaps"] if g["priority"]}
        if "competency-people-management" in advice:
            assert "Deputise for a director" in advice["competency-people-management"]
        if "competency-finance-business-acumen" in advice:
            assert "business case" in advice["competency-finance-business-acumen"]
    # Only that seat: the research and strategy director's steps carry no such condition.
    others = [
        step
        for route in result["routes"]
        for step in route["steps"]
        if step["to"]["id"] == "role-board-director-research-strategy"
    ]
    assert all(not c.startswith("Not every trust") for s in others for c in s["conditions"])


def test_the_heading_gives_the_band_you_start_from_with_its_basis(shipped):
    """An adviser's review: the band of the role held was never shown, so a step's band could
    not be read as a rise or a drop."""
    pwp = roadmap(shipped, "role-pwp", k=1)
    assert pwp["start"] | {"bands": "5", "bands_basis": "source"} == pwp["start"]
    assert pwp["start"]["tier"] == "Psychological Professional"
    assert roadmap_title(pwp) == (
        "From PWP (Psychological wellbeing practitioner), band 5, to Provider Board Level"
    )
    lead = roadmap(shipped, "role-cbt-therapist-lead", k=1)
    assert lead["start"]["bands_basis"] == "estimate"
    assert ", band 8b-8c (estimate), to " in roadmap_title(lead)


def test_a_programme_listed_at_an_earlier_step_is_not_offered_again(shipped):
    """Regression (an adviser's review): the Mary Seacole programme, listed (the paper's own
    pairing) for the step to principal clinical psychologist, was offered again for the step
    from principal to consultant, where the Rosalind Franklin programme belongs."""
    first = roadmap(shipped, "role-clinical-psychologist", k=1)["routes"][0]["steps"]
    labels = [[p["label"] for p in step["programmes"]] for step in first]
    assert labels[0][0] == "Mary Seacole programme" and first[0]["programmes"][0]["recommended"]
    assert labels[1] == ["Rosalind Franklin programme"]
    advice = [g["develop"]["how"] for g in first[1]["gaps"] if g["priority"]]
    assert any(a.startswith("Take the Rosalind Franklin programme (listed") for a in advice)
    assert not any("Mary Seacole" in a for a in advice)
    # Across every route from every role: no programme twice in a route, unless the paper
    # pairs it with the later step.
    checked = 0
    for role in index_of(shipped).roles.values():
        for profession in sorted(role.professions):
            try:
                found = build_roadmap(
                    shipped, RoadmapRequest(start=role.iri, profession=profession, k=3)
                ).as_dict()
            except RoadmapError:
                continue
            for route in found["routes"]:
                seen: set[str] = set()
                for step in route["steps"]:
                    for programme in step["programmes"]:
                        if not programme["recommended"]:
                            assert programme["id"] not in seen, (role.label, programme["label"])
                        seen.add(programme["id"])
                checked += 1
    assert checked > 400  # 488 routes on the shipped graph


def test_board_pay_is_not_called_an_agenda_for_change_band(shipped):
    """Regression (an adviser's review): "band VSM" read as a band above 9; board pay is the
    very senior managers framework, outside Agenda for Change."""
    route = roadmap(shipped, "role-pwp", k=1)["routes"][0]
    heading = step_heading(route["steps"][-1])
    assert "(Provider Board Level, VSM pay, outside Agenda for Change)" in heading
    assert "band VSM" not in heading
