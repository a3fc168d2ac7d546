"""Issue 14, item 1: the self-assessment form on every role page.

The form's choices change the roadmap on the page at once and live in the page's address. Served,
the page asks the API; from the file system it works the roadmap out itself (lib/plan-engine.js
on roles/ROLE.plan.js). The parity test runs that engine and the Python one on the same set of
self-assessments, so there is one set of rules. Browser tests use Debian's Chromium (see
test_browser.py) and are skipped, or fail under PATHWAYS_REQUIRE_BROWSER=1, without it.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from test_browser import ARTIFACTS, SITE, Visit, browser  # noqa: F401  (a fixture)

from pathways.careers import portable
from pathways.careers.index import index_of, short_id
from pathways.careers.roadmap import RoadmapRequest, build_roadmap
from pathways.site import personal

# The fields the page's engine leaves out of a step: the progression's id (the page shows no
# ids, so the tables carry it only for the steps of unknown length, which a route names).
UNCOMPARED_STEP_FIELDS = ("progression",)


def unpack(plan: Path, name: str = "PathwaysPlanPacked") -> dict:
    text = plan.read_text(encoding="utf-8")
    packed = re.search(rf'window\.{name} = "([A-Za-z0-9+/=]+)";', text)
    assert packed, plan
    return json.loads(gzip.decompress(base64.b64decode(packed.group(1))))


# --- the pages as built ---------------------------------------------------------------------


def test_every_role_page_open_to_a_profession_has_the_form(shipped):
    index = index_of(shipped)
    competencies = sorted(short_id(c) for c in index.competencies)
    assert len(competencies) == 15  # 9 HLM dimensions, 2 management, 4 professional
    with_form = 0
    for role in index.roles.values():
        page = (SITE / "roles" / f"{short_id(role.iri)}.html").read_text(encoding="utf-8")
        if not role.professions:
            # The statutory seats open to no psychological profession: nothing to personalise.
            assert 'id="self-assessment"' not in page
            assert "open to no psychological profession" in page
            continue
        with_form += 1
        form = page[page.index('<form id="self-assessment"') : page.index("</form>")]
        levels = re.search(
            r'<div class="levels" data-levels="([^"]+)"[^>]*>(.*?)</div>', form, re.S
        )
        assert levels, role.iri
        assert levels.group(1) == "1=Essential;2=Proficient;3=Strong;4=Exemplary"
        assert sorted(re.findall(r'<select id="pf-[^"]+" name="([^"]+)">', levels.group(2))) == (
            competencies
        )
        professions = re.search(r'name="profession">(.*?)</select>', form).group(1)
        assert sorted(re.findall(r'value="([^"]+)"', professions)) == sorted(
            short_id(p) for p in role.professions
        )
        assert '<option value="board">' in form and '<option value="national">' in form
        assert re.findall(r'name="registration" value="(\w+)"', form) == ["gdc", "gmc", "nmc"]
        # No group is ticked for the person: the four of ontology/equity.ttl are offered.
        assert re.findall(r'name="group" value="([\w-]+)"( checked)?', form) == [
            ("minority-ethnic", ""),
            ("women", ""),
            ("lgbt-plus", ""),
            ("disabled", ""),
        ]
        # Each competency left "as your role needs" says the level that means, per profession.
        held = re.search(r'data-held="([^"]+)"', form).group(1).split(" ")
        assert sorted(h.split("=")[0] for h in held) == sorted(
            short_id(p) for p in role.professions
        )
        assert all(re.fullmatch(r"[\w-]+=[0-4]{15}", h) for h in held)
        assert "As your role needs (" in form
        prefer = re.search(r'name="prefer">(.*?)</select>', form).group(1)
        assert re.findall(r'value="(\w*)"', prefer) == [
            "",
            "clinical",
            "operational",
            "professional",
        ]
        assert f'data-plan="{short_id(role.iri)}.plan.js"' in form
        assert f'data-api="../../api/roadmap/{short_id(role.iri)}"' in form
        assert (SITE / "roles" / f"{short_id(role.iri)}.plan.js").exists()
    assert with_form == 87


def test_a_pages_tables_are_the_engines_for_the_roles_it_can_reach(shipped):
    index = index_of(shipped)
    role = index.roles[portable.PPID + "role-pwp"]
    tables = unpack(SITE / "roles" / "role-pwp.plan.js")
    assert tables == json.loads(personal.plan_tables(index, role))
    ids = {row[tables["rolesFields"].index("id")] for row in tables["roles"]}
    reachable = {short_id(iri) for iri in portable.reachable(index, role.iri)}
    assert ids == reachable
    assert len(reachable) > 40 and "role-trust-chief-executive" in ids
    # Every board and national seat, in one file beside the pages' tables (issue 15: each
    # page carried them all, and a graph of many trusts' seats grew the site with its square).
    seat_rows = unpack(SITE / "roles" / "seats.plan.js", "PathwaysSeatsPacked")
    assert seat_rows == portable.seat_tables(index)
    tiers = {portable.PPID + "tier-provider-board", portable.PPID + "tier-national-regional"}
    seats = {short_id(iri) for iri, r in index.roles.items() if r.tier in tiers}
    assert {row[seat_rows["rolesFields"].index("id")] for row in seat_rows["roles"]} == seats
    board = unpack(SITE / "roles" / "role-trust-chief-executive.plan.js")
    board_ids = {row[board["rolesFields"].index("id")] for row in board["roles"]}
    assert len(seats) > 15 and not seats <= board_ids  # a board role's page reaches few
    # A board role's tables walk nothing but its own onward steps.
    assert len(board["edges"]) < len(tables["edges"]) // 5


# --- one set of rules: the page's engine and the Python engine --------------------------------

# Levels a person might give: none (their role's own), everything at the first or the top level,
# strong leadership with weak management, and a mixed pattern.
ASSESSMENTS: list[dict[str, int] | None] = [None, {"*": 1}, {"*": 4}, {"hlm": 3, "mgmt": 1}, {}]
PREFER = [None, "professional", "clinical", "operational"]
GROUPS = [
    ["minority-ethnic"],
    [],
    ["women"],
    ["minority-ethnic", "women"],
    ["lgbt-plus"],
    ["disabled", "women"],
]
REGISTRATIONS = [[], ["nmc"], ["gmc", "gdc"]]


def _levels(index, pattern: dict[str, int] | None) -> dict[str, int]:
    ids = sorted(short_id(c) for c in index.competencies)
    if pattern is None:
        return {}
    if "*" in pattern:
        return dict.fromkeys(ids, pattern["*"])
    if pattern:
        management = {short_id(c) for c in index.management}
        levels = {c: pattern["hlm"] for c in ids if c.startswith("hlm-")}
        return levels | dict.fromkeys(sorted(management), pattern["mgmt"])
    return {c: n % 4 + 1 for n, c in enumerate(ids)}


def parity_requests(index) -> list[dict]:
    """A request per role and self-assessment, cycling through targets (board, national, a
    role further up), preferences, groups and registrations."""
    requests = []
    n = 0
    for role in index.roles.values():
        if not role.professions:
            continue
        onward = [
            short_id(iri)
            for iri in portable.reachable(index, role.iri)
            if index.roles[iri].tier_rank > role.tier_rank
        ]
        professions = sorted(short_id(p) for p in role.professions)
        for pattern in ASSESSMENTS:
            targets = ["board", "national", *onward[len(onward) // 2 : len(onward) // 2 + 1]]
            requests.append(
                {
                    "start": short_id(role.iri),
                    "profession": professions[n % len(professions)],
                    "target": targets[n % len(targets)],
                    "prefer": PREFER[n % len(PREFER)],
                    "groups": GROUPS[n % len(GROUPS)],
                    "registrations": REGISTRATIONS[n % len(REGISTRATIONS)],
                    "levels": _levels(index, pattern),
                    "k": 3,
                }
            )
            n += 1
    return requests


def python_answer(shipped, request: dict) -> dict:
    built = build_roadmap(
        shipped,
        RoadmapRequest(
            start=request["start"],
            profession=request["profession"],
            target=request["target"],
            prefer=request["prefer"],
            positive_action=tuple(request["groups"]),
            registrations=tuple(request["registrations"]),
            self_assessment={c: str(level) for c, level in request["levels"].items()},
            k=request["k"],
        ),
    )
    return comparable(built.as_dict())


def comparable(answer: dict) -> dict:
    answer = json.loads(json.dumps(answer))
    for route in answer["routes"]:
        for step in route["steps"]:
            for name in UNCOMPARED_STEP_FIELDS:
                step.pop(name, None)
            step.pop("rawCost", None)  # the page's unrounded cost, for the route's total
    return answer


ENGINE_RUN = """async ([requests]) => {
    const data = await window.PathwaysPlan.unpack(window.PathwaysPlanPacked);
    const seats = await window.PathwaysPlan.unpack(window.PathwaysSeatsPacked);
    const engine = new window.PathwaysPlan.Engine(data, seats);
    return requests.map((r) => engine.roadmap(r));
}"""


def test_the_pages_engine_gives_the_python_engines_roadmaps(browser, shipped):  # noqa: F811
    """One set of rules: for 435 requests (every role page, five self-assessments, and each
    target, preference, group and registration in turn) the page's engine, in Chromium from
    the file system, answers exactly as the Python engine (costs to the cent)."""
    index = index_of(shipped)
    requests = parity_requests(index)
    assert len(requests) == 87 * len(ASSESSMENTS)
    visit = Visit(browser, "roles/role-pwp.html")
    page = visit.page
    page.add_script_tag(path=str(SITE / "lib" / "plan-engine.js"))
    page.add_script_tag(path=str(SITE / "roles" / "seats.plan.js"))
    by_start: dict[str, list[dict]] = {}
    for request in requests:
        by_start.setdefault(request["start"], []).append(request)
    differing, routes, gaps_changed = [], 0, 0
    for start, asked in by_start.items():
        page.add_script_tag(path=str(SITE / "roles" / f"{start}.plan.js"))
        answers = page.evaluate(ENGINE_RUN, [asked])
        for request, answer in zip(asked, answers, strict=True):
            expected = python_answer(shipped, request)
            if comparable(answer) != expected:
                differing.append(request)
            routes += len(expected["routes"])
            default = python_answer(shipped, request | {"levels": {}})
            gaps_changed += _gap_table(expected) != _gap_table(default)
    assert differing == [], (len(differing), differing[:3])
    # The requests exercise the rules: most find routes, and the self-assessments change gaps.
    assert routes > 700
    assert gaps_changed > 150
    visit.assert_offline_and_clean()
    page.close()


def _gap_table(answer: dict) -> list:
    return [
        [(g["competency"]["id"], g["held"]) for g in step["gaps"]]
        for route in answer["routes"]
        for step in route["steps"]
    ]


# --- the form in the browser ----------------------------------------------------------------


def _personalised(page) -> None:
    page.wait_for_selector("#personal-roadmap:not([hidden])", timeout=10000)


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_form_changes_the_roadmap_and_the_address_at_once(browser, shipped):  # noqa: F811
    visit = Visit(browser, "roles/role-pwp.html")
    page = visit.page
    static_first = page.inner_text(".static-roadmap .start-here")
    page.click("#personalise summary")
    page.select_option("#pf-hlm-leading-with-care", "1")
    _personalised(page)
    assert _query(page) == {"hlm-leading-with-care": ["1"]}
    assert all(not e.is_visible() for e in page.query_selector_all(".static-roadmap"))
    assert page.get_attribute("#personal-roadmap", "data-computed-by") == "page"
    assert "worked out by this page" in page.inner_text("#personal-status")

    # A self-assessment at the top level everywhere leaves no gap to close on any step.
    for select in page.query_selector_all(".levels select"):
        select.select_option("4")
    page.wait_for_function("document.querySelectorAll('#personal-roadmap table.gaps').length === 0")
    mine = page.inner_text("#personal-roadmap .start-here")
    assert "Develop first: nothing beyond the levels you already hold" in mine
    assert mine != static_first
    assert len(_query(page)) == 15

    # Aim for a national role, preferring clinical leadership: the routes are the engine's.
    page.select_option("#pf-to", "national")
    page.select_option("#pf-prefer", "clinical")
    page.check("input[name=group][value=disabled]")
    page.wait_for_function(
        "document.querySelector('#my-roadmap').textContent.includes('preferring clinical')"
    )
    query = _query(page)
    assert query["to"] == ["national"] and query["prefer"] == ["clinical"]
    assert query["group"] == ["disabled"]
    expected = python_answer(
        shipped,
        {
            "start": "role-pwp",
            "profession": "profession-pwp",
            "target": "national",
            "prefer": "clinical",
            "groups": ["disabled"],
            "registrations": [],
            "levels": {c: 4 for c in query if c.startswith(("hlm-", "competency-"))},
            "k": 3,
        },
    )
    shown = page.eval_on_selector_all(
        "#personal-roadmap .step > p:first-child strong a", "links => links.map(a => a.textContent)"
    )
    first_route = [s["to"]["label"] for s in expected["routes"][0]["steps"]]
    assert shown[: len(first_route)] == first_route
    assert "positive action for disabled staff" in page.inner_text("#personal-roadmap")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "personalise-desktop.png"), full_page=True)

    # The address is the plan: opened again, it shows the same choices and the same roadmap.
    shared = browser.new_page(viewport={"width": 390, "height": 844})
    shared.goto(page.url)
    _personalised(shared)
    assert shared.input_value("#pf-to") == "national"
    assert shared.input_value("#pf-hlm-sharing-the-vision") == "4"
    assert shared.is_checked("input[name=group][value=disabled]")
    assert not shared.is_checked("input[name=group][value=minority-ethnic]")
    assert shared.inner_text("#personal-roadmap") == page.inner_text("#personal-roadmap")
    assert shared.evaluate("document.documentElement.scrollWidth") <= 390
    shared.screenshot(path=str(ARTIFACTS / "personalise-phone.png"), full_page=True)
    shared.close()

    # Printed, the plan keeps the personalised roadmap and drops the form.
    page.emulate_media(media="print")
    assert not page.is_visible("#personalise") and page.is_visible("#personal-roadmap")
    page.emulate_media(media="screen")

    # Clearing the choices brings back the page's own roadmap and a bare address.
    page.click("#self-assessment button[type=reset]")
    page.wait_for_selector("#personal-roadmap", state="hidden")
    assert urlsplit(page.url).query == ""
    assert page.inner_text(".static-roadmap .start-here") == static_first
    visit.assert_offline_and_clean()
    page.close()


def test_a_named_target_is_offered_and_routed_to(browser, shipped):  # noqa: F811
    visit = Visit(browser, "roles/role-pwp.html")
    page = visit.page
    page.click("#personalise summary")
    page.focus("#pf-to")
    page.wait_for_selector(
        "#pf-named option[value=role-clinical-services-manager]", state="attached"
    )
    named = page.eval_on_selector_all("#pf-named option", "options => options.length")
    index = index_of(shipped)
    reachable = portable.reachable(index, portable.PPID + "role-pwp")
    assert named == len(unpack(SITE / "roles" / "role-pwp.plan.js")["roles"]) - 1
    assert named >= len(reachable) - 1
    page.select_option("#pf-to", "role-clinical-services-manager")
    page.wait_for_function(
        "document.querySelector('#my-roadmap') && document.querySelector('#my-roadmap')"
        ".textContent.includes('clinical services manager')"
    )
    assert _query(page) == {"to": ["role-clinical-services-manager"]}
    expected = python_answer(
        shipped,
        {
            "start": "role-pwp",
            "profession": "profession-pwp",
            "target": "role-clinical-services-manager",
            "prefer": None,
            "groups": [],
            "registrations": [],
            "levels": {},
            "k": 3,
        },
    )
    titles = page.eval_on_selector_all("#personal-roadmap h3", "hs => hs.map(h => h.textContent)")
    assert len([t for t in titles if t.startswith("Route ")]) == len(expected["routes"]) >= 1
    visit.assert_offline_and_clean()
    page.close()


# Role pages whose default choices the page's renderer must word as the built page does.
RENDERED = [
    "role-pwp",
    "role-assistant-psychologist",
    "role-cbt-therapist",
    "role-clinical-psychologist-principal",
    "role-counsellor",
    "role-head-of-psychological-therapies",
    "role-mhwp-trainee",
    "role-trust-professional-lead",
]


@pytest.mark.parametrize("start", RENDERED)
def test_the_pages_default_choices_render_as_the_built_page(browser, start):  # noqa: F811
    """The page's renderer words a roadmap as the site's templates do: asked for the page's own
    choices (its first profession, positive action for minority ethnic staff), it shows the
    same route titles and step headings as the built page's first section."""
    visit = Visit(browser, f"roles/{start}.html")
    page = visit.page
    first = page.evaluate(
        """() => {
            const el = [...document.querySelectorAll('.static-roadmap')]
                .find((d) => d.firstElementChild.textContent.startsWith('Roadmap to'));
            const out = {titles: [], steps: []};
            for (const node of el.children) {
                if (node.tagName === 'H2' && out.titles.length) break;
                const text = node.textContent;
                if (node.tagName === 'H3' && text.startsWith('Route ')) out.titles.push(text);
                if (node.classList.contains('step')) {
                    out.steps.push(node.querySelector('p').textContent);
                }
            }
            return out;
        }"""
    )
    # The page's engine and tables, loaded as the form loads them (a script each).
    mine = page.evaluate(
        """async () => {
            const form = document.getElementById('self-assessment');
            for (const src of [form.dataset.engine, form.dataset.plan, form.dataset.seats]) {
                await new Promise((resolve) => {
                    const s = document.createElement('script');
                    s.src = src; s.onload = resolve; document.head.appendChild(s);
                });
            }
            const data = await window.PathwaysPlan.unpack(window.PathwaysPlanPacked);
            const seats = await window.PathwaysPlan.unpack(window.PathwaysSeatsPacked);
            const answer = new window.PathwaysPlan.Engine(data, seats).roadmap({
                start: form.dataset.role, profession: form.elements.profession.value,
                target: 'board', groups: ['minority-ethnic'], registrations: [], levels: {}, k: 3});
            const div = document.createElement('div');
            div.innerHTML = window.PathwaysPlan.render(answer, '');
            return {
                titles: [...div.querySelectorAll('h3')].map(h => h.textContent)
                    .filter(t => t.startsWith('Route ')),
                steps: [...div.querySelectorAll(':scope > .step > p:first-child')]
                    .map(p => p.textContent),
            };
        }"""
    )
    assert first["titles"] and mine["titles"] == first["titles"]
    assert mine["steps"] == first["steps"]
    visit.assert_offline_and_clean()
    page.close()


def test_served_the_page_asks_the_api(browser, live_app):  # noqa: F811
    """Served by `pathways serve`, the form's answer is the API's (POST /api/roadmap/{role}),
    and it reads as the page's own engine's does from the file system."""
    query = "hlm-leading-with-care=1&to=national&registration=nmc"
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.goto(f"{live_app}/site/roles/role-pwp.html?{query}")
    _personalised(page)
    assert page.get_attribute("#personal-roadmap", "data-computed-by") == "api"
    assert posted == [f"{live_app}/api/roadmap/role-pwp"]
    served = page.inner_text("#personal-roadmap")
    from_file = browser.new_page(viewport={"width": 1366, "height": 900})
    from_file.goto((SITE / "roles" / "role-pwp.html").as_uri() + f"?{query}")
    _personalised(from_file)
    assert from_file.get_attribute("#personal-roadmap", "data-computed-by") == "page"
    assert from_file.inner_text("#personal-roadmap") == served
    assert "registered with NMC" in served
    page.close()
    from_file.close()


def test_served_without_an_answer_from_the_api_the_page_works_it_out(browser, live_app):  # noqa: F811
    """A page served where the API does not answer (a plain static server, or the API down)
    falls back to its own engine rather than showing nothing."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    refused: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.fulfill(status=503, body="down")

    page.route("**/api/roadmap/**", refuse)
    page.goto(f"{live_app}/site/roles/role-pwp.html?to=national")
    _personalised(page)
    assert refused == [f"{live_app}/api/roadmap/role-pwp"]
    assert page.get_attribute("#personal-roadmap", "data-computed-by") == "page"
    assert "worked out by this page" in page.inner_text("#personal-status")
    page.close()


SCALED_RUN = """([data, seats, requests]) => {
    const engine = new window.PathwaysPlan.Engine(data, seats);
    return requests.map((r) => engine.roadmap(r));
}"""


def test_the_pages_engine_bounds_the_seats_left_out_as_the_python_engine(browser, tmp_path):  # noqa: F811
    """Issue 15: in a graph of many trusts' seats a roadmap lists 10 seats of each reason left
    out and counts the rest. The shipped graph leaves out too few to show it, so the page's
    engine is run here on 12 copies of every role, against the Python engine."""
    import sys

    from conftest import ROOT
    from pathways.graph.loader import load

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale_bench

    graph = load([scale_bench.write_copies(12, tmp_path)])
    index = index_of(graph)
    seats = portable.seat_tables(index)
    base = {"prefer": None, "groups": [], "levels": {}, "k": 3, "target": "board"}
    asked = {
        "role-pwp": [
            base | {"start": "role-pwp", "profession": "profession-pwp", "registrations": []},
            base | {"start": "role-pwp", "profession": "profession-pwp", "registrations": ["nmc"]},
            base
            | {
                "start": "role-pwp",
                "profession": "profession-pwp",
                "registrations": ["gmc", "gdc"],
                "target": "national",
            },
        ],
        "role-c5-clinical-psychologist": [
            base
            | {
                "start": "role-c5-clinical-psychologist",
                "profession": "profession-clinical-psychologist",
                "registrations": [],
            }
        ],
    }
    visit = Visit(browser, "roles/role-pwp.html")
    page = visit.page
    page.add_script_tag(path=str(SITE / "lib" / "plan-engine.js"))
    counted = []
    for start, requests in asked.items():
        data = portable.tables(index, portable.PPID + start)
        answers = page.evaluate(SCALED_RUN, [data, seats, requests])
        for request, answer in zip(requests, answers, strict=True):
            expected = python_answer(graph, request)
            assert comparable(answer) == expected, request
            counted.append(expected["excluded_more"])
    # The rule is exercised: seats were counted rather than listed, for both reasons.
    assert any(more["closed"] > 0 for more in counted)
    assert any(more["unreached"] > 0 for more in counted)
    assert any(more["opened_by"] for more in counted)
    page.close()
