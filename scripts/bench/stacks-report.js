// The report of the stacks part of `npm run bench` (stacks.js): its rows in the summary of targets,
// the engine-overhead table of both faces, the provider processes, and the state size per resource.
"use strict";
const { secs, mmm, mib, verdict } = require("./stats");

const fmtS = (ms) => secs(ms, 2);
const fmtN = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const fmtR = (x) => x.toFixed(2);

/** The order of the types in the state table: this package's, then the baselines'. */
const TYPE_ORDER = [
  "KakaoRedisCluster",
  "KakaoShard",
  "KakaoReplica",
  "KakaoMemberSettled",
  "TairDirectConnection",
  "InstanceSSL",
  "DcsInstanceSSL",
];

/** The rows the stacks part adds to the summary of targets. */
function stacksSummaryRows(st) {
  const worst = Math.max(0, ...Object.values(st.providerBytes));
  const rows = [
    ["`__provider` bytes per resource ≤ 2.4 KB (2400 B)", `largest ${worst} B`, verdict(worst <= 2400)],
    [
      "preview ≤ 1.3 × trivial stack",
      `${st.ratios.previewEmpty.median.toFixed(2)}× (new), ${st.ratios.previewSame.median.toFixed(2)}× (no changes)`,
      verdict(st.ratios.previewEmpty.median <= 1.3 && st.ratios.previewSame.median <= 1.3),
    ],
    ["provider process peak memory during up", mib(st.managed.peakSum.max), "(reported)"],
  ];
  if (st.pluginRatios) {
    rows.push([
      "plugin face: preview against a trivial plugin stack",
      `${fmtR(st.pluginRatios.previewEmpty.median)}× (new), ${fmtR(st.pluginRatios.previewSame.median)}× (no changes)`,
      "(reported)",
    ]);
  }
  if (st.stateBytes) {
    const per = (name) => Math.round(st.stateBytes[name].resourceBytes / st.resources);
    rows.push([
      "state bytes per declared resource (dynamic face, plugin face)",
      `${per("managed")} B, ${per("plugin")} B`,
      "(reported)",
    ]);
  }
  return rows;
}

/** The engine-overhead table: rows of the dynamic face, then of the plugin face. */
function stacksTable(st) {
  const header = [
    "command (40 resources)",
    "this package",
    "trivial resources of the same face",
    "ratio",
    "target",
  ];
  const row = (label, a, b, ratios, key, target) => [
    label,
    mmm(a[key], fmtS),
    mmm(b[key], fmtS),
    mmm(ratios[key], fmtR),
    target ?? "",
  ];
  const target = (key) => `≤ 1.30: ${verdict(st.ratios[key].median <= 1.3)}`;
  const rows = [
    row(
      "pulumi preview (new stack)",
      st.managed,
      st.trivial,
      st.ratios,
      "previewEmpty",
      target("previewEmpty"),
    ),
    row(
      "pulumi preview (no changes)",
      st.managed,
      st.trivial,
      st.ratios,
      "previewSame",
      target("previewSame"),
    ),
    row(`pulumi up --skip-preview (settle ${st.settleMs} ms)`, st.managed, st.trivial, st.ratios, "up"),
    row("pulumi destroy --skip-preview", st.managed, st.trivial, st.ratios, "destroy"),
  ];
  if (st.plugin) {
    const p = (label, key) => row(`plugin face: ${label}`, st.plugin, st.trivialPlugin, st.pluginRatios, key);
    rows.push(
      p("pulumi preview (new stack)", "previewEmpty"),
      p("pulumi preview (no changes)", "previewSame"),
      p(`pulumi up --skip-preview (settle ${st.settleMs} ms)`, "up"),
      p("pulumi destroy --skip-preview", "destroy"),
    );
  }
  return [header, rows];
}

/** The state table: bytes of each type's entries (smallest–largest) in both faces, then per declared resource. */
function stateTable(st) {
  const sb = st.stateBytes;
  const cell = (sizes, type) => {
    const t = sizes.types[type];
    if (!t) return "";
    return t.min === t.max ? `${t.max} B` : `${t.min}–${t.max} B`;
  };
  const known = new Set([...Object.keys(sb.managed.types), ...Object.keys(sb.plugin.types)]);
  const types = [
    ...TYPE_ORDER.filter((t) => known.has(t)),
    ...[...known].filter((t) => !TYPE_ORDER.includes(t)),
  ];
  const perDeclared = (sizes) => `${Math.round(sizes.resourceBytes / st.resources)} B`;
  return [
    ["bytes of a state entry (compact JSON; smallest–largest)", "dynamic face", "plugin face"],
    [
      ...types.map((t) => [t, cell(sb.managed, t), cell(sb.plugin, t)]),
      ["trivial resource", cell(sb.trivial, "Trivial"), cell(sb.trivialPlugin, "Trivial")],
      [
        `this package: resource entries / ${st.resources} declared resources`,
        `${sb.managed.resources}: ${perDeclared(sb.managed)}`,
        `${sb.plugin.resources}: ${perDeclared(sb.plugin)}`,
      ],
      [
        `trivial stack: resource entries / ${st.resources} declared resources`,
        `${sb.trivial.resources}: ${perDeclared(sb.trivial)}`,
        `${sb.trivialPlugin.resources}: ${perDeclared(sb.trivialPlugin)}`,
      ],
      [
        "this package: the engine's entries (stack, providers)",
        `${sb.managed.engineBytes} B`,
        `${sb.plugin.engineBytes} B`,
      ],
      ["this package: whole deployment", `${sb.managed.deploymentBytes} B`, `${sb.plugin.deploymentBytes} B`],
    ],
  ];
}

/** The stacks part's sections of the report, in `format` ("md" or "text") with `table`. */
function stacksSections(st, format, table) {
  const title = (md, text) => (format === "md" ? `\n### ${md}\n` : `\n${text}`);
  const parts = [];
  parts.push(
    title(
      "Engine overhead: 40-resource stack vs. trivial resources of the same face",
      "ENGINE OVERHEAD (40 resources)",
    ),
  );
  parts.push(table(...stacksTable(st)));
  if (st.ownRatios) {
    parts.push(
      title(
        "Where the dynamic face's overhead comes from (same round)",
        "WHERE THE DYNAMIC FACE'S OVERHEAD COMES FROM",
      ),
    );
    const own = st.ownRatios;
    const shape = st.shapeRatios;
    const entries = st.stateBytes?.mirror?.resources;
    parts.push(
      table(
        [
          "command (40 resources)",
          "what the program registers: mirror ÷ trivial",
          "the package's provider work: this package ÷ mirror",
        ],
        [
          ["pulumi preview (new stack)", mmm(shape.previewEmpty, fmtR), mmm(own.previewEmpty, fmtR)],
          ["pulumi preview (no changes)", mmm(shape.previewSame, fmtR), mmm(own.previewSame, fmtR)],
          [`pulumi up --skip-preview (settle ${st.settleMs} ms)`, mmm(shape.up, fmtR), mmm(own.up, fmtR)],
          ["pulumi destroy --skip-preview", mmm(shape.destroy, fmtR), mmm(own.destroy, fmtR)],
        ],
      ),
    );
    parts.push(
      (format === "md" ? "\n" : "") +
        "The mirror stack declares this package's classes exactly as the measured stack does" +
        (entries ? ` (${entries} resource entries, the settled children included)` : "") +
        ", on providers that do nothing (scripts/bench/programs/mirror).",
    );
  }
  if (st.faceRatios) {
    parts.push(title("Plugin face against the dynamic face (same round)", "PLUGIN FACE / DYNAMIC FACE"));
    const r = st.faceRatios;
    parts.push(
      table(
        ["command (40 resources)", "plugin face ÷ dynamic face"],
        [
          ["pulumi preview (new stack)", mmm(r.previewEmpty, fmtR)],
          ["pulumi preview (no changes)", mmm(r.previewSame, fmtR)],
          [`pulumi up --skip-preview (settle ${st.settleMs} ms)`, mmm(r.up, fmtR)],
          ["pulumi destroy --skip-preview", mmm(r.destroy, fmtR)],
        ],
      ),
    );
  }
  parts.push(title("Provider process and state", "PROVIDER PROCESS AND STATE"));
  const rows = [
    [
      "dynamic-provider peak RSS during up (sum of processes)",
      mmm(st.managed.peakSum, mib),
      mmm(st.trivial.peakSum, mib),
    ],
    ["dynamic-provider processes", fmtN(st.managed.processes.median), fmtN(st.trivial.processes.median)],
  ];
  if (st.plugin) {
    rows.push(
      [
        "plugin face: provider plugin peak RSS during up",
        mmm(st.plugin.peakSum, mib),
        mmm(st.trivialPlugin.peakSum, mib),
      ],
      [
        "plugin face: provider plugin processes",
        fmtN(st.plugin.processes.median),
        fmtN(st.trivialPlugin.processes.median),
      ],
    );
  }
  rows.push(
    ...Object.entries(st.providerBytes)
      .sort()
      .map(([type, n]) => [
        `\`__provider\` bytes: ${type.replace("pulumi-nodejs:dynamic/", "")}`,
        `${n} B`,
        "",
      ]),
    [
      "`__provider` bytes: trivial resource",
      "",
      `${Math.max(0, ...Object.values(st.trivialProviderBytes))} B`,
    ],
  );
  parts.push(table(["figure", "this package", "trivial"], rows));
  if (st.stateBytes) {
    parts.push(
      title(
        "State size per resource (`pulumi stack export`)",
        "STATE SIZE PER RESOURCE (pulumi stack export)",
      ),
    );
    parts.push(table(...stateTable(st)));
  }
  return parts;
}

module.exports = { stacksSummaryRows, stacksSections, stacksTable, stateTable };
