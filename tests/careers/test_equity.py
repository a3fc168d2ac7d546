"""Route equity (careers/equity.py): the figures per profession, each checked against a plain
reference implementation on the same route graph, and the structural barriers they show."""

from __future__ import annotations

import networkx as nx
import pytest

from pathways.careers import scoring
from pathways.careers.equity import LEADERSHIP_TIERS, equity_of, equity_rows
from pathways.careers.index import index_of
from pathways.careers.paths import BOARD_TIER
from pathways.careers.roadmap import RoadmapRequest, build_roadmap
from pathways.graph.resources import PPID


def _own_graph(index, profession: str) -> nx.DiGraph:
    """The reference: the progressions a member of ``profession`` can take without retraining,
    stopping at the first board seat, as a networkx graph."""
    graph = nx.DiGraph()
    for edge in index.edges.values():
        source, target = index.roles[edge.source], index.roles[edge.target]
        if edge.retrains_as or source.tier == BOARD_TIER:
            continue
        if profession in source.professions and target.can_be_held(profession, frozenset()):
            years = edge.years if edge.years is not None else scoring.policy_of(index).unknown_years
            graph.add_edge(edge.source, edge.target, years=years)
    return graph


def _boards(index, graph: nx.DiGraph) -> set[str]:
    return {n for n in graph if index.roles[n].tier == BOARD_TIER}


@pytest.fixture(scope="module")
def rows(shipped):
    return {row.profession: row for row in equity_rows(index_of(shipped))}


def test_one_row_per_profession_each_from_its_entry_role(shipped, rows):
    index = index_of(shipped)
    assert len(rows) == 12 == len(index.professions)
    for profession, row in rows.items():
        assert row.entry is not None, row.label
        assert row.entry.iri == index.entry_roles[profession]
        assert row.board_seats and row.voting_seats > 0, row.label


def test_route_counts_equal_every_simple_path_to_a_board_seat(shipped, rows):
    index = index_of(shipped)
    for profession, row in rows.items():
        graph = _own_graph(index, profession)
        start = row.entry.iri
        expected = sum(
            1 for board in _boards(index, graph) for _ in nx.all_simple_paths(graph, start, board)
        )
        assert row.routes == expected > 0, row.label


def test_bottlenecks_are_the_leadership_roles_whose_removal_cuts_every_route(shipped, rows):
    index = index_of(shipped)
    for profession, row in rows.items():
        graph = _own_graph(index, profession)
        start = row.entry.iri
        reachable = nx.descendants(graph, start)
        expected = set()
        for role in reachable:
            if index.roles[role].tier not in LEADERSHIP_TIERS:
                continue
            cut = graph.copy()
            cut.remove_node(role)
            if not any(nx.has_path(cut, start, b) for b in _boards(index, cut) if b in cut):
                expected.add(index.roles[role].label)
        assert {b["label"] for b in row.bottlenecks} == expected, row.label


def test_fastest_years_equal_the_shortest_path_by_years(shipped, rows):
    index = index_of(shipped)
    for profession, row in rows.items():
        graph = _own_graph(index, profession)
        lengths = nx.single_source_dijkstra_path_length(graph, row.entry.iri, weight="years")
        expected = min(years for role, years in lengths.items() if role in _boards(index, graph))
        assert row.fastest["years"] == pytest.approx(expected), row.label
        assert row.fastest["roles"][0]["id"] == row.entry.iri.removeprefix(PPID)


def test_seats_reached_are_seats_the_roadmap_from_the_entry_role_lists(shipped, rows):
    """One engine: every seat an equity row counts is one the roadmap offers the same person."""
    for row in rows.values():
        roadmap = build_roadmap(
            shipped, RoadmapRequest(start=row.entry.iri.removeprefix(PPID), profession=row.label)
        ).as_dict()
        offered = {seat["id"] for seat in roadmap["seats"]}
        assert {seat["id"] for seat in row.board_seats} <= offered, row.label


def test_the_low_intensity_professions_depend_on_the_clinical_services_manager(rows):
    """The finding the paper's §3 names in general, in figures: PWP, CWP and EMHP routes to
    board all pass through their own lead post and the clinical services manager."""
    dependent = {
        row.label: [b["label"] for b in row.bottlenecks] for row in rows.values() if row.bottlenecks
    }
    assert dependent == {
        "Children's wellbeing practitioner": ["CWP lead", "Clinical services manager"],
        "Education mental health practitioner": [
            "EMHP lead (mental health support team lead)",
            "Clinical services manager",
        ],
        "Psychological wellbeing practitioner": ["PWP lead", "Clinical services manager"],
    }
    pwp = next(row for row in rows.values() if row.abbreviation == "PWP")
    assert pwp.routes == 20
    assert "every route to board passes through PWP lead and Clinical services manager" in (
        pwp.barriers
    )


POSITIVE_ACTION = {"Stepping Up programme", "Ready Now programme", "NExT Director scheme"}


def test_positive_action_counts_steps_a_programme_applies_to(rows):
    for row in rows.values():
        cover = row.positive_action
        assert 0 < cover["covered"] <= cover["steps"], row.label
        assert set(cover["programmes"]) <= POSITIVE_ACTION, row.label
        assert "Stepping Up programme" in cover["programmes"], row.label


def test_the_report_names_the_recommendations_each_figure_speaks_to(shipped):
    report = equity_of(shipped)
    fields = {m["field"]: [r["number"] for r in m["recommendations"]] for m in report["measures"]}
    assert set(fields) == {
        "roles_open",
        "tiers",
        "board_seats",
        "voting_seats",
        "fastest_years",
        "fastest_voting_years",
        "routes",
        "bottlenecks",
        "national_roles",
        "retraining_routes",
        "positive_action",
    }
    assert set(fields) <= set(report["professions"][0])
    assert 1 in fields["board_seats"] and 4 in fields["routes"] and 18 in fields["national_roles"]
    assert fields["voting_seats"] == [3]  # not recommendation 6: eligibility is not representation
    assert report["single_role_dependence"] == [
        "Children's wellbeing practitioner",
        "Education mental health practitioner",
        "Psychological wellbeing practitioner",
    ]
    assert report["no_voting_seat"] == []


def test_every_recommendation_is_traced_or_says_what_data_it_needs(shipped):
    from pathways.careers.catalogue import recommendations

    traced = recommendations(shipped)
    assert [r["number"] for r in traced] == list(range(1, 19))
    for recommendation in traced:
        assert (
            recommendation["realised_by"]
            or recommendation["measured_by"]
            or recommendation["data_needed"]
        ), recommendation["label"]
    first = traced[0]
    assert "ethnicity" in first["data_needed"] and "board_seats" in first["measured_by"]


def test_the_fastest_routes_name_the_seat_they_reach_and_voting_seats_apart(rows):
    for row in rows.values():
        fastest, voting = row.fastest, row.fastest_voting
        assert fastest["seat"]["label"] == fastest["roles"][-1]["label"], row.label
        assert voting["seat"]["seat"] == "voting executive director", row.label
        assert voting["years"] >= fastest["years"], row.label
