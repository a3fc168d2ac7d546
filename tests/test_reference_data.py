"""The reference half of the knowledge base: the counts and orders the paper and FACTS.md give."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pathways.graph.resources import PP, PPID

PREFIXES = f"""PREFIX pp: <{PP}>
PREFIX ppid: <{PPID}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def select(shipped, text: str, **bindings):
    # pyoxigraph binds only variables that the SELECT clause projects.
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    result = shipped.store.query(PREFIXES + text, substitutions=subs)
    return [{v.value: s[v.value] for v in result.variables} for s in result]


def count_of(shipped, cls: str) -> int:
    rows = select(
        shipped,
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c",
        c=ox.NamedNode(PP + cls),
    )
    return int(rows[0]["n"].value)


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        ("Profession", 12),
        ("LeadershipDimension", 9),
        ("ProficiencyLevel", 4),
        ("TrainingProgramme", 9),
        ("LeadershipTier", 6),
        ("LeadershipFunction", 3),
        ("ProfessionalBody", 8),
        ("ManagementCompetency", 2),
        ("ProfessionalCompetency", 4),
    ],
)
def test_reference_counts(shipped, cls, expected):
    assert count_of(shipped, cls) == expected


def ordered_notations(shipped, scale: str) -> list[str]:
    rows = select(
        shipped,
        """
        SELECT ?s ?notation ?rank WHERE { ?b a pp:PayBand ; pp:onScale ?s ; pp:rank ?rank ;
                                          skos:notation ?notation } ORDER BY ?rank""",
        s=ox.NamedNode(PPID + scale),
    )
    return [r["notation"].value for r in rows]


def test_afc_bands_in_rank_order(shipped):
    assert ordered_notations(shipped, "scale-afc") == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8a",
        "8b",
        "8c",
        "8d",
        "9",
    ]


def test_other_scales_exist_beside_afc(shipped):
    assert ordered_notations(shipped, "scale-vsm") == ["VSM"]
    assert len(ordered_notations(shipped, "scale-civil-service")) == 1
    assert len(ordered_notations(shipped, "scale-non-executive")) == 1


def test_vsm_ranks_above_every_afc_band(shipped):
    rows = select(
        shipped, """SELECT (MAX(?r) AS ?top) WHERE { ?b pp:onScale ppid:scale-afc ; pp:rank ?r }"""
    )
    vsm = select(shipped, "SELECT ?r WHERE { ppid:band-vsm pp:rank ?r }")
    assert int(vsm[0]["r"].value) > int(rows[0]["top"].value)


def test_tiers_ranked_as_in_table_1(shipped):
    rows = select(shipped, "SELECT ?t WHERE { ?t a pp:LeadershipTier ; pp:rank ?r } ORDER BY ?r")
    assert [r["t"].value.removeprefix(PPID) for r in rows] == [
        "tier-psychological-professional",
        "tier-senior-psychological-professional",
        "tier-leader-manager",
        "tier-senior-leader-manager",
        "tier-provider-board",
        "tier-national-regional",
    ]


def test_proficiency_levels_ranked(shipped):
    rows = select(shipped, "SELECT ?l WHERE { ?l a pp:ProficiencyLevel ; pp:rank ?r } ORDER BY ?r")
    assert [r["l"].value.removeprefix(PPID) for r in rows] == [
        "level-essential",
        "level-proficient",
        "level-strong",
        "level-exemplary",
    ]


def band_range(shipped, programme: str) -> tuple[str, str]:
    rows = select(
        shipped,
        """SELECT ?p ?lo ?hi WHERE { ?p pp:minBand/skos:notation ?lo ;
                                                        pp:maxBand/skos:notation ?hi }""",
        p=ox.NamedNode(PPID + programme),
    )
    return rows[0]["lo"].value, rows[0]["hi"].value


def test_positive_action_programmes_match_table_3(shipped):
    assert band_range(shipped, "programme-stepping-up") == ("5", "7")
    assert band_range(shipped, "programme-ready-now")[0] == "8a"
    rows = select(
        shipped,
        "SELECT ?p WHERE { ?p a pp:TrainingProgramme ;"
        " pp:positiveActionFor ppid:group-minority-ethnic }",
    )
    assert {r["p"].value.removeprefix(PPID) for r in rows} == {
        "programme-stepping-up",
        "programme-ready-now",
        "programme-next-director",  # NHS England's route to non-executive seats
    }


def test_every_programme_is_provided_by_the_leadership_academy_or_nhs_england(shipped):
    rows = select(
        shipped,
        """SELECT ?p WHERE { ?p a pp:TrainingProgramme
        FILTER NOT EXISTS { ?p pp:provider ppid:org-nhs-leadership-academy } }""",
    )
    assert [r["p"].value.removeprefix(PPID) for r in rows] == ["programme-next-director"]


def test_elizabeth_garrett_anderson_develops_people_management_and_business_acumen(shipped):
    rows = select(
        shipped, "SELECT ?c WHERE { ppid:programme-elizabeth-garrett-anderson pp:develops ?c }"
    )
    found = {r["c"].value.removeprefix(PPID) for r in rows}
    assert {"competency-people-management", "competency-finance-business-acumen"} <= found


def test_practitioner_psychologists_are_on_the_hcpc_register(shipped):
    rows = select(
        shipped,
        """SELECT ?p WHERE {
        ?p pp:registeredOn ppid:register-hcpc-practitioner-psychologists }""",
    )
    assert {r["p"].value.removeprefix(PPID) for r in rows} == {
        "profession-clinical-psychologist",
        "profession-counselling-psychologist",
        "profession-forensic-psychologist",
        "profession-health-psychologist",
    }


def test_board_registers_for_statutory_seats_exist(shipped):
    rows = select(shipped, "SELECT ?r WHERE { ?r a pp:Register ; pp:statutory true }")
    assert {r["r"].value.removeprefix(PPID) for r in rows} >= {
        "register-gmc",
        "register-gdc",
        "register-nmc",
        "register-hcpc-practitioner-psychologists",
    }


def test_every_individual_has_one_english_label_definition_and_a_source(shipped):
    rows = select(
        shipped,
        """SELECT ?x WHERE { ?x a ?c . FILTER(STRSTARTS(STR(?x), STR(ppid:)))
        FILTER NOT EXISTS { ?x rdfs:label ?l FILTER(LANG(?l) = "en") }
        FILTER NOT EXISTS { ?x skos:definition ?d FILTER(LANG(?d) = "en") }
        FILTER NOT EXISTS { ?x <http://purl.org/dc/terms/source> ?s } }""",
    )
    assert rows == []


def test_core_declares_version_chain_and_board_class(shipped):
    rows = select(
        shipped, "SELECT ?v WHERE { <https://w3id.org/pp-pathways/def> owl:versionInfo ?v }"
    )
    assert rows and rows[0]["v"].value
    chain = select(
        shipped,
        """SELECT ?first ?second WHERE {
        pp:progressesTo owl:propertyChainAxiom ?list .
        ?list rdf:first ?first ; rdf:rest/rdf:first ?second }""",
    )
    assert [chain[0]["first"].value, chain[0]["second"].value] == [
        PP + "hasProgression",
        PP + "toRole",
    ]
    board = select(
        shipped,
        """SELECT ?v WHERE { pp:BoardLevelRole owl:equivalentClass/
        owl:intersectionOf/rdf:rest/rdf:first/owl:hasValue ?v }""",
    )
    assert board[0]["v"].value == PPID + "tier-provider-board"
