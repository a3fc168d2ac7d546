
var data = JSON.parse(document.getElementById("graph-data").textContent);
var container = document.getElementById("network");
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
network.once("afterDrawing", function () { container.setAttribute("data-drawn", "true"); });
network.on("click", function (params) {
  if (params.nodes.length) {
    var node = nodes.get(params.nodes[0]);
    if (node && node.url) { window.location.href = node.url; }
  }
});
window.pathwaysNetwork = {network: network, nodes: nodes, edges: edges};
