// lib/personalise.js, compacted: its commented source is src/pathways/site/templates/personalise.js
(function () {
"use strict";
function compare(a, b) {
for (var i = 0; i < Math.min(a.length, b.length); i += 1) {
var x = a[i], y = b[i];
if (x < y) { return -1; } else if (x > y) { return 1; }
}
return a.length - b.length;
}
function number(value) { return String(Number(value.toPrecision(6))); }
function plural(count, noun) { return number(count) + " " + noun + (count === 1 ? "" : "s"); }
function yearsText(years, basis, minimum) {
if (years == null) { return "years unknown"; }
if (basis === "source") { return (minimum ? "at least " : "") + plural(years, "year") + " (source)"; }
return "\u2248" + plural(years, "year") + " (estimate)";
}
function bandsText(bands, basis) {
if (basis === "unknown") { return "band not known"; }
var named = bands === "VSM" ? "VSM pay, outside Agenda for Change" : "band " + bands;
return named + (basis === "estimate" ? " (estimate)" : "");
}
function totalText(r) {
if (!r.years_estimated) { return plural(r.total_years, "year") + " (all from sources)"; }
if (r.years_estimated === r.step_count) { return "\u2248" + plural(r.total_years, "year") + " (all estimates)"; }
return "\u2248" + plural(r.total_years, "year") + " (years estimated for " + r.years_estimated + " of " + r.step_count + " steps)";
}
function routeTitle(n, r) {
var title = "Route " + n + ": " + totalText(r) + ", " + plural(r.step_count, "step");
if (r.cost !== r.total_years) {
title += ", ranked as " + plural(r.cost, "year");
var reasons = [], steps = 0;
r.steps.forEach(function (s) { s.penalties.forEach(function (p) { steps += p.years; }); });
steps = Math.round(steps * 100) / 100;
if (steps) { reasons.push(plural(steps, "year") + " for its steps' penalties, given with each step"); }
if (r.end_penalty) { reasons.push(r.end_penalty.reason + ": " + plural(r.end_penalty.years, "year") + " longer"); }
if (reasons.length) { title += " (" + reasons.join("; ") + ")"; }
}
return title;
}
function stepHeading(s) {
var kind = s.kind;
if (s.retraining) {
kind = (s.retraining.first_training ? "training" : "retraining") + " as a " + s.retraining.profession.label.toLowerCase();
}
return " (" + s.to.tier + ", " + bandsText(s.to.bands, s.to.bands_basis) + "): " + kind + " after " + yearsText(s.years, s.years_basis, s.years_minimum);
}
var NO_GAPS = "nothing beyond the levels you already hold (the step is a qualification or a wider remit)";
var NO_GAPS_TRAINING = "the training itself (its qualification is above); it asks for no leadership level beyond what you hold";
function esc(text) {
return String(text).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; });
}
function link(href, text) { return '<a href="' + esc(href) + '">' + esc(text) + "</a>"; }
function roleUrl(id) { return id + ".html"; }
function offerUrl(id) { return "../programmes/" + id + ".html"; }
function offerLinks(items) {
return items.map(function (o) { return link(offerUrl(o.id), o.label) + (o.recommended ? " (the paper's own pairing for this step)" : ""); }).join(", ");
}
function howAnchor(gap) { return "my-how-" + gap.competency.id; }
function lower(text) { return text.toLowerCase(); }
function stepCard(s) {
var out = '<div class="step" data-kind="' + esc(s.kind) + '"><p><strong>' + link(roleUrl(s.to.id), s.to.label) + "</strong>" + esc(stepHeading(s)) + "</p>";
if (s.retraining) { out += "<p>Qualification: " + esc(s.retraining.qualification) + "<br>Funding: " + esc(s.retraining.funding) + "</p>"; }
var priority = s.gaps.filter(function (g) { return g.priority; });
if (priority.length) {
out += '<table class="gaps"><caption>Develop first</caption><thead><tr><th scope="col">Competency, and how</th><th scope="col">You have by then</th><th scope="col">Needed</th></tr></thead><tbody>';
priority.forEach(function (g) {
out += '<tr><th scope="row">' + esc(g.competency.label) + ' <a href="#' + howAnchor(g) + '">' + esc((g.develop || {}).label || "on-the-job experience") + "</a></th><td>" + esc(g.held) + "</td><td>" + esc(g.needed) + "</td></tr>";
});
out += "</tbody></table>";
} else {
out += "<p>Develop first: " + esc(s.retraining ? NO_GAPS_TRAINING : NO_GAPS) + ".</p>";
}
out += "<p>Programmes: " + (s.programmes.length ? offerLinks(s.programmes) : "none listed") + "</p>";
if (s.positive_action.length) { out += "<p>Positive-action options: " + offerLinks(s.positive_action) + "</p>"; }
if (s.conditions.length) { out += "<p>Conditions: " + esc(s.conditions.map(function (c) { return c.replace(/\.+$/, ""); }).join("; ") + ".") + "</p>"; }
var others = s.gaps.filter(function (g) { return !g.priority; }).map(function (g) { return g.competency.label + " (" + lower(g.held) + " -> " + lower(g.needed) + ")"; });
var strengths = s.strengths.map(function (x) { return x.competency.label + " (" + lower(x.level) + ")"; });
var more = [];
if (others.length) { more.push("other gaps"); }
if (strengths.length) { more.push("strengths"); }
if (s.support.length) { more.push("support"); }
if (s.penalties.length) { more.push("ranking"); }
if (s.positive_action_note) { more.push("positive action"); }
if (more.length) {
out += "<details><summary>More on this step: " + more.join(", ") + "</summary>";
if (others.length) { out += "<p>Other gaps: " + esc(others.join(", ")) + "</p>"; }
if (strengths.length) { out += "<p>Strengths to evidence: " + esc(strengths.join(", ")) + "</p>"; }
if (s.support.length) { out += "<p>Support: " + offerLinks(s.support) + "</p>"; }
s.penalties.forEach(function (p) { out += "<p class='muted'>Ranking: " + esc(p.reason + ": ranked " + plural(p.years, "year") + " longer") + "</p>"; });
if (s.positive_action_note) { out += "<p class='muted'>" + esc(s.positive_action_note) + "</p>"; }
out += "</details>";
}
return out + "</div>";
}
function seatLine(seat) {
var chain = seat.route.steps.map(function (s) { return s.to.label + (s.kind === "retraining" ? " (retraining)" : ""); }).join(" > ");
return seat.label + ": " + totalText(seat.route) + ", " + plural(seat.route.step_count, "step") + ": " + chain;
}
function renderRoadmap(r, choices) {
var out = "";
var heading = "Your roadmap: from " + r.start.label + " (" + r.profession.label.toLowerCase() + ") to " + r.target.label.toLowerCase();
if (r.prefer) { heading += ", preferring " + r.prefer.label.toLowerCase(); }
out += '<h2 id="my-roadmap">' + esc(heading) + "</h2>";
out += '<p class="muted">' + esc(choices) + "</p>";
out += '<p class="muted no-print">The graph and the Markdown and CSV downloads show the page\'s own roadmap; print this page, or save it as PDF, to keep this one.</p>';
if (r.routes.length) {
var s = r.routes[0].steps[0];
var first = s.programmes[0];
var priority = s.gaps.filter(function (g) { return g.priority; });
out += '<section class="start-here" aria-labelledby="my-start-here"><h2 id="my-start-here">Start here</h2>';
out += "<p>Your next step: <strong>" + link(roleUrl(s.to.id), s.to.label) + "</strong>" + esc(stepHeading(s)) + ".</p>";
if (first) { out += "<p>Attend first: " + offerLinks([first]) + ".</p>"; }
out += "<p>Develop first: " + (priority.length ? priority.map(function (g) {
return '<a href="#' + howAnchor(g) + '">' + esc(g.competency.label) + "</a> (" + esc(lower(g.held)) + " to " + esc(lower(g.needed)) + ")";
}).join(", ") : esc(s.retraining ? NO_GAPS_TRAINING : NO_GAPS)) + ".</p></section>";
}
r.routes.forEach(function (route, i) {
out += "<h3>" + esc(routeTitle(i + 1, route)) + "</h3>";
var common = 0;
if (i > 0) {
var firstSteps = r.routes[0].steps;
while (common < route.steps.length && common < firstSteps.length &&
route.steps[common].from.id === firstSteps[common].from.id && route.steps[common].to.id === firstSteps[common].to.id) { common += 1; }
}
if (common) {
var last = route.steps[common - 1].to.label;
out += '<p class="muted">' + esc(common === 1 ? "Step 1 as route 1, to " + last + "; then:" : "Steps 1 to " + common + " as route 1, as far as " + last + "; then:") + "</p>";
}
route.steps.slice(common).forEach(function (step) { out += stepCard(step); });
});
if (r.note) { out += "<p>" + esc(r.note) + "</p>"; }
if (r.seats.length) {
out += "<h3>Best route to each seat</h3>";
var kind = null;
r.seats.forEach(function (seat) {
var name = seat.seat ? seat.seat.label : "other seats";
if (name !== kind) {
if (kind !== null) { out += "</ul>"; }
out += "<p>" + esc(name.charAt(0).toUpperCase() + name.slice(1)) + ":</p><ul class='seats'>";
kind = name;
}
out += "<li>" + esc(seatLine(seat)) + "</li>";
});
out += "</ul>";
}
if (r.excluded.length) {
out += "<h3>Seats left out, and why</h3><ul>" + r.excluded.map(function (e) {
var line = e.label + ": " + e.reason;
if (e.opened_by) { line += "; if you hold that registration, tick it above (" + e.opened_by.join(" or ") + ")"; }
return "<li>" + esc(line) + "</li>";
}).join("") + "</ul>";
var more = r.excluded_more || {}, parts = [];
if (more.closed) {
parts.push(more.closed.toLocaleString("en-GB") + " more seats not open to you" +
(more.opened_by && more.opened_by.length ? " (ticking " + more.opened_by.join(" or ") + " above would open some)" : ""));
}
if (more.unreached) { parts.push(more.unreached.toLocaleString("en-GB") + " more seat titles that no modelled route reaches"); }
if (parts.length) { out += "<p class='muted'>" + esc("Not listed: " + parts.join(", and ") + ".") + "</p>"; }
}
var ways = new Map();
r.routes.forEach(function (route) {
route.steps.forEach(function (step) {
step.gaps.forEach(function (g) {
if (!g.priority) { return; }
var way = [(g.develop || {}).label || "on-the-job experience", (g.develop || {}).how || "", []];
if (!ways.has(g.competency.id)) { ways.set(g.competency.id, [g.competency.label, []]); }
var known = ways.get(g.competency.id)[1];
var found = known.filter(function (w) { return w[0] === way[0] && w[1] === way[1]; })[0];
if (!found) { known.push(way); found = way; }
if (found[2].indexOf(step.to.label) === -1) { found[2].push(step.to.label); }
});
});
});
function forSteps(how, steps) {
var mark = "(listed for this step)";
if (how.indexOf(mark) === -1 || !steps.length) { return how; }
var names = steps.length === 1 ? steps[0] : steps.slice(0, -1).join(", ") + " and " + steps[steps.length - 1];
return how.replace(mark, "(listed for the " + (steps.length === 1 ? "step" : "steps") + " to " + names + ")");
}
if (ways.size) {
out += '<h2>How to develop each competency</h2><dl class="develop">';
Array.from(ways.keys()).sort(function (a, b) { return compare([ways.get(a)[0]], [ways.get(b)[0]]); }).forEach(function (id) {
out += '<dt id="my-how-' + esc(id) + '">' + esc(ways.get(id)[0]) + "</dt>";
ways.get(id)[1].forEach(function (w) { out += "<dd><strong>" + esc(w[0].charAt(0).toUpperCase() + w[0].slice(1)) + ".</strong> " + esc(forSteps(w[1], w[2])) + "</dd>"; });
});
out += "</dl>";
}
return out;
}
window.PathwaysPlan = window.PathwaysPlan || {};
window.PathwaysPlan.render = renderRoadmap;
var form = document.getElementById("self-assessment");
if (!form) { return; }
var output = document.getElementById("personal-roadmap");
var status = document.getElementById("personal-status");
var role = form.getAttribute("data-role");
var defaults = {};
var engine = null;
function request() {
var levels = {};
form.querySelectorAll(".levels select").forEach(function (s) {
if (s.value) { levels[s.name] = Number(s.value); }
});
function ticked(name) {
return Array.from(form.querySelectorAll("input[name='" + name + "']:checked")).map(function (i) { return i.value; });
}
return {
start: role,
profession: form.elements.profession.value,
target: form.elements.to.value,
prefer: form.elements.prefer.value || null,
registrations: ticked("registration"),
groups: ticked("group"),
levels: levels,
k: 3
};
}
function query() {
var params = new URLSearchParams();
Array.from(form.elements).forEach(function (field) {
if (!field.name) { return; }
if (field.type === "checkbox") {
if (field.checked !== field.defaultChecked) { params.append(field.name, (field.checked ? "" : "-") + field.value); }
} else if (field.tagName === "SELECT" && field.value !== defaults[field.name]) {
params.set(field.name, field.value);
}
});
return params.toString();
}
function restore(text) {
var params = new URLSearchParams(text);
var known = 0;
Array.from(form.elements).forEach(function (field) {
if (!field.name) { return; }
if (field.type === "checkbox") {
params.getAll(field.name).forEach(function (value) {
if (value === field.value) { field.checked = true; known += 1; }
if (value === "-" + field.value) { field.checked = false; known += 1; }
});
} else if (field.tagName === "SELECT" && params.has(field.name)) {
var wanted = params.get(field.name);
if (Array.from(field.options).some(function (o) { return o.value === wanted; })) { field.value = wanted; known += 1; }
}
});
return known;
}
function describeChoices(req) {
var said = [];
var levels = Object.keys(req.levels).length;
said.push(levels ? "Your own levels in " + levels + (levels === 1 ? " competency" : " competencies") : "Levels as your role needs");
var groups = Array.from(form.querySelectorAll("input[name='group']:checked")).map(function (i) { return i.parentNode.textContent.trim().toLowerCase(); });
said.push(groups.length ? "positive action for " + groups.join(" and ") : "no positive-action group");
if (req.registrations.length) { said.push("registered with " + req.registrations.join(", ").toUpperCase()); }
return said.join("; ") + ".";
}
var levelNames = {};
function relabel() {
var held = {};
(levels.getAttribute("data-held") || "").split(" ").forEach(function (pair) {
var parts = pair.split("=");
held[parts[0]] = parts[1] || "";
});
var digits = held[form.elements.profession.value] || "";
levels.querySelectorAll("select").forEach(function (select, n) {
var rank = digits.charAt(n);
select.options[0].text = "As your role needs (" + (levelNames[rank] || "none") + ")";
});
}
function unpack(text) {
var bytes = Uint8Array.from(window.atob(text), function (c) { return c.charCodeAt(0); });
var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream("gzip"));
return new Response(stream).text().then(JSON.parse);
}
window.PathwaysPlan.unpack = unpack;
var scripts = {};
function script(src) {
if (!scripts[src]) {
scripts[src] = new Promise(function (resolve, reject) {
var element = document.createElement("script");
element.src = src;
element.onload = resolve;
element.onerror = function () { reject(new Error("could not load " + src)); };
document.head.appendChild(element);
});
}
return scripts[src];
}
var tables = null;
function loadTables() {
if (!tables) {
tables = script(form.getAttribute("data-plan")).then(function () {
return unpack(window.PathwaysPlanPacked);
}).then(function (data) {
fillTargets(data);
return data;
});
}
return tables;
}
var seatTables = null;
function loadSeats() {
if (!seatTables) {
seatTables = script(form.getAttribute("data-seats")).then(function () {
return unpack(window.PathwaysSeatsPacked);
});
}
return seatTables;
}
function loadEngine() {
if (engine) { return Promise.resolve(engine); }
return Promise.all([loadTables(), loadSeats(), script(form.getAttribute("data-engine"))]).then(function (loaded) {
engine = engine || new window.PathwaysPlan.Engine(loaded[0], loaded[1]);
return engine;
});
}
function fillTargets(tables) {
var group = form.querySelector("#pf-named");
if (!group || group.children.length) { return; }
var id = tables.rolesFields.indexOf("id"), label = tables.rolesFields.indexOf("label");
tables.roles.filter(function (r) { return r[id] !== role; })
.sort(function (a, b) { return compare([a[label]], [b[label]]); })
.forEach(function (r) {
var option = document.createElement("option");
option.value = r[id];
option.textContent = r[label];
group.appendChild(option);
});
var wanted = new URLSearchParams(window.location.search).get("to");
if (wanted && Array.from(form.elements.to.options).some(function (o) { return o.value === wanted; })) { form.elements.to.value = wanted; }
}
function served() { return /^https?:$/.test(window.location.protocol); }
function compute(req) {
if (served()) {
var body = {
target: req.target, profession: req.profession, positive_action: req.groups,
self_assessment: {}, k: req.k, prefer: req.prefer, registration: req.registrations
};
Object.keys(req.levels).forEach(function (id) { body.self_assessment[id] = String(req.levels[id]); });
return fetch(form.getAttribute("data-api"), {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
.then(function (response) {
if (!response.ok) { throw new Error("the API answered " + response.status); }
return response.json().then(function (answer) { return [answer, "the service's API"]; });
})
.catch(function () { return loadEngine().then(function (e) { return [e.roadmap(req), "this page"]; }); });
}
return loadEngine().then(function (e) { return [e.roadmap(req), "this page"]; });
}
function setPersonal(on) {
document.querySelectorAll(".static-roadmap").forEach(function (e) { e.hidden = on; });
output.hidden = !on;
form.setAttribute("data-personal", on ? "true" : "false");
}
var serial = 0;
function update() {
var text = query();
var url = window.location.pathname + (text ? "?" + text : "") + window.location.hash;
try { window.history.replaceState(null, "", url); } catch (e) { /* a file: URL some browsers refuse */ }
if (!text) {
setPersonal(false);
status.textContent = "Showing the page's own roadmap.";
return;
}
var req = request();
var mine = serial += 1;
status.textContent = "Working out your roadmap\u2026";
compute(req).then(function (answer) {
if (mine !== serial) { return; }
output.innerHTML = renderRoadmap(answer[0], describeChoices(req));
output.setAttribute("data-computed-by", answer[1] === "this page" ? "page" : "api");
setPersonal(true);
var roadmap = answer[0];
var said = "no route";
if (roadmap.routes.length) {
var step = roadmap.routes[0].steps[0];
var gaps = step.gaps.filter(function (g) { return g.priority; }).map(function (g) { return g.competency.label; });
said = "next step " + step.to.label + (gaps.length ? "; develop first " + gaps.join(", ") : "");
}
status.innerHTML = esc("Roadmap updated (worked out by " + answer[1] + "): " + said + ". ") + '<a href="#my-roadmap">Go to your roadmap</a>';
}).catch(function (error) {
if (mine !== serial) { return; }
status.textContent = "Could not personalise the roadmap: " + error.message + ".";
});
}
var levels = form.querySelector(".levels");
var named = levels.getAttribute("data-levels").split(";");
named.forEach(function (pair) {
var parts = pair.split("=");
levelNames[parts[0]] = parts[1];
var text = parts[1] + " (" + parts[0] + " of " + named.length + ")";
levels.querySelectorAll("select").forEach(function (select) { select.add(new Option(text, parts[0])); });
});
relabel();
Array.from(form.elements).forEach(function (field) {
if (field.name && field.tagName === "SELECT") { defaults[field.name] = field.value; }
});
var pending = null;
form.addEventListener("change", function (event) {
if (event.target === form.elements.profession) { relabel(); }
window.clearTimeout(pending);
pending = window.setTimeout(update, event.target.tagName === "SELECT" ? 250 : 0);
});
form.addEventListener("reset", function () { window.setTimeout(function () { relabel(); update(); }, 0); });
form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
form.addEventListener("focusin", function () { loadTables().catch(function () {}); }, {once: true});
if (window.location.search) {
var details = document.getElementById("personalise");
var restored = function () { if (restore(window.location.search.slice(1))) { details.open = true; update(); } };
loadTables().then(restored, restored);
}
}());
