"""The knowledge base of roles and progressions: faithful to the paper, and every route sound."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pathways.careers.index import index_of
from pathways.careers.routes import BOARD_TIER, profession_summaries, route_graph
from pathways.graph import queries as named_queries
from pathways.graph.resources import PP, PPID

PREFIXES = (
    f"PREFIX pp: <{PP}>\nPREFIX ppid: <{PPID}>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)

TABLE_1 = {
    "tier-national-regional": [
        "role-national-professional-lead",
        "role-national-policy-delivery-lead",
        "role-alb-clinical-advisor",
        "role-regional-clinical-lead",
        "role-regional-ppn-chair",
    ],
    "tier-provider-board": [
        "role-board-director-psychological-professions",
        "role-board-director-research-strategy",
        "role-board-clinical-strategy-lead",
        "role-voluntary-agency-ceo",
    ],
    "tier-senior-leader-manager": [
        "role-clinical-director",
        "role-service-director",
        "role-trust-professional-lead",
        "role-head-of-training-programme",
    ],
    "tier-leader-manager": [
        "role-iapt-clinical-lead",
        "role-specialist-field-lead",
        "role-programme-lead",
        "role-team-manager",
    ],
    "tier-senior-psychological-professional": [
        "role-cyp-senior-supervisor",
        "role-pcn-clinical-leader",
        "role-iapt-senior-practitioner",
    ],
    "tier-psychological-professional": [
        "role-cyp-consultation-practitioner",
        "role-secondary-care-adult-practitioner",
        "role-staff-coach",
        "role-older-adults-iapt-champion",
        "role-research-clinician",
    ],
}


def rows(shipped, text: str, **bindings):
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    result = shipped.store.query(PREFIXES + text, substitutions=subs)
    return [
        {v.value: s[v.value] for v in result.variables if s[v.value] is not None} for s in result
    ]


@pytest.fixture(scope="module")
def all_roles(shipped):
    return index_of(shipped).roles


@pytest.fixture(scope="module")
def graph(shipped):
    return route_graph(shipped)


@pytest.mark.parametrize(("tier", "role"), [(t, r) for t, rs in TABLE_1.items() for r in rs])
def test_every_table_1_example_is_present_in_its_tier(all_roles, tier, role):
    assert PPID + role in all_roles, role
    assert all_roles[PPID + role].tier == PPID + tier


def test_statutory_board_seats_need_another_register_and_are_open_to_no_profession(
    all_roles, shipped
):
    for seat, registers in {
        "role-medical-director": {"register-gmc", "register-gdc"},
        "role-director-of-nursing": {"register-nmc"},
    }.items():
        info = all_roles[PPID + seat]
        assert info.tier == BOARD_TIER
        assert info.professions == set()
        found = rows(
            shipped,
            "SELECT ?role ?r WHERE { ?role pp:requiresRegistrationOn ?r }",
            role=ox.NamedNode(PPID + seat),
        )
        assert {r["r"].value.removeprefix(PPID) for r in found} == registers


def test_open_board_seats_are_open_to_all_twelve(all_roles):
    for seat in (
        "role-trust-chief-executive",
        "role-non-executive-director",
        "role-board-director-psychological-professions",
    ):
        assert len(all_roles[PPID + seat].professions) == 12, seat


def test_every_profession_spans_three_tiers_and_reaches_board(shipped):
    summaries = profession_summaries(shipped)
    assert len(summaries) == 12
    for summary in summaries:
        assert len(summary.tiers) >= 3, summary
        assert summary.reaches_board, summary.label


def test_every_role_below_board_reaches_an_open_board_role(all_roles, graph):
    import networkx as nx

    open_boards = {i for i, r in all_roles.items() if r.tier == BOARD_TIER and r.professions}
    for iri, info in all_roles.items():
        if info.tier_rank >= 5:
            continue
        assert iri in graph and open_boards & nx.descendants(graph, iri), info.label


def test_routes_are_acyclic_and_never_go_down_in_tier(all_roles, graph):
    import networkx as nx

    assert nx.is_directed_acyclic_graph(graph)
    for source, target in graph.edges:
        assert all_roles[target].tier_rank >= all_roles[source].tier_rank, (source, target)


def programmes_on(shipped, source: str, target: str, link: str = "recommendedProgramme"):
    found = rows(
        shipped,
        f"""SELECT ?from ?to ?p WHERE {{
        ?s pp:fromRole ?from ; pp:toRole ?to ; pp:{link} ?p }}""",
        **{"from": ox.NamedNode(PPID + source), "to": ox.NamedNode(PPID + target)},
    )
    return {r["p"].value.removeprefix(PPID) for r in found}


def test_table_2_pairings(shipped, all_roles, graph):
    assert "programme-edward-jenner" in programmes_on(shipped, "role-pwp", "role-pwp-senior")
    first_lead = [
        (s, t)
        for s, t in graph.edges
        if s.removeprefix(PPID)
        in {"role-cbt-therapist", "role-clinical-psychologist", "role-counsellor"}
    ]
    assert any(
        "programme-mary-seacole"
        in programmes_on(shipped, s.removeprefix(PPID), t.removeprefix(PPID))
        for s, t in first_lead
    )
    for target, programme in [
        ("role-iapt-clinical-lead", "programme-rosalind-franklin"),
        ("role-specialist-field-lead", "programme-rosalind-franklin"),
        ("role-clinical-director", "programme-elizabeth-garrett-anderson"),
        ("role-service-director", "programme-elizabeth-garrett-anderson"),
        ("role-trust-professional-lead", "programme-elizabeth-garrett-anderson"),
    ]:
        incoming = list(graph.predecessors(PPID + target))
        assert incoming, target
        assert any(
            programme in programmes_on(shipped, s.removeprefix(PPID), target) for s in incoming
        ), target
    # Nye Bevan prepares for the executive and other trust board seats; non-executive seats
    # have NHS England's NExT Director scheme instead, and a voluntary agency is not an NHS board.
    not_nye_bevan = {"role-non-executive-director", "role-voluntary-agency-ceo"}
    for source, target in graph.edges:
        if (
            all_roles[target].tier == BOARD_TIER
            and all_roles[source].tier != BOARD_TIER
            and target.removeprefix(PPID) not in not_nye_bevan
        ):
            assert "programme-nye-bevan" in programmes_on(
                shipped, source.removeprefix(PPID), target.removeprefix(PPID)
            ), (source, target)


def test_positive_action_programmes_state_the_bands_table_3_gives(shipped):
    """Roadmaps offer positive action by the band a person holds, from each programme's band
    range: Stepping Up for bands 5 to 7, Ready Now from 8a (FACTS.md, the Academy's pages)."""
    found = rows(
        shipped,
        """SELECT ?p ?low ?high WHERE { ?p pp:positiveActionFor ?group ; a pp:TrainingProgramme ;
        pp:minBand/skos:notation ?low ; pp:maxBand/skos:notation ?high }""",
    )
    bands = {r["p"].value.removeprefix(PPID): (r["low"].value, r["high"].value) for r in found}
    assert bands == {"programme-stepping-up": ("5", "7"), "programme-ready-now": ("8a", "VSM")}


def test_every_role_has_a_level_for_every_competency(shipped, all_roles):
    query = named_queries.get("role-requirements")
    competencies = rows(
        shipped,
        "SELECT ?c WHERE { ?c a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* pp:Competency }",
    )
    expected = {r["c"].value for r in competencies}
    assert len(expected) == 15
    for iri in all_roles:
        found = named_queries.select(shipped.store, query, {"role": ox.NamedNode(iri)})
        assert {r["competency"].value for r in found} == expected, iri
        assert len(found) == len(expected), iri


def test_recommendations_and_barriers(shipped):
    count = rows(shipped, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a pp:Recommendation }")
    assert int(count[0]["n"].value) == 18
    categories = rows(shipped, "SELECT ?c WHERE { ?c a pp:RecommendationCategory }")
    assert len(categories) == 5
    barriers = rows(shipped, "SELECT ?b WHERE { ?b a pp:Barrier }")
    assert len(barriers) == 6
    realised = rows(shipped, "SELECT DISTINCT ?r WHERE { ?r pp:realisedBy ?x }")
    assert PPID + "recommendation-04" in {r["r"].value for r in realised}


def test_role_override_beats_tier_default(shipped):
    query = named_queries.get("role-requirements")
    found = named_queries.select(
        shipped.store, query, {"role": ox.NamedNode(PPID + "role-team-manager")}
    )
    by_competency = {r["competency"].value.removeprefix(PPID): r for r in found}
    people = by_competency["competency-people-management"]
    assert people["level"].value == PPID + "level-strong"
    assert people["origin"].value == "role"
    assert by_competency["hlm-engaging-the-team"]["origin"].value == "tier"


def test_every_override_states_its_reason(shipped):
    missing = rows(
        shipped,
        """SELECT ?req WHERE { ?role pp:requires ?req .
        FILTER NOT EXISTS { ?req <http://www.w3.org/2004/02/skos/core#note> ?note } }""",
    )
    assert missing == []


ONTOLOGY = "https://w3id.org/pp-pathways/def"


def test_the_ontology_header_says_what_tools_and_people_look_for(shipped):
    """Regression: the header had no versionIRI, creator, title, description, dates or vann
    prefix annotations (issue 13)."""
    import pyoxigraph as ox

    from pathways import __version__

    quads = shipped.store.quads_for_pattern(ox.NamedNode(ONTOLOGY), None, None)
    said = {quad.predicate.value: quad.object.value for quad in quads}
    owl = "http://www.w3.org/2002/07/owl#"
    dcterms = "http://purl.org/dc/terms/"
    vann = "http://purl.org/vocab/vann/"
    assert said[owl + "versionInfo"] == __version__
    assert said[owl + "versionIRI"] == f"{ONTOLOGY}/{__version__}"
    for term in ("title", "description", "creator", "created", "modified", "license"):
        assert dcterms + term in said, term
    assert said[vann + "preferredNamespacePrefix"] == "pp"
    assert said[vann + "preferredNamespaceUri"] == "https://w3id.org/pp-pathways/def#"


def test_every_term_is_defined_by_the_ontology_and_labels_differ(shipped):
    query = """
        PREFIX owl:  <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?term ?label ?definedBy WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
          ?term a ?kind ; rdfs:label ?label .
          OPTIONAL { ?term rdfs:isDefinedBy ?definedBy }
          FILTER(STRSTARTS(STR(?term), "https://w3id.org/pp-pathways/def#"))
        }
    """
    rows = [(r["term"].value, r["label"].value, r["definedBy"]) for r in shipped.store.query(query)]
    assert len(rows) > 90
    undefined = [term for term, _, by in rows if by is None or by.value != ONTOLOGY]
    assert undefined == []
    labels = [label.lower() for _, label, _ in rows]
    # Regression: pp:Competency and pp:competency (and five other pairs) shared a label.
    assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})


def test_every_individual_is_declared_a_named_individual(shipped):
    """Regression: no individual was declared owl:NamedIndividual, so owlready2 (and Protégé's
    individuals tab) listed none."""
    query = """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT (COUNT(DISTINCT ?x) AS ?all) (COUNT(DISTINCT ?declared) AS ?named) WHERE {
          ?x a ?class .
          FILTER(STRSTARTS(STR(?x), "https://w3id.org/pp-pathways/id/"))
          OPTIONAL { ?x a owl:NamedIndividual . BIND(?x AS ?declared) }
        }
    """
    (row,) = list(shipped.store.query(query))
    assert int(row["all"].value) > 450
    assert row["named"].value == row["all"].value
