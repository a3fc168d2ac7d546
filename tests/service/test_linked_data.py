"""IRIs resolve under the server with content negotiation; the whole graph downloads."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from test_api import assert_error


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_individual_resolves_in_each_format(client, accept, media, fmt):
    response = client.get("/id/role-pwp", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    parsed = list(ox.parse(response.content, format=fmt))
    subjects = {q.subject.value for q in parsed if isinstance(q.subject, ox.NamedNode)}
    assert subjects == {"https://w3id.org/pp-pathways/id/role-pwp"}
    assert len(parsed) > 8


def test_unknown_individual_is_404_with_suggestions(client):
    error = assert_error(client.get("/id/role-pwpx"), 404, "not_found")
    assert "role-pwp" in error["suggestions"]


def test_schema_resolves_with_its_blank_nodes(client):
    response = client.get("/def", headers={"Accept": "application/n-triples"})
    text = response.text
    assert "<https://w3id.org/pp-pathways/def#BoardLevelRole>" in text
    assert "propertyChainAxiom" in text and "_:" in text


@pytest.mark.parametrize(
    ("extension", "fmt"),
    [
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_whole_graph_downloads(client, shipped, extension, fmt):
    response = client.get(f"/download/graph.{extension}")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    served = client.get("/health").json()["triples"]
    assert served > shipped.triple_count
    assert len(list(ox.parse(response.content, format=fmt))) == served


def test_unknown_download(client):
    assert_error(client.get("/download/graph.xlsx"), 404, "not_found")


def test_jsonld_of_an_individual_is_valid_json(client):
    data = json.loads(client.get("/id/role-pwp", headers={"Accept": "application/ld+json"}).text)
    assert data


def test_served_graph_carries_inferences(client):
    role = client.get("/id/role-trust-chief-executive", headers={"Accept": "application/n-triples"})
    assert "<https://w3id.org/pp-pathways/def#BoardLevelRole>" in role.text
    assert "<http://www.w3.org/ns/org#Role>" in role.text
    pwp = client.get("/id/role-pwp", headers={"Accept": "application/n-triples"}).text
    assert "<https://w3id.org/pp-pathways/def#progressesTo>" in pwp


def test_regression_an_identifier_that_is_no_iri_is_a_404_not_a_500(client):
    response = client.get("/id/foo%20bar", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_dataset_describes_itself_at_the_well_known_void(client, shipped):
    """VoID at /.well-known/void: size, licence, version, vocabulary, the SPARQL endpoint and
    the dumps of the server that answers, and the members of the main classes."""
    import pyoxigraph as ox

    from pathways import __version__

    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(response.content, format=ox.RdfFormat.TURTLE)
    void = "http://rdfs.org/ns/void#"
    query = """
        PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?triples ?licence ?version ?endpoint WHERE {
          ?d a void:Dataset ; void:triples ?triples ; dcterms:license ?licence ;
             owl:versionInfo ?version ; void:sparqlEndpoint ?endpoint }
    """
    (row,) = list(graph.query(query))
    assert int(row["triples"].value) == client.get("/health").json()["triples"]
    assert row["licence"].value == "https://creativecommons.org/licenses/by/4.0/"
    assert row["version"].value == __version__
    assert row["endpoint"].value == "http://testserver/sparql"
    roles = """
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n WHERE { ?d void:classPartition [ void:class ?c ; void:entities ?n ] }
    """
    counts = [
        int(r["n"].value)
        for r in graph.query(roles.replace("?c", "<https://w3id.org/pp-pathways/def#Profession>"))
    ]
    assert counts == [12]
    dumps = {r["dump"].value for r in graph.query(
        f"SELECT ?dump WHERE {{ ?d <{void}dataDump> ?dump }}"
    )}  # fmt: skip
    assert "http://testserver/download/graph.ttl" in dumps
    for dump in dumps:
        assert client.get(dump.removeprefix("http://testserver")).status_code == 200
