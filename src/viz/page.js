// credgraph's picture page: draws the laid-out graph on a canvas; pan (drag), zoom
// (wheel), hover for details, click a node to focus on it and its neighbours,
// filters and search. No network, no library.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("picture-data").textContent);
  var nodes = data.nodes, edges = data.edges, groups = data.groups;
  var COLOURS = ["#0072B2", "#E69F00", "#999999"];
  var canvas = document.getElementById("canvas");
  var context = canvas.getContext("2d");
  var tip = document.getElementById("tip");
  var status = document.getElementById("status");
  var view = { scale: 1, x: 0, y: 0 };
  var focus = -1, hover = -1, matches = null;
  var neighbours = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { neighbours[e[0]].push(i); neighbours[e[1]].push(i); });
  var controls = {
    minWeight: document.getElementById("min-weight"),
    independent: document.getElementById("independent"),
    agree: document.getElementById("show-agree"),
    contradict: document.getElementById("show-contradict"),
    reports: document.getElementById("show-reports"),
    group: document.getElementById("group"),
    question: document.getElementById("question"),
    from: document.getElementById("from"),
    to: document.getElementById("to"),
    search: document.getElementById("search"),
  };
  var weights = edges.map(function (e) { return e[3]; });

  // The question and date range the page's filters ask for (0: any).
  function narrowing() {
    var day = function (input) { return input && input.value ? parseInt(input.value.replace(/-/g, ""), 10) : 0; };
    return {
      question: controls.question && controls.question.value ? parseInt(controls.question.value, 10) : 0,
      from: day(controls.from),
      to: day(controls.to),
    };
  }
  function keyOk(k, n) {
    if (n.question && k[0] !== n.question) return false;
    if (n.from && (!k[1] || k[1] < n.from)) return false;
    if (n.to && (!k[1] || k[1] > n.to)) return false;
    return true;
  }
  function pairOk(p, n) {
    if (n.question && p[0] !== n.question) return false;
    if (n.from && (!p[1] || p[1] < n.from)) return false;
    if (n.to && (!p[2] || p[2] > n.to)) return false;
    return true;
  }
  var shownNodes = [], shownEdges = [];

  function edgeShown(e, i) {
    var kind = e[2];
    if (kind === 0 && !controls.agree.checked) return false;
    if (kind === 1 && !controls.contradict.checked) return false;
    if (kind === 2 && !(controls.reports && controls.reports.checked)) return false;
    if (kind !== 2 && weights[i] < (parseInt(controls.minWeight.value, 10) || 1)) return false;
    if (controls.independent.checked && (kind !== 0 || e[4])) return kind === 2;
    return true;
  }

  // Which nodes and edges the filters and the focus leave.
  function filter() {
    var group = controls.group.value;
    var n = narrowing();
    var narrowed = n.question || n.from || n.to;
    // An edge's weight: the statement pairs behind it that the question and dates keep.
    edges.forEach(function (e, i) {
      weights[i] = narrowed && e[5].length ? e[5].filter(function (p) { return pairOk(p, n); }).length : e[3];
    });
    var keep = nodes.map(function (node) {
      if (group !== "" && String(node.grp) !== group) return false;
      if (narrowed && node.q.length && !node.q.some(function (k) { return keyOk(k, n); })) return false;
      return true;
    });
    if (focus >= 0) {
      var near = {};
      near[focus] = true;
      neighbours[focus].forEach(function (i) {
        var e = edges[i];
        if (edgeShown(e, i)) { near[e[0]] = true; near[e[1]] = true; }
      });
      keep = keep.map(function (k, i) { return k && !!near[i]; });
    }
    shownEdges = [];
    edges.forEach(function (e, i) {
      if (keep[e[0]] && keep[e[1]] && edgeShown(e, i)) shownEdges.push(i);
    });
    shownNodes = [];
    keep.forEach(function (k, i) { if (k) shownNodes.push(i); });
    status.textContent = shownNodes.length + " of " + nodes.length + " nodes, " +
      shownEdges.length + " of " + edges.length + " edges" +
      (focus >= 0 ? " — around " + nodes[focus].l + " (click the background to see all)" : "");
    document.body.dataset.shownNodes = shownNodes.length;
    document.body.dataset.shownEdges = shownEdges.length;
    draw();
  }

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(box.width * ratio));
    canvas.height = Math.max(1, Math.round(box.height * ratio));
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  function fit() {
    var box = canvas.getBoundingClientRect();
    var scale = Math.min(box.width / data.width, box.height / data.height) * 0.95;
    view.scale = Math.min(scale, 2);
    view.x = (box.width - data.width * view.scale) / 2;
    view.y = (box.height - data.height * view.scale) / 2;
  }

  function toScreen(n) { return [n.x * view.scale + view.x, n.y * view.scale + view.y]; }

  function marker(kind, x, y, angle, size) {
    context.save();
    context.translate(x, y);
    context.rotate(angle);
    context.beginPath();
    if (kind === 0) { context.arc(0, 0, size * 0.45, 0, 2 * Math.PI); context.fill(); }
    else if (kind === 1) { context.fillRect(-size * 0.15, -size * 0.6, size * 0.3, size * 1.2); }
    else { context.moveTo(0, 0); context.lineTo(-size, -size * 0.5); context.lineTo(-size, size * 0.5); context.fill(); }
    context.restore();
  }

  function draw() {
    var box = canvas.getBoundingClientRect();
    context.clearRect(0, 0, box.width, box.height);
    var s = view.scale;
    // Groups: a shaded circle around each group's shown members.
    var members = groups.map(function () { return []; });
    shownNodes.forEach(function (i) { if (nodes[i].grp !== null) members[nodes[i].grp].push(i); });
    members.forEach(function (list, g) {
      if (list.length < 2) return;
      var cx = 0, cy = 0;
      list.forEach(function (i) { cx += nodes[i].x; cy += nodes[i].y; });
      cx /= list.length; cy /= list.length;
      var r = 0;
      list.forEach(function (i) {
        var n = nodes[i];
        r = Math.max(r, Math.hypot(n.x - cx, n.y - cy) + n.r + 30);
      });
      context.beginPath();
      context.arc(cx * s + view.x, cy * s + view.y, r * s, 0, 2 * Math.PI);
      context.fillStyle = "rgba(0,0,0,0.04)";
      context.fill();
      context.strokeStyle = "#bbbbbb";
      context.setLineDash([2, 3]);
      context.stroke();
      context.setLineDash([]);
      if (r * s > 40) {
        context.fillStyle = "#777";
        context.font = "11px sans-serif";
        context.textAlign = "center";
        context.fillText(groups[g], cx * s + view.x, (cy - r) * s + view.y + 12);
      }
    });
    var detailed = shownEdges.length < 4000 || s > 1.5;
    shownEdges.forEach(function (i) {
      var e = edges[i], a = nodes[e[0]], b = nodes[e[1]];
      var p = toScreen(a), q = toScreen(b);
      var angle = Math.atan2(q[1] - p[1], q[0] - p[0]);
      var ax = p[0] + Math.cos(angle) * (a.r + 4) * s, ay = p[1] + Math.sin(angle) * (a.r + 4) * s;
      var bx = q[0] - Math.cos(angle) * (b.r + 4) * s, by = q[1] - Math.sin(angle) * (b.r + 4) * s;
      context.strokeStyle = COLOURS[e[2]];
      context.fillStyle = COLOURS[e[2]];
      context.globalAlpha = focus >= 0 || shownEdges.length < 500 ? 0.85 : 0.45;
      context.lineWidth = Math.max(0.5, (e[2] === 2 ? 1 : 1 + Math.log(Math.max(1, weights[i])) * 1.5) * Math.min(s, 1.5));
      context.setLineDash(e[4] ? [7 * Math.min(s, 1.5), 5 * Math.min(s, 1.5)] : []);
      context.beginPath();
      context.moveTo(ax, ay);
      context.lineTo(bx, by);
      context.stroke();
      if (detailed) {
        var size = Math.max(4, 7 * Math.min(s, 1.5));
        if (e[2] !== 2) marker(e[2], ax, ay, angle, size);
        marker(e[2], bx, by, angle, size);
      }
    });
    context.setLineDash([]);
    context.globalAlpha = 1;
    var labelAll = shownNodes.length <= 80;
    shownNodes.forEach(function (i) {
      var n = nodes[i], p = toScreen(n);
      context.beginPath();
      context.arc(p[0], p[1], Math.max(1.5, n.r * s), 0, 2 * Math.PI);
      context.fillStyle = n.c;
      context.fill();
      var marked = i === focus || i === hover || (matches && matches[i]);
      context.lineWidth = marked ? 3 : 1;
      context.strokeStyle = marked ? "#000" : "#333";
      context.stroke();
    });
    context.textAlign = "center";
    shownNodes.forEach(function (i) {
      var n = nodes[i], p = toScreen(n);
      if (!(labelAll || n.r * s > 14 || i === focus || i === hover || (matches && matches[i]))) return;
      context.font = "12px sans-serif";
      context.lineWidth = 3;
      context.strokeStyle = "white";
      context.fillStyle = "#222";
      var y = p[1] + n.r * s + 13;
      context.strokeText(n.sl, p[0], y);
      context.fillText(n.sl, p[0], y);
      if (n.sd) {
        context.font = "10px sans-serif";
        context.fillStyle = "#666";
        context.strokeText(n.sd, p[0], y + 12);
        context.fillText(n.sd, p[0], y + 12);
      }
    });
  }

  function nodeAt(x, y) {
    var best = -1, bestDistance = Infinity;
    shownNodes.forEach(function (i) {
      var p = toScreen(nodes[i]);
      var d = Math.hypot(p[0] - x, p[1] - y);
      if (d <= Math.max(6, nodes[i].r * view.scale) && d < bestDistance) { best = i; bestDistance = d; }
    });
    return best;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function showTip(i, x, y) {
    if (i < 0) { tip.hidden = true; return; }
    var n = nodes[i];
    var html = "<b>" + escapeHtml(n.l) + "</b>";
    if (n.d) html += "<br>" + escapeHtml(n.d);
    if (n.i) html += "<br><i>" + escapeHtml(n.i) + "</i>";
    if (n.cr !== null) html += "<br>credibility " + n.cr.toFixed(2) + (n.g ? ", grade " + escapeHtml(n.g) : "");
    if (n.k === "source") html += "<br>" + n.n + " statement" + (n.n === 1 ? "" : "s");
    if (n.lines.length) html += "<ul>" + n.lines.map(function (l) { return "<li>" + escapeHtml(l) + "</li>"; }).join("") + "</ul>";
    tip.innerHTML = html;
    tip.hidden = false;
    tip.style.left = Math.min(x + 14, window.innerWidth - 340) + "px";
    tip.style.top = (y + 14) + "px";
  }

  var drag = null;
  canvas.addEventListener("mousedown", function (event) {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("mouseup", function (event) {
    if (drag && !drag.moved) {
      var box = canvas.getBoundingClientRect();
      var i = nodeAt(event.clientX - box.left, event.clientY - box.top);
      if (event.target === canvas) { focus = i; filter(); }
    }
    drag = null;
  });
  canvas.addEventListener("mousemove", function (event) {
    var box = canvas.getBoundingClientRect();
    if (drag) {
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.x = drag.vx + dx; view.y = drag.vy + dy;
      draw();
      return;
    }
    var i = nodeAt(event.clientX - box.left, event.clientY - box.top);
    if (i !== hover) { hover = i; draw(); }
    showTip(i, event.clientX, event.clientY);
  });
  canvas.addEventListener("mouseleave", function () { hover = -1; tip.hidden = true; draw(); });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = canvas.getBoundingClientRect();
    var x = event.clientX - box.left, y = event.clientY - box.top;
    var factor = Math.exp(-event.deltaY * 0.0015);
    view.x = x - (x - view.x) * factor;
    view.y = y - (y - view.y) * factor;
    view.scale *= factor;
    draw();
  }, { passive: false });
  ["minWeight", "independent", "agree", "contradict", "reports", "group", "question", "from", "to"].forEach(function (name) {
    if (controls[name]) controls[name].addEventListener("input", filter);
  });
  controls.search.addEventListener("input", function () {
    var text = controls.search.value.trim().toLowerCase();
    matches = null;
    if (text) {
      matches = {};
      nodes.forEach(function (n, i) {
        if ((n.l + " " + n.d).toLowerCase().indexOf(text) >= 0) matches[i] = true;
      });
    }
    document.body.dataset.matches = matches ? Object.keys(matches).length : 0;
    draw();
  });
  controls.search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !matches) return;
    var first = Object.keys(matches)[0];
    if (first === undefined) return;
    var n = nodes[+first], box = canvas.getBoundingClientRect();
    view.scale = Math.max(view.scale, 1.5);
    view.x = box.width / 2 - n.x * view.scale;
    view.y = box.height / 2 - n.y * view.scale;
    draw();
  });
  document.getElementById("fit").addEventListener("click", function () { fit(); draw(); });
  window.addEventListener("resize", function () { resize(); draw(); });

  // Filters can be set in the address: #question=LABEL&from=YYYY-MM-DD&to=...&min=N
  // &independent=1&focus=NAME&search=TEXT, so a view can be shared as a link.
  function fromAddress() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) params[decodeURIComponent(part.slice(0, at))] = decodeURIComponent(part.slice(at + 1).replace(/\+/g, " "));
    });
    if (params.question && controls.question) {
      var number = data.questions.indexOf(params.question) + 1;
      controls.question.value = number > 0 ? String(number) : "";
    }
    if (params.from && controls.from) controls.from.value = params.from;
    if (params.to && controls.to) controls.to.value = params.to;
    if (params.min) controls.minWeight.value = params.min;
    if (params.independent) controls.independent.checked = params.independent === "1";
    if (params.focus) {
      focus = -1;
      nodes.forEach(function (n, i) { if (focus < 0 && n.l === params.focus) focus = i; });
    }
    if (params.search) {
      controls.search.value = params.search;
      controls.search.dispatchEvent(new Event("input"));
    }
  }

  resize();
  fit();
  fromAddress();
  filter();
  document.body.dataset.nodes = nodes.length;
  document.body.dataset.edges = edges.length;
  document.body.dataset.requests = performance.getEntriesByType("resource").length;
  document.body.dataset.ready = "1";
})();
