// The roadmap engine of the pages opened from the file system (lib/plan-engine.js): it follows
// careers/paths.py, scoring.py, steps.py and roadmap.py on the tables careers/portable.py writes
// beside each role page (roles/ROLE.plan.js), and every decision that does not depend on the
// person's answers comes precomputed by those modules. lib/personalise.js loads it, with the
// tables, only when the API is not there to ask; tests/site/test_personalise.py runs it and the
// Python engine on the same requests.
(function () {
  "use strict";
  // --- the engine --------------------------------------------------------------------------

  // Python's round(): halves to even (Math.round rounds them up).
  function roundHalfEven(x) {
    var r = Math.round(x);
    if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) { r -= 1; }
    return r;
  }
  function round2(x) { return Math.round(x * 100) / 100; }
  // paths.weight: hundredths of a year, then one unit per step (fewer steps win a tie).
  function weight(cost) { return roundHalfEven(cost * 100) * 1000 + 1; }

  // Tuples compared as Python compares them: element by element.
  function compare(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i += 1) {
      var x = a[i], y = b[i];
      if (Array.isArray(x)) {
        var c = compare(x, y);
        if (c) { return c; }
      } else if (x < y) { return -1; } else if (x > y) { return 1; }
    }
    return a.length - b.length;
  }

  // Rows of values (the tables name each field once) as objects.
  function objects(fields, rows) {
    return rows.map(function (row) {
      var entry = {};
      fields.forEach(function (field, n) { entry[field] = row[n]; });
      return entry;
    });
  }

  // Levels and importances come as a string of digits when each is one.
  function digits(values) {
    return typeof values === "string" ? values.split("").map(Number) : values;
  }

  // The rows of ``from`` (named by ``fromFields``) in the order of ``fields``.
  function reordered(rows, fromFields, fields) {
    var at = fields.map(function (f) { return fromFields.indexOf(f); });
    return rows.map(function (row) { return at.map(function (i) { return i === -1 ? null : row[i]; }); });
  }

  // ``data``: a page's tables (roles/ROLE.plan.js); ``seats``: every board and national seat
  // (roles/seats.plan.js, written once per site), which a roadmap may say it leaves out. A
  // page's own rows keep their places: its edges name roles by place.
  function Engine(data, seats) {
    var self = this;
    var fields = data.rolesFields.slice(), rows = data.roles;
    if (seats) {
      seats.rolesFields.forEach(function (f) { if (fields.indexOf(f) === -1) { fields.push(f); } });
      var idAt = data.rolesFields.indexOf("id"), seatIdAt = seats.rolesFields.indexOf("id");
      var have = new Set(data.roles.map(function (r) { return r[idAt]; }));
      rows = reordered(data.roles, data.rolesFields, fields).concat(reordered(
        seats.roles.filter(function (r) { return !have.has(r[seatIdAt]); }), seats.rolesFields, fields));
    }
    // A copy: the tables stay as loaded, for the next engine or the form.
    data = Object.assign({}, data, {roles: objects(fields, rows), edges: objects(data.edgesFields, data.edges)});
    this.data = data;
    this.byId = {};
    data.roles.forEach(function (role, n) {
      role.n = n;
      role.out = [];
      role.professionIds = (role.professions || []).map(function (p) { return data.professions[p][0]; });
      role.ladderIds = (role.ladderOf || []).map(function (p) { return data.professions[p][0]; });
      role.preEntryIds = (role.preEntryTo || []).map(function (p) { return data.professions[p][0]; });
      role.need = digits(role.need);
      role.importance = digits(role.importance);
      role.tierId = data.tiers[role.tier][0];
      role.tierLabel = data.tiers[role.tier][1];
      self.byId[role.id] = role;
    });
    data.edges.forEach(function (edge) {
      edge.source = data.roles[edge.from];
      edge.target = data.roles[edge.to];
      edge.source.out.push(edge);
    });
    this.professionLabel = {};
    data.professions.forEach(function (p) { self.professionLabel[p[0]] = p[1]; });
    this.board = data.targets.board;
    this.national = data.targets.national;
  }

  Engine.prototype.level = function (rank) {
    return this.data.levels[String(rank)] || "none";
  };

  // Role.can_be_held
  Engine.prototype.canHold = function (role, profession, registrations) {
    if (role.professionIds.length) { return role.professionIds.indexOf(profession) !== -1; }
    return (role.registers || []).some(function (code) { return registrations.indexOf(code) !== -1; });
  };

  // scoring.step_cost: the fixed part comes with the tables.
  Engine.prototype.stepCost = function (edge, profession, prefer) {
    var policy = this.data.policy;
    var fixed = edge.cost;
    var penalties = fixed[2].map(function (p) { return {reason: p[0], years: p[1]}; });
    var leaves = fixed[3].map(function (p) { return this.data.professions[p][0]; }, this);
    if (leaves.indexOf(profession) !== -1) {
      penalties.push({reason: "leaves your profession's ladder early", years: policy.leaveLadder});
    }
    if (prefer && (edge.target.functions || []).indexOf(prefer) === -1) {
      penalties.push({reason: "role without " + this.data.functions[prefer][1].toLowerCase(), years: policy.unpreferredFunction});
    }
    var sum = 0;
    penalties.forEach(function (p) { sum += p.years; });
    return {cost: fixed[0] * fixed[1] + sum, penalties: penalties};
  };

  function key(state) { return state[0] + " " + state[1]; }

  // paths.state_graph: the states reachable from the start, in topological order.
  Engine.prototype.stateGraph = function (start, profession, registrations, prefer) {
    var engine = this;
    var adj = new Map();
    var states = new Map();
    function successors(state) {
      var role = engine.byId[state[0]];
      var steps = [];
      role.out.forEach(function (edge) {
        var joins = edge.retrainsAs != null ? engine.data.professions[edge.retrainsAs][0] : state[1];
        if (!engine.canHold(edge.target, joins, registrations)) { return; }
        var costed = engine.stepCost(edge, state[1], prefer);
        steps.push([[edge.target.id, joins], {edge: edge, cost: costed.cost, penalties: costed.penalties, weight: weight(costed.cost)}]);
      });
      return steps;
    }
    function table(state, steps) {
      // dict(steps): a later step to the same state replaces the earlier, in its place.
      var m = new Map();
      steps.forEach(function (s) { states.set(key(s[0]), s[0]); m.set(key(s[0]), s[1]); });
      adj.set(key(state), m);
    }
    var origin = [start, profession];
    states.set(key(origin), origin);
    var finished = [];
    var seen = new Set([key(origin)]);
    var steps = successors(origin);
    table(origin, steps);
    var stack = [[origin, steps, 0]];
    while (stack.length) {
      var top = stack[stack.length - 1];
      var pushed = false;
      while (top[2] < top[1].length) {
        var following = top[1][top[2]][0];
        top[2] += 1;
        if (!seen.has(key(following))) {
          seen.add(key(following));
          var next = successors(following);
          table(following, next);
          stack.push([following, next, 0]);
          pushed = true;
          break;
        }
      }
      if (!pushed) { stack.pop(); finished.push(top[0]); }
    }
    return {adj: adj, states: states, order: finished.reverse()};
  };

  Engine.prototype.seatEnd = function (role) {
    var seat = role.seat != null ? this.data.seats[role.seat] : null;
    if (!seat || !seat[3]) { return [null, 0]; }
    return [{reason: "ends on a " + seat[1] + " seat", years: seat[3]}, roundHalfEven(seat[3] * 100) * 1000];
  };

  // paths.k_cheapest
  Engine.prototype.kCheapest = function (graph, origin, targets, named, k) {
    var engine = this;
    var best = new Map(), ends = new Map();
    for (var i = graph.order.length - 1; i >= 0; i -= 1) {
      var state = graph.order[i];
      if (targets.has(state[0])) { continue; }
      var candidates = [], finish = null;
      var tier = engine.byId[state[0]].tierId;
      graph.adj.get(key(state)).forEach(function (data, followingKey) {
        var following = graph.states.get(followingKey);
        if (tier === engine.board && engine.byId[following[0]].tierId === engine.board && !named) { return; }
        if (targets.has(following[0])) {
          var end = engine.seatEnd(engine.byId[following[0]]);
          var option = [data.weight + end[1], following, end[0]];
          if (finish === null || compare(option.slice(0, 2), finish.slice(0, 2)) < 0) { finish = option; }
          return;
        }
        (best.get(followingKey) || []).forEach(function (b, rank) {
          candidates.push([data.weight + b[0], following, rank]);
        });
      });
      if (finish !== null) {
        ends.set(key(state), finish);
        candidates.push([finish[0], finish[1], -1]);
      }
      if (candidates.length) { best.set(key(state), candidates.sort(compare).slice(0, k)); }
    }
    var routes = [];
    (best.get(key(origin)) || []).forEach(function (entry) {
      var path = [origin], following = entry[1], rank = entry[2];
      while (rank !== -1) {
        path.push(following);
        var next = best.get(key(following))[rank];
        following = next[1];
        rank = next[2];
      }
      routes.push([path.concat([following]), ends.get(key(path[path.length - 1]))[2]]);
    });
    return routes;
  };

  // paths.cheapest_to_each
  Engine.prototype.cheapestToEach = function (graph, origin) {
    var cost = new Map([[key(origin), 0]]), came = new Map();
    graph.order.forEach(function (state) {
      if (!cost.has(key(state))) { return; }
      graph.adj.get(key(state)).forEach(function (data, followingKey) {
        var total = cost.get(key(state)) + data.weight;
        if (!cost.has(followingKey) || compare([total, state], [cost.get(followingKey), came.get(followingKey)]) < 0) {
          cost.set(followingKey, total);
          came.set(followingKey, state);
        }
      });
    });
    return {cost: cost, came: came};
  };

  function pathTo(came, origin, state) {
    var path = [state];
    while (key(path[path.length - 1]) !== key(origin)) { path.push(came.get(key(path[path.length - 1]))); }
    return path.reverse();
  }

  function yearsBasis(edge) { return edge.yearsSource ? "source" : "estimate"; }

  // roadmap._route_summary
  Engine.prototype.routeSummary = function (graph, states, end) {
    var steps = [], total = 0, cost = 0;
    for (var i = 0; i + 1 < states.length; i += 1) {
      var data = graph.adj.get(key(states[i])).get(key(states[i + 1]));
      var edge = data.edge;
      total += edge.years == null ? 0 : edge.years;
      cost += data.cost;
      steps.push({to: {id: edge.target.id, label: edge.target.label}, kind: edge.kind, years: edge.years, years_basis: yearsBasis(edge)});
    }
    return {
      total_years: round2(total),
      years_estimated: steps.filter(function (s) { return s.years_basis === "estimate"; }).length,
      cost: round2(cost + (end ? end.years : 0)),
      step_count: steps.length,
      steps: steps
    };
  };

  // roadmap._seats
  Engine.prototype.seatsOf = function (graph, origin) {
    var engine = this;
    var found = this.cheapestToEach(graph, origin);
    var best = new Map();
    found.cost.forEach(function (distance, stateKey) {
      var state = graph.states.get(stateKey);
      var role = engine.byId[state[0]];
      if ((role.tierId !== engine.board && role.tierId !== engine.national) || stateKey === key(origin)) { return; }
      var end = engine.seatEnd(role);
      var total = distance + end[1];
      if (!best.has(role.id) || compare([total, state], best.get(role.id)) < 0) { best.set(role.id, [total, state]); }
    });
    var seats = [];
    best.forEach(function (entry, id) {
      var role = engine.byId[id];
      var seat = role.seat != null ? engine.data.seats[role.seat] : null;
      var summary = engine.routeSummary(graph, pathTo(found.came, origin, entry[1]), engine.seatEnd(role)[0]);
      seats.push([seat ? seat[2] : 99, entry[0], role.label, {
        id: id, label: role.label, tier: role.tierLabel, bands: role.bands,
        seat: seat ? {id: seat[0], label: seat[1]} : null, route: summary
      }]);
    });
    // Array.prototype.sort is stable, as Python's sorted is.
    seats.sort(function (a, b) { return compare(a.slice(0, 3), b.slice(0, 3)); });
    return seats.map(function (s) { return s[3]; });
  };

  function ref(id, label) { return {id: id, label: label}; }

  // roadmap.held_levels: by competency position.
  Engine.prototype.heldLevels = function (start, profession, assessed) {
    var held = start.need.slice();
    var strengths = this.data.strengths[String(this.professionIndex(profession))] || [];
    strengths.forEach(function (rank, position) { held[position] = Math.max(held[position] || 0, rank); });
    Object.keys(assessed).forEach(function (position) { held[position] = assessed[position]; });
    return held;
  };

  Engine.prototype.professionIndex = function (id) {
    for (var i = 0; i < this.data.professions.length; i += 1) { if (this.data.professions[i][0] === id) { return i; } }
    return -1;
  };

  Engine.prototype.competency = function (position) {
    var c = this.data.competencies[position];
    return ref(c[0], c[1]);
  };

  // steps.describe, with _gaps, _programmes, _develop and _positive_action.
  Engine.prototype.describe = function (edge, data, profession, held, groups, offered) {
    var engine = this, d = this.data, policy = d.policy;
    var role = edge.target, source = edge.source;
    var scored = [], strengths = [];
    role.need.forEach(function (rank, position) {
      if (!rank) { return; }
      var importance = role.importance[position];
      var have = held[position] || 0;
      if (rank > have) {
        scored.push([-((rank - have) * (1 + importance)), -(rank - have), position, d.competencies[position][0], rank, have]);
      } else if (rank >= policy.strengthFromLevel) {
        strengths.push([-importance, -rank, position, d.competencies[position][0], have, rank]);
      }
      held[position] = Math.max(have, rank);
    });
    scored.sort(compare);
    strengths.sort(compare);
    var gapIds = scored.map(function (g) { return g[2]; });
    var priority = gapIds.slice(0, policy.priorityGaps);
    function closesOf(offer) { return gapIds.filter(function (c) { return offer.develops.indexOf(c) !== -1; }); }
    var paired = (edge.paired || []).map(function (n) { return d.offers[n]; });
    var others = [];
    (edge.fitting || []).forEach(function (fit) {
      var offer = d.offers[fit[0]];
      // steps._programmes: not again when an earlier step of the route listed it.
      if (paired.indexOf(offer) !== -1 || offered.indexOf(offer.id) !== -1) { return; }
      var madeFor = fit[1] === 1;
      var closes = closesOf(offer);
      if (closes.length || madeFor) {
        var count = closes.filter(function (c) { return priority.indexOf(c) !== -1; }).length;
        others.push([madeFor ? 0 : 1, -count, -closes.length, offer.label, offer]);
      }
    });
    others.sort(function (a, b) { return compare(a.slice(0, 4), b.slice(0, 4)); });
    var chosen = paired.concat(others.slice(0, policy.programmesPerStep).map(function (o) { return o[4]; }));
    chosen.forEach(function (offer) { if (offered.indexOf(offer.id) === -1) { offered.push(offer.id); } });
    var programmes = chosen.map(function (offer) {
      var item = {id: offer.id, label: offer.label};
      var closes = closesOf(offer).map(function (c) { return d.competencies[c][1]; });
      if (closes.length) { item.closes = closes; }
      item.recommended = paired.indexOf(offer) !== -1;
      return item;
    });
    var gaps = scored.map(function (g) {
      var position = g[2];
      var gap = {competency: engine.competency(position), needed: engine.level(g[4]), held: engine.level(g[5]), size: g[4] - g[5], priority: priority.indexOf(position) !== -1};
      if (gap.priority) { gap.develop = engine.develop(position, chosen); }
      return gap;
    });
    var positive = [], note = null;
    if (groups.length && edge.retrainsAs == null) {
      var offered = d.offers.filter(function (o) {
        return o.kind === "programme" && o.groups.some(function (g) { return groups.indexOf(g) !== -1; });
      });
      offered.forEach(function (offer) {
        if ((edge.positiveAction || []).indexOf(d.offers.indexOf(offer)) !== -1) { positive.push(ref(offer.id, offer.label)); }
      });
      if (positive.length && source.bandsBasis === "estimate") {
        note = "Offered by the band of " + source.label + " (" + source.bands + "), which is this project's estimate: check your own band against each programme's.";
      }
      var byBand = offered.filter(function (o) { return o.bandLimited; });
      if (byBand.length && source.bandsBasis === "unknown") {
        note = byBand.map(function (o) { return o.label; }).join(" and ") + " are open by band, and no band is known for " + source.label + ": check your own band against each programme's.";
      }
    }
    var support = (edge.support || []).map(function (n) { return d.offers[n]; });
    d.offers.forEach(function (o) {
      if (o.kind === "support" && o.groups.some(function (g) { return groups.indexOf(g) !== -1; }) && support.indexOf(o) === -1) { support.push(o); }
    });
    var retraining = null;
    if (edge.retrainsAs != null) {
      var joins = d.professions[edge.retrainsAs];
      retraining = {
        profession: ref(joins[0], joins[1]),
        qualification: edge.qualification,
        funding: edge.funding,
        first_training: source.preEntryIds.indexOf(joins[0]) !== -1
      };
    }
    return {
      from: ref(source.id, source.label),
      to: {id: role.id, label: role.label, tier: role.tierLabel, bands: role.bands, bands_basis: role.bandsBasis},
      kind: edge.kind,
      years: edge.years,
      years_basis: yearsBasis(edge),
      years_minimum: !!edge.yearsMinimum,
      years_source: edge.yearsSource || null,
      profession: ref(profession, this.professionLabel[profession]),
      retraining: retraining,
      cost: round2(data.cost),
      rawCost: data.cost,
      progression: edge.id || null,
      penalties: data.penalties,
      gaps: gaps,
      strengths: strengths.slice(0, policy.strengthsPerStep).map(function (s) {
        return {competency: engine.competency(s[2]), level: engine.level(s[4]), needed: engine.level(s[5])};
      }),
      programmes: programmes,
      positive_action: positive,
      positive_action_note: note,
      support: support.map(function (o) { return ref(o.id, o.label); }),
      conditions: (edge.conditions || []).map(function (n) { return d.texts[n]; })
    };
  };

  // steps._develop
  Engine.prototype.develop = function (position, programmes) {
    var development = this.data.development[position];
    if (!development) { return {mode: "experience", label: "on-the-job experience", how: ""}; }
    var how = development.advice;
    if (development.course) {
      var taught = programmes.filter(function (o) { return o.develops.indexOf(position) !== -1; }).map(function (o) { return o.label; });
      if (taught.length) { how = ("Take the " + taught.join(" or the ") + " (listed for this step). " + how).trim(); }
    }
    return {mode: development.mode, label: development.label, how: how};
  };

  // roadmap._closed and _closed_reason
  Engine.prototype.closed = function (targets, profession, met, registrations) {
    var engine = this, d = this.data;
    return Array.from(targets).sort().filter(function (id) {
      return !met.some(function (p) { return engine.canHold(engine.byId[id], p, registrations); });
    }).map(function (id) {
      var role = engine.byId[id];
      var entry = {id: id, label: role.label};
      if (role.registers && role.registers.length && !role.professionIds.length) {
        var basis = (role.legalBasis || []).join("; ");
        entry.reason = "requires registration on the " + role.registerLabels.slice().sort().join(" or the ") + (basis ? " (" + basis + ")" : "");
        entry.legal_basis = role.legalBasis || [];
        entry.opened_by = role.registers.slice().sort();
      } else {
        entry.reason = "not open to " + engine.professionLabel[profession].toLowerCase() + "s, and no retraining step into a profession it is open to is modelled";
      }
      return entry;
    });
  };

  function route(steps, end) {
    var cost = 0, total = 0;
    steps.forEach(function (s) { cost += s.rawCost; total += s.years == null ? 0 : s.years; });
    return {
      total_years: round2(total),
      years_estimated: steps.filter(function (s) { return s.years_basis === "estimate"; }).length,
      years_unknown_on: steps.filter(function (s) { return s.years == null; }).map(function (s) { return s.progression; }),
      cost: round2(cost + (end ? end.years : 0)),
      end_penalty: end,
      step_count: steps.length,
      steps: steps
    };
  }

  // roadmap.build_roadmap, for a request of ids: {start, profession, target, prefer,
  // registrations: [codes], groups: [names], levels: {competency id: rank}, k}.
  Engine.prototype.roadmap = function (request) {
    var engine = this, d = this.data;
    var start = this.byId[request.start];
    var profession = request.profession || start.professionIds[0];
    var k = request.k || 3;
    var registrations = (request.registrations || []).slice();
    var groups = (request.groups || []).map(function (g) { return d.groups[g]; });
    var prefer = request.prefer || null;
    var assessed = {};
    Object.keys(request.levels || {}).forEach(function (id) {
      d.competencies.forEach(function (c, position) { if (c[0] === id) { assessed[position] = request.levels[id]; } });
    });
    var targetKey = request.target || "board";
    var targets = new Set(), target, named = false;
    if (targetKey === "board" || targetKey === "national") {
      d.roles.forEach(function (r) { if (r.tierId === d.targets[targetKey]) { targets.add(r.id); } });
      var first = d.roles.filter(function (r) { return targets.has(r.id); })[0];
      target = {id: targetKey, label: first ? first.tierLabel : targetKey};
    } else {
      targets.add(targetKey);
      target = {id: targetKey, label: this.byId[targetKey].label};
      named = true;
    }
    var graph = this.stateGraph(start.id, profession, registrations, prefer);
    var origin = [start.id, profession];
    var met = [];
    graph.order.forEach(function (s) { if (met.indexOf(s[1]) === -1) { met.push(s[1]); } });
    // roadmap.EXCLUDED_SHOWN: at most 10 of each reason listed, the rest counted.
    var SHOWN = 10;
    var closedAll = this.closed(targets, profession, met, registrations);
    var excluded = closedAll.slice(0, SHOWN);
    var unlisted = [];
    closedAll.slice(SHOWN).forEach(function (e) {
      (e.opened_by || []).forEach(function (code) { if (unlisted.indexOf(code) === -1) { unlisted.push(code); } });
    });
    var held = Object.keys(d.registrations).filter(function (code) { return registrations.indexOf(code) !== -1; });
    var result = {
      start: {id: start.id, label: start.label, tier: start.tierLabel, bands: start.bands, bands_basis: start.bandsBasis,
        pre_entry: start.preEntryIds.indexOf(profession) !== -1, called: null},
      profession: ref(profession, this.professionLabel[profession]),
      target: target,
      prefer: prefer ? ref(d.functions[prefer][0], d.functions[prefer][1]) : null,
      registrations: held.map(function (code) { return ref(d.registrations[code][0], d.registrations[code][1]); })
        .sort(function (a, b) { return compare([a.id, a.label], [b.id, b.label]); }),
      routes: [],
      seats: [],
      excluded: excluded,
      excluded_more: {closed: Math.max(0, closedAll.length - SHOWN), unreached: 0, opened_by: unlisted.sort()},
      note: ""
    };
    if (!named) {
      result.seats = this.seatsOf(graph, origin);
      var reached = result.seats.map(function (s) { return s.label; });
      var closedLabels = new Set(closedAll.map(function (e) { return e.label; }));
      var unreached = 0;
      var titles = new Map();
      Array.from(targets).sort().forEach(function (id) { if (!titles.has(engine.byId[id].label)) { titles.set(engine.byId[id].label, id); } });
      Array.from(titles.keys()).sort().forEach(function (label) {
        var id = titles.get(label);
        if (reached.indexOf(label) !== -1 || closedLabels.has(label) || id === start.id) { return; }
        unreached += 1;
        if (unreached > SHOWN) { return; }
        result.excluded.push({id: id, label: label, reason: "no route from " + start.label + " is modelled for " + engine.professionLabel[profession].toLowerCase() + "s"});
      });
      result.excluded_more.unreached = Math.max(0, unreached - SHOWN);
    }
    if (targets.has(start.id)) {
      result.note = start.label + " is already a role at " + target.label.toLowerCase() + ".";
      return result;
    }
    var routes = this.kCheapest(graph, origin, targets, named, k);
    if (!routes.length) {
      result.note = this.noRouteNote(start, profession, target, excluded, named);
      return result;
    }
    var startHeld = this.heldLevels(start, profession, assessed);
    routes.forEach(function (found) {
      var states = found[0], held = startHeld.slice(), steps = [], offered = [];
      for (var i = 0; i + 1 < states.length; i += 1) {
        var data = graph.adj.get(key(states[i])).get(key(states[i + 1]));
        steps.push(engine.describe(data.edge, data, states[i + 1][1], held, groups, offered));
      }
      result.routes.push(route(steps, found[1]));
    });
    if (result.routes.length < k) {
      var count = result.routes.length;
      result.note = "Only " + count + " of the " + k + " routes requested " +
        (count === 1 ? "differs before its last step" : "differ before their last step") +
        (named ? "" : "; the best route to each seat is listed with the seats");
    }
    return result;
  };

  // Python's repr() of a string, as the engine's notes quote names.
  function repr(text) { return text.indexOf("'") !== -1 && text.indexOf('"') === -1 ? '"' + text + '"' : "'" + text.replace(/'/g, "\\'") + "'"; }

  Engine.prototype.noRouteNote = function (start, profession, target, excluded, named) {
    var members = this.professionLabel[profession].toLowerCase() + "s";
    if (named && excluded.length) {
      var entry = excluded[0];
      var verb = entry.reason.indexOf("not ") === 0 ? "is " : "";
      var note = repr(entry.label) + " " + verb + entry.reason;
      if (entry.opened_by) { note += "; if you hold it, give it as a registration (" + entry.opened_by.join(", ") + ")"; }
      return note;
    }
    var what = named ? repr(target.label) : "a " + target.label.toLowerCase() + " role";
    return "no route leads from " + repr(start.label) + " to " + what + " in the knowledge base for " + members + ", retraining included";
  };

  window.PathwaysPlan = window.PathwaysPlan || {};
  window.PathwaysPlan.Engine = Engine;
}());
