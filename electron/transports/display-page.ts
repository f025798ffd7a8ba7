/**
 * The waiting-room page, served as three small files so its policy can forbid every inline script
 * and style. Plain DOM and EventSource: it must run on whatever browser a clinic's TV has. Text is
 * set with textContent only, so nothing in a name can become markup.
 */
export const DISPLAY_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Now calling</title>
<link rel="stylesheet" href="/display.css">
<script src="/display.js" defer></script>
</head>
<body>
<header><h1 id="clinic">Now calling</h1><div id="clock" aria-label="Time"></div></header>
<main id="board" aria-live="polite"></main>
<p id="status" role="status" hidden></p>
</body>
</html>
`;

export const DISPLAY_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; background: #0b1d33; color: #fff; min-height: 100vh; }
header { display: flex; justify-content: space-between; align-items: baseline; padding: 2vh 3vw; background: #12314f; }
h1 { margin: 0; font-size: 4vh; font-weight: 600; }
#clock { font-size: 4vh; font-variant-numeric: tabular-nums; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(32vw, 1fr)); gap: 2vh 2vw; padding: 3vh 3vw; }
section { background: #163d63; border-radius: 2vh; padding: 2vh 2vw; }
h2 { margin: 0 0 1vh; font-size: 3.6vh; font-weight: 500; color: #cfe3ff; }
.now { display: flex; align-items: center; gap: 2vw; }
.label { font-size: 2.6vh; text-transform: uppercase; letter-spacing: .1em; color: #9cc3ea; }
.token { font-size: 14vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
.now .token { color: #ffd84d; }
.now.fresh .token { animation: flash 1s ease-in-out 3; }
@keyframes flash { 50% { color: #fff; } }
.initials { font-size: 4vh; color: #e8f1ff; }
.next { display: flex; flex-wrap: wrap; gap: 1.5vw; margin-top: 2vh; align-items: center; }
.next .token { font-size: 6vh; font-weight: 700; padding: .5vh 1.2vw; border-radius: 1vh; background: #0b2a47; }
.next .token.urgent { background: #b3261e; }
.urgent-note { font-size: 2.2vh; color: #ffb4ab; }
.empty { font-size: 3vh; color: #9cc3ea; }
#status { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; padding: 1.5vh; background: #b3261e; font-size: 3vh; text-align: center; }
`;

export const DISPLAY_JS = `'use strict';
(function () {
  var key = new URLSearchParams(location.search).get('key') || '';
  var board = document.getElementById('board');
  var status = document.getElementById('status');
  var clinic = document.getElementById('clinic');
  var clock = document.getElementById('clock');
  var lastCalling = {};
  var timeZone;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function say(text) { status.textContent = text; status.hidden = !text; }
  function tick() {
    var options = { hour: '2-digit', minute: '2-digit' };
    if (timeZone) options.timeZone = timeZone;
    try { clock.textContent = new Date().toLocaleTimeString([], options); } catch (e) { clock.textContent = ''; }
  }
  function render(data) {
    clinic.textContent = data.clinic ? data.clinic + ' · Now calling' : 'Now calling';
    if (timeZone !== data.timeZone) { timeZone = data.timeZone; tick(); }
    board.replaceChildren();
    if (data.doctors.length === 0) board.appendChild(el('p', 'empty', 'No tokens waiting.'));
    data.doctors.forEach(function (d) {
      var s = el('section');
      s.setAttribute('aria-label', d.doctor);
      s.appendChild(el('h2', '', d.doctor));
      var now = el('div', 'now');
      var calling = d.calling ? d.calling.token : '';
      if (calling && lastCalling[d.doctor] !== undefined && lastCalling[d.doctor] !== calling) now.className = 'now fresh';
      lastCalling[d.doctor] = calling;
      now.appendChild(el('span', 'label', 'Now'));
      if (d.calling) {
        var t = el('span', 'token', d.calling.token);
        t.setAttribute('data-testid', 'now-calling');
        now.appendChild(t);
        now.appendChild(el('span', 'initials', d.calling.initials));
      } else now.appendChild(el('span', 'empty', '—'));
      s.appendChild(now);
      var next = el('div', 'next');
      next.appendChild(el('span', 'label', d.next.length ? 'Next' : 'Nobody waiting'));
      d.next.forEach(function (n) {
        var t = el('span', n.urgent ? 'token urgent' : 'token', n.token);
        t.setAttribute('data-testid', 'next-token');
        if (n.urgent) t.setAttribute('title', 'Urgent');
        next.appendChild(t);
      });
      if (d.waiting > d.next.length) next.appendChild(el('span', 'label', '+' + (d.waiting - d.next.length) + ' more'));
      s.appendChild(next);
      board.appendChild(s);
    });
  }
  function connect() {
    var source = new EventSource('/display/stream?key=' + encodeURIComponent(key));
    source.addEventListener('board', function (e) { say(''); render(JSON.parse(e.data)); });
    source.addEventListener('ended', function () {
      source.close();
      say('This display has been turned off or its link changed. Ask the administrator for the new link.');
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { say('Cannot reach the clinic computer. Trying again…'); setTimeout(connect, 5000); }
      else say('Reconnecting…');
    };
  }
  tick();
  setInterval(tick, 10000);
  connect();
})();
`;
