// The charts of /-/charts, drawn from the figures the page's own server gives (/-/charts.json): Vega-Lite
// specs compiled in the browser, rendered as SVG; expressions go through vega-interpreter (no eval).
import { expressionInterpreter } from "./vendor/vega-interpreter.js";

const root = document.getElementById("hepza-charts");
const byPortal = root.dataset.byPortal === "true";
const labels = JSON.parse(root.dataset.labels);
// A kind (published, edited, removed) as the page's language names it: the legends read like the tables.
const kindName = (kind) => (labels.kinds && labels.kinds[kind]) || kind;
const named = (rows) => rows.map((row) => ({ ...row, kind: kindName(row.kind) }));
const options = {
  ast: true,
  expr: expressionInterpreter,
  renderer: "svg",
  // Only the save buttons: the editor and source links would open vega.github.io.
  actions: { export: true, source: false, compiled: false, editor: false },
  downloadFileName: "hepza-chart",
};

function draw(id, spec) {
  const target = document.getElementById(id);
  if (!target) return Promise.resolve();
  return vegaEmbed(target, { $schema: "https://vega.github.io/schema/vega-lite/v6.json", ...spec }, options)
    .then(() => target.setAttribute("data-drawn", "true"))
    .catch((error) => {
      target.setAttribute("data-error", String(error));
      target.textContent = labels.failed;
    });
}

function perMonth(figures) {
  const values = named(figures.monthly);
  const kinds = figures.kinds.map(kindName);
  return draw("chart-per-month", {
    title: labels.perMonth,
    width: "container",
    height: 220,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "month", type: "temporal", timeUnit: "utcyearmonth", scale: { type: "utc" }, title: labels.month },
      xOffset: { field: "kind", sort: kinds },
      y: { aggregate: "sum", field: "count", type: "quantitative", title: labels.count },
      color: { field: "kind", type: "nominal", sort: kinds, title: labels.kind },
    },
  });
}

function perCategory(figures) {
  const values = named(figures.monthly);
  return draw("chart-per-category", {
    title: byPortal ? labels.perPortal : labels.perCategory,
    width: 640,
    height: 120,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "month", type: "temporal", timeUnit: "utcyearmonth", scale: { type: "utc" }, title: labels.month },
      y: { aggregate: "sum", field: "count", type: "quantitative", title: labels.count },
      color: { field: byPortal ? "portal" : "category", type: "nominal", title: byPortal ? labels.portal : labels.category },
      row: { field: "kind", type: "nominal", sort: figures.kinds.map(kindName), title: labels.kind },
    },
  });
}

function mostEdited(figures) {
  if (!figures.most_edited.length) return Promise.resolve();
  return draw("chart-most-edited", {
    title: labels.mostEdited,
    width: "container",
    data: { values: figures.most_edited },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "title", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 420 } },
      x: { field: "edits", type: "quantitative", title: labels.edits, axis: { tickMinStep: 1, format: "d" } },
      color: byPortal ? { field: "portal", type: "nominal", title: labels.portal } : { value: "#4c78a8" },
    },
  });
}

function timeline(figures) {
  if (!figures.article) return Promise.resolve();
  return draw("chart-timeline", {
    title: labels.timeline,
    width: "container",
    height: 160,
    data: { values: figures.article.timeline },
    mark: { type: "point", filled: true, size: 90, tooltip: true },
    encoding: {
      x: { field: "time", type: "temporal", title: labels.time },
      y: { field: "kind", type: "nominal", title: null },
      color: { field: "kind", type: "nominal", title: labels.kind },
    },
  });
}

fetch(root.dataset.figures, { headers: { accept: "application/json" } })
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  })
  .then((figures) => Promise.all([perMonth(figures), perCategory(figures), mostEdited(figures), timeline(figures)]))
  .then(() => root.setAttribute("data-ready", "true"))
  .catch((error) => {
    root.setAttribute("data-error", String(error));
    root.setAttribute("data-ready", "true");
  });
