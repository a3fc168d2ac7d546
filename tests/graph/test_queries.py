from __future__ import annotations

import pyoxigraph as ox
import pytest

from pathways.graph import queries as named_queries
from pathways.graph.queries import QueryDefinitionError, UnknownQueryError


def write(folder, name, text):
    path = folder / f"{name}.rq"
    path.write_text(text)
    return path


LABEL_QUERY = """# Purpose: find an individual by its exact English label.
# Parameters:
#   ?label  the label, an English literal
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?x WHERE { ?x rdfs:label ?label }
"""


def test_every_shipped_query_has_a_header():
    queries = named_queries.load_all()
    assert len(queries) >= 7
    for query in queries.values():
        assert query.purpose, query.name
        assert query.text.lstrip().startswith("#"), query.name


def test_header_parsing(tmp_path):
    query = named_queries.load_query(write(tmp_path, "by-label", LABEL_QUERY))
    assert query.name == "by-label"
    assert query.purpose == "find an individual by its exact English label."
    assert query.parameters == {"label": "the label, an English literal"}
    assert not query.is_violation


def test_query_without_header_is_refused(tmp_path):
    path = write(tmp_path, "bare", "SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryDefinitionError, match="Purpose"):
        named_queries.load_query(path)


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(UnknownQueryError) as caught:
        named_queries.get("no-such-query")
    assert "class-counts" in caught.value.known


def test_parameter_is_bound_not_spliced(shipped, tmp_path):
    query = named_queries.load_query(write(tmp_path, "by-label", LABEL_QUERY))
    found = named_queries.select(
        shipped.store, query, {"label": ox.Literal("Clinical psychologist", language="en")}
    )
    assert "https://w3id.org/pp-pathways/id/profession-clinical-psychologist" in {
        row["x"].value for row in found
    }
    for hostile in ['Clinical psychologist"@en } #', "} UNION { ?x ?p ?o } #", "' ; DROP ALL"]:
        rows = named_queries.select(
            shipped.store, query, {"label": ox.Literal(hostile, language="en")}
        )
        assert rows == []


def test_unknown_parameter_is_refused(shipped, tmp_path):
    query = named_queries.load_query(write(tmp_path, "by-label", LABEL_QUERY))
    with pytest.raises(ValueError, match="no parameter"):
        named_queries.select(shipped.store, query, {"lable": ox.Literal("x")})


def test_regression_parameter_outside_select_clause_gives_clear_error(shipped, tmp_path):
    text = LABEL_QUERY.replace("SELECT ?label ?x", "SELECT ?x")
    query = named_queries.load_query(write(tmp_path, "unprojected", text))
    with pytest.raises(QueryDefinitionError, match="SELECT clause"):
        named_queries.select(shipped.store, query, {"label": ox.Literal("x")})


def test_class_counts_query(shipped):
    rows = named_queries.select(shipped.store, named_queries.get("class-counts"))
    counts = {row["class"].value.rsplit("#", 1)[1]: int(row["count"].value) for row in rows}
    assert counts["Profession"] == 12
    assert counts["Competency"] == 15
    assert counts["DevelopmentOffer"] == counts["TrainingProgramme"] + counts["SupportOffer"]
