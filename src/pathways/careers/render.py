"""The wording of roadmaps, comparisons and query results: plain text, Markdown and CSV.

The engine returns plain dictionaries (the same JSON the API serves); everything here only words
them, so the command line (cli/terminal.py draws its tables from these lines) and the pages say
the same facts in the same words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any


def _names(items: Sequence[dict[str, Any]]) -> str:
    return "\n".join(item["label"] for item in items) or "-"


def _number(value: float) -> str:
    return f"{value:g}"


def plural(count: float, noun: str) -> str:
    return f"{_number(count)} {noun}{'' if count == 1 else 's'}"


def years_text(years: float | None, basis: str, minimum: bool = False) -> str:
    """Typical years with their basis: '2 years (source)', 'at least 2 years (source)',
    '≈3 years (estimate)'."""
    if years is None:
        return "years unknown"
    if basis == "source":
        return ("at least " if minimum else "") + f"{plural(years, 'year')} (source)"
    return f"≈{plural(years, 'year')} (estimate)"


def bands_text(bands: str, basis: str) -> str:
    """A band range with its basis: 'band 8a-8b', 'band 6 (estimate)', 'band not known', and
    'VSM pay, outside Agenda for Change' for board pay."""
    if basis == "unknown":
        return "band not known"
    # Board pay is not an Agenda for Change band: "band VSM" read as a band above 9.
    named = "VSM pay, outside Agenda for Change" if bands == "VSM" else f"band {bands}"
    return named + (" (estimate)" if basis == "estimate" else "")


def total_text(route: dict[str, Any]) -> str:
    """A route's total years and how much of it is estimated: '≈12 years (3 of 4 steps'
    years are estimates)', '9 years (all from sources)'."""
    steps, estimated = route["step_count"], route["years_estimated"]
    total = route["total_years"]
    if not estimated:
        return f"{plural(total, 'year')} (all from sources)"
    if estimated == steps:
        return f"≈{plural(total, 'year')} (all estimates)"
    return f"≈{plural(total, 'year')} (years estimated for {estimated} of {steps} steps)"


def route_title(number: int, route: dict[str, Any]) -> str:
    """'Route 1: ≈12 years (all estimates), 4 steps, ranked as 15 years'."""
    title = f"Route {number}: {total_text(route)}, {plural(route['step_count'], 'step')}"
    if route["cost"] != route["total_years"]:
        title += f", ranked as {plural(route['cost'], 'year')}"
        # Where the extra years come from, so that the ranking adds up: the steps' penalties
        # (each given with its step) and the seat's.
        reasons = []
        steps = round(sum(p["years"] for s in route.get("steps", []) for p in s["penalties"]), 2)
        if steps:
            reasons.append(
                f"{plural(steps, 'year')} for its steps' penalties, given with each step"
            )
        end = route.get("end_penalty")
        if end:
            reasons.append(f"{end['reason']}: {plural(end['years'], 'year')} longer")
        if reasons:
            title += " (" + "; ".join(reasons) + ")"
    return title


def step_heading(step: dict[str, Any]) -> str:
    """'Principal clinical psychologist (Senior Psychological Professional, band 8a-8b):
    promotion after 2 years (source)'. The years are those in the role left before the move."""
    to = step["to"]
    kind = step["kind"]
    if step.get("retraining"):
        verb = "training" if step["retraining"].get("first_training") else "retraining"
        kind = f"{verb} as a {step['retraining']['profession']['label'].lower()}"
    return (
        f"{to['label']} ({to['tier']}, {bands_text(to['bands'], to['bands_basis'])}): "
        f"{kind} after "
        f"{years_text(step['years'], step['years_basis'], step.get('years_minimum', False))}"
    )


def penalty_lines(step: dict[str, Any]) -> list[str]:
    """Why a step ranks as if it took longer: 'lateral move: ranked 3 years longer'."""
    return [f"{p['reason']}: ranked {plural(p['years'], 'year')} longer" for p in step["penalties"]]


def programme_names(step: dict[str, Any]) -> list[str]:
    """Programme labels, the paper's own pairing for the step marked with '*'."""
    return [p["label"] + ("*" if p.get("recommended") else "") for p in step["programmes"]]


def priority_lines(step: dict[str, Any]) -> list[str]:
    """'People management (essential -> proficient): a course. Take the ...'."""
    lines = []
    for gap in step["gaps"]:
        if not gap["priority"]:
            continue
        develop = gap.get("develop") or {}
        how = f" {develop['how']}" if develop.get("how") else ""
        lines.append(
            f"{gap['competency']['label']} ({gap['held'].lower()} -> {gap['needed'].lower()}): "
            f"{develop.get('label', 'on-the-job experience')}.{how}"
        )
    return lines


def other_gaps(step: dict[str, Any]) -> list[str]:
    return [
        f"{g['competency']['label']} ({g['held'].lower()} -> {g['needed'].lower()})"
        for g in step["gaps"]
        if not g["priority"]
    ]


def strength_names(step: dict[str, Any]) -> list[str]:
    return [f"{s['competency']['label']} ({s['level'].lower()})" for s in step["strengths"]]


def seat_line(seat: dict[str, Any]) -> str:
    """'Non-executive director: ≈13 years (all estimates), 4 steps: A > B > C (retraining) > D'."""
    route = seat["route"]
    chain = " > ".join(
        s["to"]["label"] + (" (retraining)" if s["kind"] == "retraining" else "")
        for s in route["steps"]
    )
    return f"{seat['label']}: {total_text(route)}, {plural(route['step_count'], 'step')}: {chain}"


def excluded_line(entry: dict[str, Any], option: str = "--registration ") -> str:
    """A seat left out and why; ``option`` is how the front end names a registration
    ('--registration ' on the command line, 'registration=' in the API)."""
    line = f"{entry['label']}: {entry['reason']}"
    if entry.get("opened_by"):
        codes = " or ".join(f"{option}{code}" for code in entry["opened_by"])
        line += f"; if you hold that registration, give {codes}"
    return line


def excluded_more_line(roadmap: dict[str, Any], option: str = "--registration ") -> str:
    """How many more seats were left out than listed (a graph of many organisations' seats),
    or '' when every one is listed."""
    more = roadmap.get("excluded_more") or {}
    parts = []
    if more.get("closed"):
        part = f"{more['closed']:,} more seats not open to you"
        if more.get("opened_by"):
            codes = " or ".join(f"{option}{code}" for code in more["opened_by"])
            part += f" ({codes} would open some)"
        parts.append(part)
    if more.get("unreached"):
        parts.append(f"{more['unreached']:,} more seat titles that no modelled route reaches")
    if not parts:
        return ""
    return "Not listed: " + ", and ".join(parts) + "."


NO_GAPS = (
    "nothing beyond the levels you already hold (the step is a qualification or a wider remit)"
)
NO_GAPS_TRAINING = (
    "the training itself (its qualification is above); it asks for no leadership level beyond "
    "what you hold"
)


THIS_STEP = "(listed for this step)"


def for_steps(how: str, steps: list[str]) -> str:
    """Advice gathered from several steps ("Take the Mary Seacole programme (listed for this
    step)") says which: "(listed for the step to PWP lead)", "(... the steps to A and B)"."""
    if THIS_STEP not in how or not steps:
        return how
    names = steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " and " + steps[-1]
    noun = "step" if len(steps) == 1 else "steps"
    return how.replace(THIS_STEP, f"(listed for the {noun} to {names})")


def no_gaps_text(step: dict[str, Any]) -> str:
    return NO_GAPS_TRAINING if step.get("retraining") else NO_GAPS


LEGEND = (
    "Years are those in the role you leave before each move; \u2248 marks this project's "
    'estimate, (source) a published figure. "The paper" is the paper on leadership and '
    "management in the psychological professions this tool is built on; programmes marked * are "
    "its own pairing for the step (its Table 2)."
)


def seat_groups(seats: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Seats grouped by kind, in the order the roadmap lists them."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for seat in seats:
        kind = seat["seat"]["label"] if seat["seat"] else "other seats"
        if not groups or groups[-1][0] != kind:
            groups.append((kind, []))
        groups[-1][1].append(seat)
    return groups


def conditions_text(step: dict[str, Any]) -> str:
    return "; ".join(c.rstrip(".") for c in step["conditions"]) + "."


def roadmap_title(roadmap: dict[str, Any]) -> str:
    start, profession = roadmap["start"]["label"], roadmap["profession"]["label"]
    if roadmap["start"].get("pre_entry"):
        # An assistant psychologist is not yet a clinical psychologist, so not "(Clinical
        # psychologist)".
        # CAPs and MHWPs are jobs in their own right, so the heading says only that the start
        # comes before professional training; the routes say which.
        who = " (before professional training)"
    else:
        who = "" if start.lower() == profession.lower() else f" ({profession})"
    called = roadmap["start"].get("called")
    if called and called.lower() not in f"{start}{who}".lower():
        # Found by another of its names: say so, or the answer seems to be about another role
        # (unless the heading already shows the name, as "PWP (Psychological wellbeing ...)").
        who += f", which you asked for as {called!r},"
    held = roadmap["start"]
    # The band you start from, so that each step's band reads as a rise, a move or a drop.
    band = ""
    if "bands" in held:
        comma = "" if who.endswith(",") else ","
        band = f"{comma} {bands_text(held['bands'], held['bands_basis'])},"
    title = f"From {start}{who}{band} to {roadmap['target']['label']}"
    if roadmap.get("prefer"):
        title += f", preferring {roadmap['prefer']['label'].lower()}"
    return title


def roadmap_markdown(roadmap: dict[str, Any]) -> str:
    out = [f"# {roadmap_title(roadmap)}", ""]
    if roadmap["routes"]:
        out += [LEGEND, ""]
    if roadmap["note"]:
        out += [roadmap["note"], ""]
    for number, route in enumerate(roadmap["routes"], start=1):
        out += [f"## {route_title(number, route)}", ""]
        for step_number, step in enumerate(route["steps"], start=1):
            out += [f"### {step_number}. {step['from']['label']} -> {step_heading(step)}", ""]
            if step.get("retraining"):
                retraining = step["retraining"]
                out.append(f"- Qualification: {retraining['qualification']}")
                out.append(f"- Funding: {retraining['funding']}")
            priorities = priority_lines(step)
            if priorities:
                out.append("- Develop first:")
                out += [f"  - {line}" for line in priorities]
            else:
                out.append(f"- Develop first: {no_gaps_text(step)}")
            out += [f"- Ranking: {line}" for line in penalty_lines(step)]
            if other_gaps(step):
                out.append(f"- Other gaps: {', '.join(other_gaps(step))}")
            if step["strengths"]:
                out.append(f"- Strengths to evidence: {', '.join(strength_names(step))}")
            names = programme_names(step)
            out.append(f"- Programmes: {', '.join(names) or '-'}")
            if step["positive_action"]:
                names = [p["label"] for p in step["positive_action"]]
                out.append(f"- Positive action: {', '.join(names)}")
            if step.get("positive_action_note"):
                out.append(f"- Positive action note: {step['positive_action_note']}")
            out.append(f"- Support: {', '.join(s['label'] for s in step['support']) or '-'}")
            if step["conditions"]:
                out.append(f"- Conditions: {conditions_text(step)}")
            out.append("")
    if roadmap["seats"]:
        out += ["## Best route to each seat", ""]
        for kind, seats in seat_groups(roadmap["seats"]):
            out += [f"{kind[0].upper()}{kind[1:]}:", ""]
            out += [f"- {seat_line(s)}" for s in seats]
            out.append("")
    if roadmap["excluded"]:
        out += ["## Left out", ""]
        out += [f"- {excluded_line(e)}" for e in roadmap["excluded"]]
        more = excluded_more_line(roadmap)
        out += ["", more] if more else []
        out.append("")
    return "\n".join(out)


# A spreadsheet runs a cell that starts with one of these as a formula; labels come from Turtle
# anyone may extend, so such a cell is written with a leading apostrophe, which spreadsheets
# show as text (OWASP's advice for CSV injection). A cell that is a number stays as it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: str) -> str:
    if not value.startswith(_FORMULA_STARTS):
        return value
    try:
        float(value)  # a number ("-1.5") is data, not a formula: kept as written
    except ValueError:
        return "'" + value
    return value


def rows_csv(columns: Sequence[str], rows: Sequence[Mapping[str, str | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _as_text(row.get(c) or "") for c in columns})
    return buffer.getvalue()


ROADMAP_COLUMNS = (
    "route",
    "step",
    "from",
    "to",
    "tier",
    "bands",
    "kind",
    "years",
    "develop_first",
    "programmes",
    "support",
    "conditions",
)


def roadmap_csv(roadmap: dict[str, Any]) -> str:
    """One row per step of each route, for a spreadsheet: the same wording as the other
    formats (years with their basis, gaps with their levels)."""
    rows = []
    for number, route in enumerate(roadmap["routes"], start=1):
        for position, step in enumerate(route["steps"], start=1):
            to = step["to"]
            rows.append(
                {
                    "route": str(number),
                    "step": str(position),
                    "from": step["from"]["label"],
                    "to": to["label"],
                    "tier": to["tier"],
                    "bands": bands_text(to["bands"], to["bands_basis"]),
                    "kind": step["kind"],
                    "years": years_text(
                        step["years"], step["years_basis"], step.get("years_minimum", False)
                    ),
                    "develop_first": "; ".join(priority_lines(step)) or no_gaps_text(step),
                    "programmes": ", ".join(programme_names(step)),
                    "support": ", ".join(s["label"] for s in step["support"]),
                    "conditions": conditions_text(step) if step["conditions"] else "",
                }
            )
    return rows_csv(ROADMAP_COLUMNS, rows)


def compared_rows(role: dict[str, Any], joiner: str = "\n") -> list[tuple[str, str]]:
    """A compared role as (row name, value) pairs, in the order a comparison lists them: the
    command line's table and the compare page both lay these out."""
    rows = [
        ("tier", role["tier"]),
        ("bands", role["bands"]),
        ("open to", joiner.join(role["professions"]) or "-"),
        ("registration", joiner.join(role["requires_registration"]) or "-"),
    ]
    rows += list(role["requirements"].items())
    rows.append(("leads to", joiner.join(role["leads_to"]) or "-"))
    rows.append(("programmes into it", joiner.join(role["programmes"]) or "-"))
    return rows
