// The pages' own script, one copy for every page (lib/pathways.js): printing, and the graph
// where a page has one (its data in #graph-data, vis-network loaded before this file).
(function () {
  // What a printed page must say: where it came from and when (filled at print time, so that
  // the built pages stay byte-identical).
  function stamp() {
    // Folded details print open: a printed roadmap cannot be unfolded.
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    document.querySelectorAll(".page-url").forEach(function (e) { e.textContent = window.location.href; });
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".print-date").forEach(function (e) { e.textContent = today; });
    var who = document.getElementById("prepared-for");
    var line = document.getElementById("prepared-line");
    if (who && line) { line.textContent = who.value.trim() ? "Prepared for " + who.value.trim() + " on " + today + "." : ""; }
  }
  window.addEventListener("beforeprint", stamp);
  var button = document.getElementById("print");
  if (button) { button.addEventListener("click", function () { stamp(); window.print(); }); }
}());
(function () {
  var source = document.getElementById("graph-data");
  if (!source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var container = document.getElementById("network");
  var panel = document.getElementById("node-panel");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  // Fitting a large graph on screen shrinks its labels past reading: never below this scale,
  // centred on the page's own role (or the graph's middle) instead.
  var LEGIBLE = 0.75;
  function legible() {
    if (network.getScale() >= LEGIBLE) { return; }
    var focus = data.focus && nodes.get(data.focus) ? network.getPositions([data.focus])[data.focus] : undefined;
    network.moveTo({scale: LEGIBLE, position: focus});
  }
  network.once("afterDrawing", function () {
    legible();
    container.setAttribute("data-drawn", "true");
  });
  // A click or a tap selects a role and shows its facts beside the graph, with a link to its
  // roadmap (a tap has no hover, so the tooltip alone would leave phones with nothing).
  function show(id) {
    var node = nodes.get(id);
    if (!node || !panel) { return; }
    panel.textContent = "";
    var heading = document.createElement("h3");
    heading.textContent = node.label;
    panel.appendChild(heading);
    String(node.title || "").split("\n").slice(1).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      panel.appendChild(p);
    });
    if (node.url) {
      var link = document.createElement("a");
      link.href = node.url;
      link.textContent = "Open the roadmap from " + node.label;
      panel.appendChild(link);
    }
    panel.hidden = false;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); }
  });
  network.on("doubleClick", function (params) {
    var node = params.nodes.length ? nodes.get(params.nodes[0]) : null;
    if (node && node.url) { window.location.href = node.url; }
  });
  document.querySelectorAll("[data-graph]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-graph");
      if (action === "fit") { network.fit(); legible(); return; }
      var scale = network.getScale() * (action === "in" ? 1.3 : 1 / 1.3);
      network.moveTo({scale: scale});
    });
  });
  var toggle = document.getElementById("show-graph");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var shown = document.body.classList.toggle("graph-shown");
      toggle.setAttribute("aria-expanded", shown ? "true" : "false");
      toggle.textContent = shown ? "Hide the graph" : "Show the graph";
      if (shown) { network.redraw(); network.fit(); legible(); }
    });
  }
  window.pathwaysNetwork = {network: network, nodes: nodes, edges: edges, show: show};
}());
(function () {
  // Role lists with a box to tick per role (the index, the profession pages): at most three
  // roles are compared, so a fourth tick is refused with a word, and the button says when
  // there are enough.
  document.querySelectorAll("form.pick-compare").forEach(function (form) {
    var status = form.querySelector(".pick-status");
    form.addEventListener("change", function (event) {
      var ticked = form.querySelectorAll("input.pick:checked");
      if (ticked.length > 3 && event.target.checked) {
        event.target.checked = false;
        status.textContent = "Three roles at most: untick one to choose another.";
        return;
      }
      var count = form.querySelectorAll("input.pick:checked").length;
      status.textContent = count >= 2 ? count + " roles ticked: choose Compare." : "Tick " + (count ? "one or two more roles" : "two or three roles") + " to compare them side by side.";
    });
    form.addEventListener("submit", function (event) {
      if (form.querySelectorAll("input.pick:checked").length < 2) {
        event.preventDefault();
        status.textContent = "Tick at least two roles to compare.";
      }
    });
  });
}());
