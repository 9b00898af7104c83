// The query page: named queries as examples, a SPARQL editor, the answer as a
// table, downloads in each format, and the position of a syntax error.
"use strict";
(function () {
  const named = JSON.parse(document.getElementById("named-queries").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  const select = document.getElementById("named");
  const paramsBox = document.getElementById("params");
  const description = document.getElementById("description");
  const editor = document.getElementById("editor");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const answer = document.getElementById("answer");
  const downloads = document.getElementById("downloads");

  for (const query of named) {
    const option = document.createElement("option");
    option.value = query.name;
    option.textContent = query.name;
    select.appendChild(option);
  }

  function chosen() {
    return named.find((q) => q.name === select.value);
  }

  function paramValues() {
    const values = {};
    for (const input of paramsBox.querySelectorAll("input")) {
      if (input.value.trim() !== "") values[input.name] = input.value.trim();
    }
    return values;
  }

  function showQuery(values) {
    const query = chosen();
    paramsBox.textContent = "";
    description.textContent = query ? query.description : "";
    if (!query) return;
    for (const param of query.params) {
      const label = document.createElement("label");
      label.textContent = param.name + (param.optional ? " (optional) " : " ");
      label.title = param.description;
      const input = document.createElement("input");
      input.name = param.name;
      input.placeholder = param.kind;
      input.value = (values && values[param.name]) || "";
      input.addEventListener("change", () => prepare());
      label.appendChild(input);
      paramsBox.appendChild(label);
    }
    editor.value = query.text;
  }

  // The named query's text with its parameters bound by the server (names
  // resolved to IRIs). Resolves to false when the server refused.
  async function prepare() {
    const query = chosen();
    if (!query) return true;
    const values = paramValues();
    const missing = query.params.filter((p) => !p.optional && !values[p.name]);
    if (missing.length > 0) {
      editor.value = query.text;
      return true;
    }
    const address = new URLSearchParams({ name: query.name, ...values });
    const response = await fetch("/queries/prepare?" + address.toString());
    const text = await response.text();
    if (!response.ok) {
      fail(text);
      return false;
    }
    hideError();
    editor.value = text;
    return true;
  }

  function hideError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
  }

  function fail(message) {
    errorBox.textContent = message.trim();
    errorBox.hidden = false;
    status.textContent = "";
    status.className = "";
    answer.textContent = "";
    downloads.textContent = "";
    const position = /line (\d+), column (\d+)/.exec(message);
    if (position) selectPosition(Number(position[1]), Number(position[2]));
  }

  // Puts the cursor at a line and column of the editor (counted from 1).
  function selectPosition(line, column) {
    const lines = editor.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, column - 1);
    editor.focus();
    editor.setSelectionRange(offset, Math.min(offset + 1, editor.value.length));
  }

  function compact(iri) {
    for (const [prefix, namespace] of Object.entries(prefixes)) {
      if (iri.startsWith(namespace) && /^[\w.-]*$/.test(iri.slice(namespace.length))) {
        return prefix + ":" + iri.slice(namespace.length);
      }
    }
    return "<" + iri + ">";
  }

  function cellText(term) {
    if (!term) return "";
    if (term.type === "uri") return compact(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  const NUMERIC = /#(integer|decimal|double|float|int|long|nonNegativeInteger)$/;

  function showTable(data) {
    answer.textContent = "";
    if (typeof data.boolean === "boolean") {
      const p = document.createElement("p");
      p.className = "boolean";
      p.textContent = data.boolean ? "yes (true)" : "no (false)";
      answer.appendChild(p);
      return 1;
    }
    const variables = data.head.vars;
    const table = document.createElement("table");
    table.id = "results";
    const head = table.createTHead().insertRow();
    for (const variable of variables) {
      const th = document.createElement("th");
      th.textContent = variable;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      for (const variable of variables) {
        const cell = row.insertCell();
        const term = binding[variable];
        cell.textContent = cellText(term);
        if (term && term.datatype && NUMERIC.test(term.datatype)) cell.className = "number";
      }
    }
    answer.appendChild(table);
    return data.results.bindings.length;
  }

  function showDownloads(text, tabular) {
    downloads.textContent = "Download: ";
    const formats = tabular
      ? [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]]
      : [["ttl", "Turtle"], ["nt", "N-Triples"], ["rdf", "RDF/XML"], ["jsonld", "JSON-LD"]];
    for (const [format, label] of formats) {
      const link = document.createElement("a");
      link.href = "/query?" + new URLSearchParams({ query: text, format: format }).toString();
      link.download = "answer." + format;
      link.textContent = label;
      downloads.appendChild(link);
    }
  }

  async function run() {
    hideError();
    status.className = "";
    status.textContent = "running…";
    const text = editor.value;
    const started = performance.now();
    let response;
    try {
      response = await fetch("/query", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: text }).toString(),
      });
    } catch (error) {
      fail("the server did not answer: " + error);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      fail(response.status + " " + response.statusText + "\n" + (await response.text()));
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    const cut = response.headers.get("X-SPARQL-MaxRows");
    let count;
    if (type.includes("json")) {
      count = showTable(await response.json());
      showDownloads(text, true);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      answer.textContent = "";
      answer.appendChild(pre);
      count = pre.textContent.split("\n").filter((l) => l.trim().endsWith(".")).length;
      showDownloads(text, false);
    }
    status.textContent = count + (count === 1 ? " row" : " rows") + " in " + seconds + " s";
    if (cut) {
      status.textContent += ": cut at the server's limit of " + cut + " rows; add LIMIT or narrow the query";
      status.className = "cut";
    }
  }

  select.addEventListener("change", () => {
    showQuery();
    prepare();
  });
  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });

  // #name=QUERY&PARAM=VALUE&run opens a named query, and runs it with `run`.
  async function fromAddress() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const name = hash.get("name");
    if (name && named.some((q) => q.name === name)) {
      select.value = name;
      const values = {};
      for (const [key, value] of hash) if (key !== "name" && key !== "run") values[key] = value;
      showQuery(values);
      if (!(await prepare())) return;
    } else if (hash.get("query")) {
      editor.value = hash.get("query");
    }
    if (hash.has("run")) await run();
  }
  fromAddress();
})();
