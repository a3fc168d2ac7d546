"""The static site: complete, deterministic, offline, accessible, and equal to a fresh build."""

from __future__ import annotations

import csv
import filecmp
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import ROOT, run_cli
from pathways.careers.index import index_of, short_id
from pathways.site.pages import write_site

SITE = ROOT / "site"


@pytest.fixture(scope="module")
def built(shipped, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(shipped, out)
    return out


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def graph_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert match, page
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_committed_site_equals_a_fresh_build(built):
    assert files_under(SITE) == files_under(built), "run `pathways site` and commit site/"
    mismatched = [
        name
        for name in files_under(built)
        if not filecmp.cmp(SITE / name, built / name, shallow=False)
    ]
    assert mismatched == [], "site/ is stale: run `pathways site` and commit it"


def test_two_builds_are_byte_identical(shipped, built, tmp_path):
    write_site(shipped, tmp_path)
    assert all(filecmp.cmp(built / n, tmp_path / n, shallow=False) for n in files_under(built))


def test_one_page_per_profession_and_role_plus_index_and_overview(shipped, built):
    index = index_of(shipped)
    names = files_under(built)
    pages = [n for n in names if n.endswith(".html")]
    # index, overview, compare, equity; a page per profession, role, programme and support offer
    assert len(pages) == 4 + len(index.professions) + len(index.roles) + len(index.offers)
    assert names.count("lib/vis-network.min.js") == 1
    # vis-network and the pages' own scripts, each once: no page inlines any. Each role page
    # open to a profession has its roadmap engine's tables beside it (roles/ROLE.plan.js).
    scripts = [n for n in names if n.endswith(".js")]
    assert [n for n in scripts if n.startswith("lib/")] == [
        "lib/pathways.js",
        "lib/personalise.js",
        "lib/plan-engine.js",
        "lib/vis-network.min.js",
    ]
    plans = [n for n in scripts if not n.startswith("lib/")]
    # ...and every board and national seat is in one file beside them (roles/seats.plan.js).
    assert plans == sorted(
        [f"roles/{short_id(r.iri)}.plan.js" for r in index.roles.values() if r.professions]
        + ["roles/seats.plan.js"]
    )
    assert len(plans) == 88
    assert names.count("lib/pathways.css") == 1


def test_no_page_reaches_off_the_site(built):
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', text), page
        sources = re.findall(r'<script src="([^"]+)"', text)
        assert sources and sources[-1].endswith(("lib/pathways.js", "lib/personalise.js")), page
        shared = ("lib/vis-network.min.js", "lib/pathways.js", "lib/personalise.js")
        assert all(s.endswith(shared) for s in sources)
        assert len(sources) == len(set(sources)), page


def test_every_page_has_a_title_a_heading_and_a_language(built):
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert re.search(r"<title>[^<]+</title>", text), page
        assert "<h1>" in text, page


def test_overview_has_every_role_and_progression(shipped, built):
    index = index_of(shipped)
    data = graph_data(built / "overview.html")
    assert len(data["nodes"]) == len(index.roles)
    pairs = {(e.source, e.target) for e in index.edges.values()}
    assert len(data["edges"]) == len(pairs)
    assert {n["level"] for n in data["nodes"]} == {1, 2, 3, 4, 5, 6}
    assert data["options"]["layout"]["hierarchical"]["direction"] == "DU"


def test_overview_lists_every_role_as_a_link_by_tier_and_profession(shipped, built):
    """Regression (issue 14): the overview drew 80 roles at a scale no one could read, with no
    text: a keyboard or screen-reader user could reach no role from it."""
    text = (built / "overview.html").read_text()
    table = text[text.index("<table") : text.index("</table>")]
    index = index_of(shipped)
    linked = set(re.findall(r'href="roles/(role-[^"]+)\.html"', table))
    assert linked == {iri.rsplit("/", 1)[1] for iri in index.roles}
    assert table.count('<th scope="row">') == 13 and table.count('<th scope="col">') == 7
    assert text.index("<table") < text.index('id="network"')


def test_profession_page_lays_out_its_roles_by_tier(shipped, built):
    data = graph_data(built / "professions" / "profession-pwp.html")
    assert len(data["nodes"]) == 25
    text = (built / "professions" / "profession-pwp.html").read_text()
    assert "Legend" in text and "Provider Board Level" in text
    # The profession's own ladder, with each band's basis.
    assert "The profession's own ladder" in text
    assert 'PWP lead</a> <span class="muted">(Leader/Manager, band 7-8a (estimate))' in text


def test_role_page_highlights_the_best_route_and_lists_the_steps(built):
    page = built / "roles" / "role-pwp.html"
    data = graph_data(page)
    best = [e for e in data["edges"] if e.get("width") == 4]
    # PWP -> senior PWP -> PWP lead -> clinical services manager -> head of therapies -> board
    assert len(best) == 5
    assert any(e.get("dashes") for e in data["edges"])
    text = page.read_text(encoding="utf-8")
    assert "Route 1: ≈14 years (all estimates), 5 steps" in text
    assert "Edward Jenner programme</a> (the paper&#39;s own pairing for this step)" in text
    assert (
        'Positive-action options: <a href="../programmes/programme-stepping-up.html">'
        "Stepping Up programme</a>" in text
    )
    assert "promotion after ≈2 years (estimate)" in text
    assert "Best route to each seat" in text
    assert "Medical director: requires registration" in text and "Schedule 7" in text
    nodes = {n["id"]: n for n in data["nodes"]}
    assert "band 6" in nodes["role-pwp-senior"]["title"]
    assert nodes["role-pwp-senior"]["url"] == "../roles/role-pwp-senior.html"


def test_a_pre_entry_role_page_does_not_call_it_open_to_the_profession(built):
    """Regression (issue 13): the CAP's page said "Open to: Clinical psychologist", the
    opposite of a role held before that training."""
    cap = (built / "roles" / "role-cap.html").read_text()
    assert "Held before professional training in:" in cap and "Open to:" not in cap
    pwp = (built / "roles" / "role-pwp.html").read_text()
    assert "Open to:" in pwp and "Held before" not in pwp


def test_role_roadmaps_download_as_markdown_and_csv(built):
    """Issue 14, item 6: a roadmap to keep or share, beside each role page that has one."""
    page = (built / "roles" / "role-pwp.html").read_text()
    assert 'href="role-pwp.md" download' in page and 'href="role-pwp.csv" download' in page
    markdown = (built / "roles" / "role-pwp.md").read_text()
    assert markdown.startswith("# From PWP (Psychological wellbeing practitioner), band 5, to")
    assert "## Route 1:" in markdown
    rows = list(csv.DictReader(io.StringIO((built / "roles" / "role-pwp.csv").read_text())))
    assert rows[0]["professions"] == "Psychological wellbeing practitioner"
    assert rows[0]["route"] == "1" and rows[0]["step"] == "1" and rows[0]["to"] == "Senior PWP"
    assert {"years", "develop_first", "programmes"} <= rows[0].keys()
    # A board role has no roadmap, so no download and no empty files.
    board = built / "roles" / "role-trust-chief-executive"
    assert not board.with_suffix(".md").exists() and not board.with_suffix(".csv").exists()
    assert "download>" not in board.with_suffix(".html").read_text()


def test_closed_seat_page_says_why(built):
    text = (built / "roles" / "role-medical-director.html").read_text(encoding="utf-8")
    assert "open to no psychological profession" in text and "GMC" in text


def test_site_command(tmp_path):
    result = run_cli("site", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "wrote 361 files" in result.output
    assert (tmp_path / "out" / "index.html").is_file()


def test_site_served_and_iris_redirect_browsers(client):
    page = client.get("/site/roles/role-pwp.html")
    assert page.status_code == 200 and "Route 1:" in page.text
    assert client.get("/site/lib/vis-network.min.js").status_code == 200
    redirect = client.get(
        "/id/role-pwp", headers={"Accept": "text/html,*/*;q=0.8"}, follow_redirects=False
    )
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/site/roles/role-pwp.html"
    profession = client.get(
        "/id/profession-pwp", headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert profession.headers["location"] == "/site/professions/profession-pwp.html"
    turtle = client.get("/id/role-pwp", headers={"Accept": "text/turtle,text/html;q=0.5"})
    assert turtle.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    "start",
    ["role-pwp", "role-cbt-therapist", "role-clinical-psychologist", "role-family-therapist"],
)
def test_role_pages_show_the_engines_routes(shipped, built, start):
    """One engine: a role page shows the routes `pathways roadmap` gives, step for step."""
    import html

    from pathways.careers import render
    from pathways.careers.roadmap import RoadmapRequest, build_roadmap

    text = html.unescape((built / "roles" / f"{start}.html").read_text(encoding="utf-8"))
    result = build_roadmap(
        shipped, RoadmapRequest(start=start, positive_action=("minority-ethnic",))
    ).as_dict()
    for number, route in enumerate(result["routes"], start=1):
        assert render.route_title(number, route) in text
        for step in route["steps"]:
            assert render.step_heading(step).removeprefix(step["to"]["label"]) in text
    for seat in result["seats"]:
        assert render.seat_line(seat) in text


def test_role_pages_offer_the_other_choices_of_the_engine(shipped, built):
    """The --prefer and --registration answers, one line each, on the page."""
    import html

    from pathways.careers import render
    from pathways.careers.roadmap import RoadmapRequest, build_roadmap

    text = html.unescape((built / "roles" / "role-cbt-therapist.html").read_text(encoding="utf-8"))
    assert "Other choices" in text
    for request, prefix in [
        (
            RoadmapRequest(start="role-cbt-therapist", prefer="operational", k=1),
            "Preferring operational",
        ),
        (
            RoadmapRequest(
                start="role-cbt-therapist",
                registrations=("nmc",),
                target="role-director-of-nursing",
                k=1,
            ),
            "With NMC registration",
        ),
    ]:
        route = build_roadmap(shipped, request).as_dict()["routes"][0]
        chain = " > ".join(step["to"]["label"] for step in route["steps"])
        assert f"{chain} ({render.total_text(route)})" in text, prefix


def test_pages_escape_what_the_graph_says():
    """The templates autoescape: a label is text, never markup, wherever a page shows it."""
    from pathways.site.markup import render_page as _render

    hostile = '<script>alert("x")</script> & Sons\''
    text = _render(
        "profession.html",
        "professions/p.html",
        hostile,
        {"nodes": [], "edges": []},
        label=hostile,
        open_roles=0,
        progressions=0,
        tiers=[("#000", hostile)],
        own=[
            {
                "id": hostile,
                "url": "../roles/r.html",
                "label": hostile,
                "tier": hostile,
                "bands": hostile,
            }
        ],
        shared=[],
        compare_url="",
        compare_action="../compare.html",
    )
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons&#39;" in text
    assert '<script src="../lib/vis-network.min.js"></script>' in text  # markup of our own


def test_the_site_comes_from_one_base_layout():
    from pathlib import Path

    import pathways.site

    templates = Path(pathways.site.__file__).parent / "templates"
    pages = ["index.html", "overview.html", "profession.html", "role.html", "equity.html"]
    for name in pages:
        assert (templates / name).read_text().startswith('{% extends "base.html" %}'), name


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "relative", ["overview.html", "professions/profession-pwp.html", "roles/role-pwp.html"]
)
def test_graph_labels_and_edges_have_enough_contrast(built, relative):
    """Regression (issue 14): labels on board (3.2:1), senior (3.6:1) and national (4.1:1)
    nodes and the dashed alternative edges (1.5:1) were too faint. Text needs 4.5:1 (WCAG 1.4.3)
    and the edges, as graphics, 3:1 (1.4.11)."""
    data = graph_data(built / relative)
    font = data["options"]["nodes"]["font"]["color"]
    for node in data["nodes"]:
        colour = node["color"]["background"] if isinstance(node["color"], dict) else node["color"]
        assert contrast(colour, font) >= 4.5, (node["id"], colour)
        assert "opacity" not in node
    for edge in data["edges"]:
        if "color" in edge:
            assert contrast(edge["color"], "#FFFFFF") >= 3, edge


def test_compare_page_rows_are_the_engines_comparison(shipped, built):
    """Issue 14, item 2: the compare page lays out the same rows as `pathways compare` and
    /api/compare, from data embedded at build time (one set of rules)."""
    from pathways.careers.compare import compare_roles
    from pathways.careers.render import compared_rows

    text = (built / "compare.html").read_text()
    data = json.loads(re.search(r'id="compare-data">(.*?)</script>', text, re.S).group(1))
    assert len(data) == len(index_of(shipped).roles)
    engine = compare_roles(shipped, ["role-team-manager", "role-pwp-lead"])["roles"]
    for role in engine:
        assert [list(row) for row in compared_rows(role, joiner=", ")] == data[role["id"]]["rows"]
    assert any(name == "leads to" for name, _ in data["role-pwp-lead"]["rows"])
    role_page = (built / "roles" / "role-pwp.html").read_text()
    assert 'href="../compare.html?role=role-pwp&amp;role=role-pwp-senior"' in role_page


def test_every_programme_and_support_offer_has_a_page_linked_from_each_mention(shipped, built):
    """Issue 14, item 4: programmes and support offers were bare names on the role pages."""
    index = index_of(shipped)
    for offer in index.offers.values():
        page = built / "programmes" / (offer.iri.rsplit("/", 1)[1] + ".html")
        text = page.read_text()
        assert f"<h1>{offer.label}</h1>" in text.replace("&#39;", "'")
        assert "<h2>Sources</h2>" in text and "Cost" in text
    seacole = (built / "programmes" / "programme-mary-seacole.html").read_text()
    assert "Award in Healthcare Leadership" in seacole and "£995" in seacole
    assert 'href="../roles/role-pwp-senior.html">Senior PWP</a> to' in seacole
    role = (built / "roles" / "role-pwp.html").read_text()
    assert (
        '<a href="../programmes/programme-edward-jenner.html">Edward Jenner programme</a>'
        " (the paper's own pairing for this step)" in role.replace("&#39;", "'")
    )
    # Every programme or support offer a role page names is a link to its page.
    for path in (built / "roles").glob("*.html"):
        for line in re.findall(
            r"<p>(?:Programmes|Support|Positive-action options): (.*?)</p>", path.read_text()
        ):
            if line != "none listed":
                assert line.startswith('<a href="../programmes/'), (path.name, line)


def test_the_advice_list_says_which_steps_a_programme_is_listed_for(built):
    """Regression (issue 14 review): "How to develop" gathers a page's advice, where "Take the
    Mary Seacole programme (listed for this step)" named no step; it now says which."""
    pwp = (built / "roles" / "role-pwp.html").read_text()
    develop = pwp[pwp.index("<h2>How to develop each competency</h2>") :]
    assert "(listed for this step)" not in develop
    assert re.search(r"\(listed for the steps? to [^)]+\)", develop)


def test_each_offer_page_says_when_its_facts_were_checked(shipped, built):
    """Issue 14: a programme or support page gives the day its facts were checked against their
    sources (pp:factsCheckedOn, one per shipped offer), not only the graph's last change."""
    index = index_of(shipped)
    rows = list(
        shipped.store.query(
            "PREFIX pp: <https://w3id.org/pp-pathways/def#> "
            "SELECT ?offer (COUNT(?date) AS ?dates) WHERE { "
            "{ ?offer a pp:TrainingProgramme } UNION { ?offer a pp:SupportOffer } "
            "OPTIONAL { ?offer pp:factsCheckedOn ?date } } GROUP BY ?offer"
        )
    )
    assert len(rows) == len(index.offers) == 15
    assert all(int(row["dates"].value) == 1 for row in rows)
    for offer in index.offers:
        page = (built / "programmes" / f"{short_id(offer)}.html").read_text()
        assert "Facts checked against stored copies of their sources on 2026-11-27." in page


def test_role_pages_write_each_step_once_and_stay_under_the_weight_budget(built):
    """Regression (issue 14): 253 of 783 step cards on the role pages were exact repeats, and
    the heaviest page with the shared library weighed 631 KB. Now a repeated card is a line
    pointing to the first, later routes start where they leave route 1, and every role page
    with its library stays under 600 KB."""
    # The whole library counts, though a served page never loads lib/plan-engine.js; from the
    # file system a personalised page also loads its engine tables (roles/ROLE.plan.js).
    library = sum(f.stat().st_size for f in (built / "lib").iterdir())
    heaviest = 0
    for path in (built / "roles").glob("*.html"):
        text = path.read_text()
        cards = re.findall(r'<div class="step" id=.*?</div>', text, re.S)
        assert len(cards) == len(set(cards)), path.name
        plan = path.with_suffix(".plan.js")
        weight = path.stat().st_size + (plan.stat().st_size if plan.exists() else 0)
        heaviest = max(heaviest, weight)
    assert heaviest + library < 600_000, heaviest + library
    pwp = (built / "roles" / "role-pwp.html").read_text()
    # Route 2 leaves route 1 after its first steps: those are not written again.
    assert "as route 1, " in pwp
    # Gaps as a table, their advice once, at the end, linked from the table.
    assert '<table class="gaps"><caption>Develop first</caption>' in pwp
    assert 'href="#how-competency-clinical-supervision"' in pwp
    assert pwp.count('<dt id="how-competency-clinical-supervision">') == 1
    programme_lead = (built / "roles" / "role-programme-lead.html").read_text()
    assert 'The same step, with the same advice, as <a href="#step-' in programme_lead


def test_a_role_page_starts_with_the_first_step_its_programme_and_gaps(shipped, built):
    """Issue 14, item 4: the first programme sat below a 13-item "Develop" sentence."""
    from pathways.careers.roadmap import RoadmapRequest, build_roadmap

    text = (built / "roles" / "role-pwp.html").read_text()
    box = text[
        text.index('class="start-here"') : text.index("</section>", text.index("start-here"))
    ]
    assert text.index('class="start-here"') < text.index("<h2>Roadmap to board level</h2>")
    first = build_roadmap(shipped, RoadmapRequest(start="role-pwp")).as_dict()["routes"][0]
    step = first["steps"][0]
    assert f">{step['to']['label']}</a>" in box
    assert f"programmes/{step['programmes'][0]['id']}.html" in box
    priority = [g["competency"]["label"] for g in step["gaps"] if g["priority"]]
    assert priority and all(f">{name}</a>" in box for name in priority)
    # A board role has no next step, so no box.
    assert (
        'class="start-here"'
        not in (built / "roles" / "role-trust-chief-executive.html").read_text()
    )


def test_board_and_national_pages_say_how_people_get_there_and_what_they_require(shipped, built):
    """Regression (issue 14): a board role's page was a dead end."""
    index = index_of(shipped)
    for short in (
        "role-board-director-psychological-professions",
        "role-national-professional-lead",
    ):
        text = (built / "roles" / f"{short}.html").read_text()
        arrivals = text[text.index("<h2>How people get here</h2>") :]
        sources = {
            index.roles[e.source].label
            for e in index.edges.values()
            if e.target.endswith("/" + short)
        }
        assert sources and all(f">{label}</a>:" in arrivals for label in sources), short
        assert "<h2>What the role requires</h2>" in text
    board = (built / "roles" / "role-board-director-psychological-professions.html").read_text()
    assert ">Head of psychology services</a>: board after ≈4 years (estimate)" in board
    assert '<th scope="row">People management</th><td>Exemplary</td>' in board


# --- the equity page: routes to board level by profession -------------------------------------


class _Tables(HTMLParser):
    """The text of each body row's cells of a page's tables, and every link's target."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self.rows.append([])
        elif tag in ("th", "td") and self._body:
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._body = False
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(text: str) -> _Tables:
    parsed = _Tables()
    parsed.feed(text)
    return parsed


def chart_of(text: str) -> str:
    return text[text.index("<svg") : text.index("</svg>")]


def test_equity_page_draws_the_engines_figures_and_words_them_as_the_command_does(shipped, built):
    """The equity page: the report of `pathways equity` and /api/equity, as a chart of routes and
    years and as the table, every cell in the words of policy_render (one wording)."""
    from pathways.careers.equity import equity_of
    from pathways.careers.policy_render import (
        EQUITY_COLUMNS,
        barrier_lines,
        equity_cells,
        fastest_text,
        measure_lines,
    )

    report = equity_of(shipped)
    rows = report["professions"]
    text = (built / "equity.html").read_text(encoding="utf-8")
    parsed = tables_of(text)
    assert len(parsed.rows) == len(rows) == 12
    assert parsed.rows == [[equity_cells(row)[c] for c in EQUITY_COLUMNS] for row in rows]
    unescaped = html.unescape(text)
    assert report["basis"] in unescaped
    assert all(line in unescaped for line in barrier_lines(report))
    assert all(
        line.replace("`", "") in re.sub(r"</?code>", "", unescaped)
        for line in measure_lines(report)
    )
    # The chart: a bar for each profession's routes and one for its fastest years, every one
    # of the twelve having both; the years hatched and the word "estimate" written where the
    # figure is an estimate (all twelve in the shipped graph).
    svg = chart_of(text)
    assert 'role="img"' in svg and 'aria-label="Bar chart of the 12 professions' in svg
    bars = re.findall(r'<rect class="bar bar-(\w+)"', svg)
    expected = sum(1 for r in rows if r["routes"]) + sum(1 for r in rows if r["fastest_years"])
    assert len(bars) == expected == 24
    assert bars.count("routes") == 12
    assert bars.count("estimate") == sum(1 for r in rows if r["fastest_basis"] == "estimate")
    assert svg.count("<title>") == 24
    for row in rows:
        label = escape(row["profession"]["label"])
        assert f'font-weight="bold">{label}</text>' in svg
        assert f">{escape(fastest_text(row))}</text>" in svg
    assert ">at least 17 (estimate)</text>" in svg  # CWP: a step's years are a minimum
    # The longest bar of each measure is the most routes (clinical psychologists, 71) and the
    # most years; the others are in proportion.
    widths = [float(w) for w in re.findall(r'class="bar bar-routes"[^>]* width="([0-9.]+)"', svg)]
    assert max(widths) == widths[[r["routes"] for r in rows].index(71)]
    assert widths[0] == pytest.approx(max(widths) * rows[0]["routes"] / 71, abs=0.1)


def test_equity_page_links_each_profession_and_bottleneck_to_its_page(shipped, built):
    from pathways.careers.equity import equity_of

    report = equity_of(shipped)
    text = (built / "equity.html").read_text(encoding="utf-8")
    table = text[text.index("<table") : text.index("</table>")]
    professions = re.findall(r'<th scope="row"><a href="(professions/[^"]+)">', table)
    assert professions == [
        f"professions/{r['profession']['id']}.html" for r in report["professions"]
    ]
    bottlenecks = {b["id"] for r in report["professions"] for b in r["bottlenecks"]}
    assert bottlenecks >= {"role-pwp-lead", "role-cwp-lead", "role-clinical-services-manager"}
    linked = set(re.findall(r'href="roles/([^"]+)\.html"', table))
    assert bottlenecks <= linked
    # Every link on the page leads to a page of the site.
    links = [link for link in tables_of(text).links if not link.startswith("#")]
    assert links and all((built / link).is_file() for link in links), links
    # Every page's navigation, and the home page, link to it.
    for page in (
        "index.html",
        "overview.html",
        "roles/role-pwp.html",
        "professions/profession-pwp.html",
    ):
        depth = "../" * page.count("/")
        assert (
            f'<a href="{depth}equity.html">Routes by profession (equity)</a>'
            in (built / page).read_text()
        ), page
    assert (
        '<p><a href="equity.html">Routes by profession (equity)</a>:'
        in (built / "index.html").read_text()
    )


def test_equity_page_headers_are_the_measures_own_labels(shipped):
    """The table's headers and the list of what each figure speaks to use the same names."""
    from pathways.careers.equity import equity_of
    from pathways.careers.policy_render import EQUITY_COLUMNS, EQUITY_HEADERS, equity_header

    measures = {m["field"]: m["label"] for m in equity_of(shipped)["measures"]}
    assert set(EQUITY_HEADERS) == set(EQUITY_COLUMNS)
    assert {field: equity_header(field) for field in measures} == measures
    assert equity_header("a_later_column") == "A later column"


HOSTILE = """
@prefix pp:      <https://w3id.org/pp-pathways/def#> .
@prefix ppid:    <https://w3id.org/pp-pathways/id/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

ppid:profession-test-hostile a pp:Profession ;
    rdfs:label 'Hostile <script>alert("x")</script> & Sons'@en ;
    skos:definition "A profession made up for a test, its label markup."@en ;
    pp:registeredOn ppid:register-bacp ;
    pp:entryRole ppid:role-test-hostile-trainee ;
    dcterms:source "test fixture" .

ppid:role-test-hostile-trainee a pp:Role ;
    rdfs:label '<img src=x onerror="alert(1)"> trainee'@en ;
    skos:definition "A role made up for a test."@en ;
    pp:tier ppid:tier-psychological-professional ;
    pp:minBand ppid:band-afc-5 ;
    pp:maxBand ppid:band-afc-5 ;
    pp:openTo ppid:profession-test-hostile ;
    pp:noBoardRouteReason "Test fixture: no route is needed."@en ;
    dcterms:source "test fixture" .
"""


def test_equity_page_escapes_what_an_extension_calls_a_profession(tmp_path):
    """Labels come from Turtle anyone can extend: on the equity page, in the table, the chart,
    its titles and the barriers, they are text, never markup. A profession with no route to
    board has no bar, and says so."""
    from pathways.graph.loader import load
    from pathways.site.equity_page import equity_page
    from pathways.site.pages import pages_at

    (tmp_path / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    extended = load([tmp_path])
    text = equity_page(extended).text
    assert "<script>alert" not in text and "<img src=x" not in text
    escaped = "Hostile &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons"
    svg = chart_of(text)
    assert f'font-weight="bold">{escaped}</text>' in svg
    assert f"<title>{escaped}: distinct routes to board, 0</title>" in svg
    assert ">no route</text>" in svg
    assert len(re.findall(r'<rect class="bar ', svg)) == 24  # none for the new profession
    parsed = tables_of(text)
    assert len(parsed.rows) == 13
    hostile = next(row for row in parsed.rows if row[0].startswith("Hostile"))
    assert hostile[:2] == [
        'Hostile <script>alert("x")</script> & Sons',
        '<img src=x onerror="alert(1)"> trainee',
    ]
    role = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; trainee"
    assert f'<a href="roles/role-test-hostile-trainee.html">{role}</a>' in text
    # The barrier lines name it, escaped.
    assert f"No route to a voting seat: {escaped}." in text
    assert pages_at(extended, "equity.html")[0].text == text
