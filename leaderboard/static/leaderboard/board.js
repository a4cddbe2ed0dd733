/* Live leaderboard: redraws the board from websocket frames without a reload, marks rank
   changes, and reconnects with backoff (each new connection starts with a fresh snapshot, so a
   reconnect is also a resync). No dependencies.

   Every frame is complete for this page: the top N people and teams (shared by all viewers),
   the viewer's own row ("me"), "near me" rows and own team ("my_team"). Frames carry the
   board's version: an update older than what the page shows is dropped; a snapshot always
   applies. A gap in versions loses nothing (the next frame is whole), so it needs no resync. */
(function () {
  "use strict";
  var board = document.querySelector("[data-lb-board]");
  if (!board || !("WebSocket" in window)) { return; }
  var kind = board.getAttribute("data-lb-kind");
  var near = board.getAttribute("data-lb-near") === "1";
  var path = board.getAttribute("data-lb-ws");
  // A page showing something other than the live top (a later page, a search) has no socket.
  if (!path) { return; }
  // The rows the page shows of the top list (0: every row the server sends).
  var limit = parseInt(board.getAttribute("data-lb-limit") || "0", 10) || 0;
  var version = -1;
  var rowsEl = board.querySelector("[data-lb-rows]");
  var statusEl = board.querySelector("[data-lb-status]");
  var meEl = board.querySelector("[data-lb-me]");
  var attempt = 0;
  var updates = 0;
  var MAX_DELAY = 5000;
  // Close codes the server uses when reconnecting cannot help.
  var FINAL = { 4001: "You signed out: live updates stopped.", 4401: "Sign in to see live updates.",
    4403: "Live updates are not available from this page.", 4404: "This board has no live updates." };

  function ranksNow() {
    var ranks = {};
    rowsEl.querySelectorAll("tr[data-key]").forEach(function (tr) {
      var cell = tr.querySelector("[data-rank]");
      if (cell) { ranks[tr.getAttribute("data-key")] = parseInt(cell.textContent, 10); }
    });
    return ranks;
  }

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) { td.className = className; }
    return td;
  }

  function nameCell(row) {
    var td = document.createElement("td");
    if (row.url) {
      var a = document.createElement("a");
      a.href = row.url;
      a.textContent = row.name;
      td.appendChild(a);
    } else {
      td.textContent = row.name;
    }
    if (row.me) { tag(td, "you", "tag"); }
    return td;
  }

  function markChange(tr, before, rank) {
    if (before === undefined) { tr.classList.add("lb-row--new"); return; }
    if (before === rank) { return; }
    var up = rank < before;
    tr.classList.add(up ? "lb-row--up" : "lb-row--down");
    var note = document.createElement("span");
    note.className = "lb-move";
    note.textContent = up ? " ▲" + (before - rank) : " ▼" + (rank - before);
    note.setAttribute("aria-label", (up ? "up " : "down ") + Math.abs(before - rank));
    tr.querySelector("[data-rank]").appendChild(note);
  }

  function tag(td, text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    td.appendChild(document.createTextNode(" "));
    td.appendChild(span);
  }

  // The rows to draw, each marked "me" if it is the viewer's (or their team's), and the
  // viewer's own row appended when it is not among them.
  function rowsOf(data) {
    var own = kind === "teams" ? data.my_team : data.me;
    var rows;
    if (kind === "teams") { rows = data.teams; }
    else if (near && data.near) { rows = data.near; own = null; }
    else { rows = limit ? data.top.slice(0, limit) : data.top; }
    var found = false;
    rows = rows.map(function (row) {
      var copy = Object.assign({}, row);
      if (own && row.key === own.key) {
        found = true;
        copy.me = true;
        // The shared top shows colleagues' names; the viewer sees their own even if hidden.
        if (kind !== "teams") { copy.name = own.name; copy.url = own.url; }
      }
      return copy;
    });
    if (own && !found && rows.length) {
      rows.push(null);  // a gap: the viewer's place is further down
      rows.push(Object.assign({}, own, { me: true }));
    }
    return rows;
  }

  function gapRow() {
    var tr = document.createElement("tr");
    tr.className = "lb-gap";
    var td = cell("…", "muted");
    td.colSpan = kind === "teams" ? 5 : 3;
    tr.appendChild(td);
    return tr;
  }

  function redraw(data) {
    var before = ranksNow();
    var rows = rowsOf(data);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      if (row === null) { fragment.appendChild(gapRow()); return; }
      var tr = document.createElement("tr");
      tr.setAttribute("data-key", row.key);
      var rankCell = cell(String(row.rank));
      rankCell.setAttribute("data-rank", "");
      tr.appendChild(rankCell);
      if (kind === "teams") {
        var teamCell = cell(row.name);
        if (row.me) { tr.className = "lb-row--me"; tag(teamCell, "your team", "tag"); }
        tr.appendChild(teamCell);
        tr.appendChild(cell(String(row.points), "lb-num"));
        tr.appendChild(cell(String(row.members), "lb-num"));
        tr.appendChild(cell(String(row.average), "lb-num"));
      } else {
        if (row.me) { tr.className = "lb-row--me"; }
        var nameTd = nameCell(row);
        if (row.hidden) { tag(nameTd, "hidden from colleagues", "tag tag--warning"); }
        tr.appendChild(nameTd);
        tr.appendChild(cell(String(row.points), "lb-num"));
      }
      markChange(tr, before[row.key], row.rank);
      fragment.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      var td = cell("No points on this board yet.", "empty");
      td.colSpan = kind === "teams" ? 5 : 3;
      empty.appendChild(td);
      fragment.appendChild(empty);
    }
    rowsEl.replaceChildren(fragment);
  }

  function showMe(me) {
    if (!meEl) { return; }
    meEl.replaceChildren();
    if (!me) { meEl.textContent = "You have no points on this board yet."; return; }
    var rank = document.createElement("strong");
    rank.textContent = "#" + me.rank;
    var points = document.createElement("strong");
    points.textContent = String(me.points);
    meEl.append("You are ", rank, " with ", points, " points.");
  }

  function onBoard(data) {
    // An update built before what the page shows (e.g. before this socket's snapshot).
    if (!data.snapshot && data.version < version) { return; }
    version = data.version;
    board.setAttribute("data-lb-version", String(version));
    // A "near me" socket gets the viewer's neighbours; without a place on the board yet
    // (no near rows) the page shows the top list, as the server drew it.
    redraw(data);
    showMe(data.me);
    updates += 1;
    board.setAttribute("data-lb-updates", String(updates));
    var at = new Date(data.generated_at);
    statusEl.textContent = "Live · updated " + at.toLocaleTimeString();
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path + (near ? "?view=near" : ""));
    socket.addEventListener("open", function () {
      statusEl.textContent = "Live";
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      // The backoff resets on a snapshot, not on "open": a socket the server accepts and then
      // drops (its Redis gone) keeps backing off instead of reconnecting in a tight loop.
      if (data && data.type === "board") { attempt = 0; onBoard(data); }
    });
    socket.addEventListener("close", function (event) {
      if (FINAL[event.code]) { statusEl.textContent = FINAL[event.code]; return; }
      // Exponential backoff with jitter (0.5 s, 1 s, 2 s, then every 4-5 s), so a restarted
      // server or Redis is not stampeded, and a board resyncs within a few seconds of it
      // coming back: every new connection starts with a fresh snapshot.
      var step = Math.min(MAX_DELAY, 500 * Math.pow(2, attempt));
      var delay = step * 0.8 + Math.floor(Math.random() * step * 0.2);
      attempt += 1;
      // Consecutive failed connections so far (for tests and for anyone inspecting the page).
      board.setAttribute("data-lb-reconnects", String(attempt));
      statusEl.textContent = "Connection lost; reconnecting…";
      window.setTimeout(connect, delay);
    });
  }

  connect();
}());
