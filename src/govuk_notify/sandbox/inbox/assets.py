"""The inbox's stylesheet and its one small script, served by the sandbox itself (no CDN).

The script keeps lists up to date without a reload: every second it asks the JSON endpoint named
by a ``tbody``'s ``data-live-src`` for the list as it is now, and when the list's version has
changed it replaces the rows (rendered by the server) and says so in a polite live region.
"""

from __future__ import annotations

from typing import Final

__all__ = ["INBOX_CSS", "INBOX_JS"]

INBOX_CSS: Final = """
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.4;
  color: #0b0c0c; background: #fff; }
a { color: #1d70b8; }
a:visited { color: #4c2c92; }
a:focus, button:focus, input:focus, select:focus, summary:focus {
  outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 4px #0b0c0c; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: inline-block; padding: 8px; background: #ffdd00; }
header.top { background: #0b0c0c; color: #fff; padding: 10px 20px; }
header.top a { color: #fff; }
header.top .brand { font-weight: bold; font-size: 20px; margin-right: 24px; }
header.top nav { display: inline-block; }
header.top nav ul { display: inline; list-style: none; margin: 0; padding: 0; }
header.top nav li { display: inline-block; margin-right: 16px; }
header.top nav a[aria-current="page"] { text-decoration: underline 3px; }
main { padding: 20px; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 32px; margin: 0 0 20px; }
h2 { font-size: 24px; margin: 30px 0 12px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 20px; }
caption { text-align: left; font-weight: bold; padding: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px 8px 0;
  border-bottom: 1px solid #b1b4b6; }
td.wrap, pre { white-space: pre-wrap; word-break: break-word; }
pre { background: #f3f2f1; padding: 10px; margin: 0; font-size: 14px; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-end;
  margin-bottom: 20px; }
.field { display: flex; flex-direction: column; }
label { font-weight: bold; margin-bottom: 4px; }
input, select, textarea { font: inherit; padding: 5px; border: 2px solid #0b0c0c;
  min-width: 12em; }
textarea { min-height: 5em; width: 100%; max-width: 40em; }
button { font: inherit; padding: 8px 12px; border: 0; background: #00703c; color: #fff;
  cursor: pointer; box-shadow: 0 2px #002d18; }
button.secondary { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px #929191; }
button.warning { background: #d4351c; box-shadow: 0 2px #55150b; }
.tag { display: inline-block; padding: 2px 8px; background: #d2e2f1; color: #0b0c0c;
  font-weight: bold; font-size: 14px; }
.tag.good { background: #cce2d8; color: #005a30; }
.tag.bad { background: #f6d7d2; color: #942514; }
.hint { color: #505a5f; }
.live { min-height: 1.4em; color: #505a5f; }
.phone { width: 320px; border: 10px solid #0b0c0c; border-radius: 30px; padding: 16px;
  background: #f3f2f1; }
.phone .sender { text-align: center; font-weight: bold; margin-bottom: 12px; }
.bubble { background: #e5e5ea; color: #0b0c0c; border-radius: 18px; padding: 10px 14px;
  white-space: pre-wrap; word-break: break-word; }
.email { border: 1px solid #b1b4b6; max-width: 680px; }
.email dl { margin: 0; padding: 12px; background: #f3f2f1; }
.email dt { font-weight: bold; float: left; clear: left; width: 6em; }
.email dd { margin: 0 0 4px 6em; }
.email iframe { width: 100%; min-height: 320px; border: 0; }
.letter { display: flex; flex-wrap: wrap; gap: 20px; }
.letter .address { border: 1px solid #b1b4b6; padding: 12px; min-width: 16em;
  white-space: pre-line; }
.letter > div { flex: 1 1 22em; }
figure.page { margin: 0 0 16px; }
figure.page figcaption { font-weight: bold; margin-bottom: 4px; }
svg.page { width: 100%; max-width: 595px; height: auto; border: 1px solid #b1b4b6;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2); }
.letter iframe { width: 100%; max-width: 640px; height: 820px; border: 1px solid #b1b4b6; }
.inline { display: inline; }
.actions { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0 20px; }
"""

INBOX_JS: Final = """
(function () {
  "use strict";
  var announce = document.getElementById("live-status");
  document.querySelectorAll("tbody[data-live-src]").forEach(function (rows) {
    var src = rows.getAttribute("data-live-src");
    function poll() {
      fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          if (data.version === rows.getAttribute("data-live-version")) { return; }
          var before = Number(rows.getAttribute("data-live-count") || "0");
          rows.innerHTML = data.rows_html;
          rows.setAttribute("data-live-version", data.version);
          rows.setAttribute("data-live-count", String(data.count));
          if (announce) {
            var added = data.count - before;
            announce.textContent = added > 0
              ? added + (added === 1 ? " new item" : " new items") + " arrived"
              : "The list was updated";
          }
        })
        .catch(function () { /* the sandbox may be restarting: try again */ })
        .then(function () { window.setTimeout(poll, 1000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
"""
