// desk.js version 1.2.0, written for the newsletter's editor's desk.
// Two parts, each doing nothing on a page without what it serves.
//
// 1. The live preview of the article editor: while an editor types, the
// fields are posted (debounced) to the entry's preview endpoint, which
// answers the entry as publishing renders it (an HTML fragment of
// publisher.ArticleHTML, with raw HTML omitted and only http(s) links);
// it replaces the preview. Without JavaScript the editor's 미리보기 button
// does the same with a page load. And leaving the editor with a field
// changed and not saved asks first (beforeunload); saving does not.
// 저장 is posted by the script with the header X-Desk-Parts: entry; the
// server answers the editor's parts (all but the source article), which
// replace theirs in place, the confirmation beside the button. Listeners
// sit on the document, so they serve the form that replaced the old one.
(function () {
"use strict";

// postParts posts body to url as the page's script, asking for the parts
// named (X-Desk-Parts). It resolves to the parts' HTML; or, when the
// server answered something else (signed out, its own error page), it
// follows that answer as a page load would, calls left() first, and
// resolves to null.
function postParts(url, body, parts, left) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Desk-Parts": parts },
    body: body.toString()
  }).then(function (res) {
    return res.text().then(function (html) {
      if (res.headers.get("X-Desk-Parts") === parts) {
        return html;
      }
      if (left) {
        left();
      }
      if (res.redirected) {
        location.assign(res.url);
      } else {
        document.open();
        document.write(html);
        document.close();
      }
      return null;
    });
  });
}

// swap replaces each element of html that has an id by it.
function swap(html) {
  var t = document.createElement("template");
  t.innerHTML = html;
  var parts = t.content.children;
  for (var i = parts.length - 1; i >= 0; i--) {
    var old = parts[i].id && document.getElementById(parts[i].id);
    if (old) {
      old.replaceWith(parts[i]);
    }
  }
}

(function () {
  "use strict";
  function form() {
    return document.getElementById("entry-form");
  }
  function start() {
    if (!form() || !window.fetch || !window.URLSearchParams || !("content" in document.createElement("template"))) {
      return;
    }
    // changed reports whether a field differs from the text it was loaded
    // with, or the page shows text typed and not saved (a refused edit,
    // a preview without JavaScript); only then does leaving ask first.
    function changed() {
      var f = form();
      if (!f) {
        return false;
      }
      if (f.hasAttribute("data-unsaved")) {
        return true;
      }
      var fields = f.querySelectorAll("input[type=text], textarea");
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].value !== fields[i].defaultValue) {
          return true;
        }
      }
      return false;
    }
    var saving = false;
    var posting = false;
    document.addEventListener("submit", function (e) {
      if (e.target !== form()) {
        return;
      }
      if (!e.submitter || e.submitter.value !== "save") {
        saving = true; // the 미리보기 button: a page load
        return;
      }
      e.preventDefault();
      if (posting) {
        return;
      }
      posting = true;
      var body = new URLSearchParams(new FormData(e.target));
      body.append("action", "save");
      postParts(e.target.getAttribute("action"), body, "entry", function () { saving = true; }).then(function (html) {
        if (html !== null) {
          swap(html);
          var said = form().querySelector("[data-flash]") || document.querySelector("#entry-head [role=alert]");
          if (said) {
            said.setAttribute("tabindex", "-1");
            said.focus({ preventScroll: true });
            said.scrollIntoView({ block: "nearest" });
          }
        }
      }).catch(function () {
        var state = document.getElementById("preview-state");
        if (state) {
          state.textContent = "서버에 닿지 못해 저장하지 않았습니다. 다시 저장하세요.";
        }
      }).then(function () {
        posting = false;
      });
    });
    window.addEventListener("pageshow", function () {
      saving = false; // back from the next page (bfcache)
    });
    window.addEventListener("beforeunload", function (e) {
      if (saving || !changed()) {
        return;
      }
      e.preventDefault();
      e.returnValue = ""; // older browsers show the dialog only with it
    });
    var timer = null;
    var seq = 0;
    function refresh() {
      var mine = ++seq;
      var f = form();
      var body = new URLSearchParams(new FormData(f));
      body.delete("action");
      fetch(f.getAttribute("data-preview"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      }).then(function (res) {
        if (!res.ok || res.redirected) {
          throw new Error(String(res.status));
        }
        return res.text();
      }).then(function (html) {
        if (mine !== seq) {
          return; // an older answer arriving late
        }
        document.getElementById("preview").innerHTML = html;
        document.getElementById("preview-state").textContent = "입력한 그대로 보여 줍니다 (아직 저장 안 됨).";
      }).catch(function () {
        if (mine === seq) {
          document.getElementById("preview-state").textContent = "미리보기를 새로 고치지 못했습니다. 미리보기 버튼을 누르세요.";
        }
      });
    }
    document.addEventListener("input", function (e) {
      if (!form() || !form().contains(e.target)) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// 2. The landing page in place. Its forms (exclude, move, regenerate, the
// opening paragraph, the bulk actions) are posted by this script with the
// header X-Desk-Parts; the server answers the page's parts (the plan, the
// preview, and the card, the list or the opening paragraph that changed),
// each replacing the element of the same id, the confirmation beside what
// it is about, and said to screen
// readers (#live). Cards are reordered by dragging one onto another, or
// with Alt+ArrowUp/Down on a focused card, through the same move form the
// buttons post. Without JavaScript every form posts and the page reloads.
// And the markdown of the issue is copied to the clipboard, or shown
// selected for copying by hand where the clipboard is refused.
(function () {
  "use strict";
  var busy = false;
  function live(text) {
    var l = document.getElementById("live");
    if (l) {
      l.textContent = "";
      setTimeout(function () { l.textContent = text; }, 50);
    }
  }
  // post sends body to url as the page's script; after swapping the
  // answer in, it focuses the card of id (or the flash by the list) and
  // says the confirmation.
  function post(url, body, id) {
    if (busy) {
      return;
    }
    busy = true;
    document.documentElement.setAttribute("aria-busy", "true");
    postParts(url, body, "draft").then(function (html) {
      if (html !== null) {
        // The confirmations of earlier actions go: only this one's stays.
        document.querySelectorAll("#main [data-flash]").forEach(function (f) { f.remove(); });
        swap(html);
        var card = id && document.getElementById("entry-" + id);
        var flash = card ? card.querySelector("[data-flash]") : document.querySelector("#entries [data-flash], #intro [data-flash]");
        var texts = [];
        document.querySelectorAll("[data-flash]").forEach(function (f) { texts.push(f.textContent); });
        live(texts.join(" "));
        if (card) {
          card.focus({ preventScroll: true });
        } else if (flash) {
          flash.setAttribute("tabindex", "-1");
          flash.focus({ preventScroll: true });
          flash.scrollIntoView({ block: "nearest" });
        }
      }
    }).catch(function () {
      live("서버에 닿지 못했습니다. 다시 시도하세요.");
    }).then(function () {
      busy = false;
      document.documentElement.removeAttribute("aria-busy");
    });
  }
  function cardOf(el) {
    return el && el.closest ? el.closest("li.entry") : null;
  }
  function move(card, fields) {
    var body = new URLSearchParams(fields);
    post("/desk/entries/" + card.getAttribute("data-id") + "/move", body, card.getAttribute("data-id"));
  }
  function start() {
    var main = document.getElementById("main");
    if (!main || !document.getElementById("entry-list") || !window.fetch || !window.URLSearchParams ||
        !("content" in document.createElement("template"))) {
      return;
    }
    main.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form.closest("[data-live]")) {
        return;
      }
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      if (e.submitter && e.submitter.name) {
        body.append(e.submitter.name, e.submitter.value);
      }
      var card = cardOf(form);
      // getAttribute: a control named "action" hides the form's property.
      post(form.getAttribute("action"), body, card ? card.getAttribute("data-id") : "");
    });
    // Drag and drop: a card dropped on another takes its place.
    var dragged = null;
    function mark() {
      document.querySelectorAll("#entry-list > li.entry").forEach(function (li) {
        li.setAttribute("draggable", "true");
      });
    }
    mark();
    new MutationObserver(mark).observe(main, { childList: true, subtree: true });
    main.addEventListener("dragstart", function (e) {
      var card = cardOf(e.target);
      if (!card || e.target !== card) {
        return;
      }
      dragged = card;
      card.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
    });
    function clear() {
      document.querySelectorAll(".drop-before, .drop-after, .dragging").forEach(function (el) {
        el.classList.remove("drop-before", "drop-after", "dragging");
      });
    }
    main.addEventListener("dragover", function (e) {
      var card = cardOf(e.target);
      if (!dragged || !card || card === dragged) {
        return;
      }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      var up = Number(card.getAttribute("data-pos")) < Number(dragged.getAttribute("data-pos"));
      clear();
      dragged.classList.add("dragging");
      card.classList.add(up ? "drop-before" : "drop-after");
    });
    main.addEventListener("dragend", function () {
      clear();
      dragged = null;
    });
    main.addEventListener("drop", function (e) {
      var card = cardOf(e.target);
      if (!dragged || !card || card === dragged) {
        return;
      }
      e.preventDefault();
      var from = dragged;
      clear();
      dragged = null;
      move(from, { position: card.getAttribute("data-pos") });
    });
    // The keyboard: Alt+ArrowUp/Down moves the focused card (or the card
    // holding the focus) one place.
    main.addEventListener("keydown", function (e) {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) {
        return;
      }
      var card = cardOf(e.target);
      if (!card || !card.closest("#entry-list")) {
        return;
      }
      e.preventDefault();
      move(card, { dir: e.key === "ArrowUp" ? "up" : "down" });
    });
    // The markdown's copy button.
    main.addEventListener("click", function (e) {
      var btn = e.target.closest && e.target.closest("#md-copy");
      if (!btn) {
        return;
      }
      var state = document.getElementById("md-state");
      fetch(btn.getAttribute("data-src"), { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) {
          throw new Error(String(res.status));
        }
        return res.text();
      }).then(function (md) {
        var area = document.getElementById("md-text");
        area.value = md;
        function byHand() {
          document.getElementById("md-fallback").hidden = false;
          area.focus();
          area.select();
          state.textContent = "클립보드에 넣지 못했습니다. 아래 선택된 글을 복사하세요.";
        }
        if (!navigator.clipboard || !navigator.clipboard.writeText) {
          byHand();
          return;
        }
        return navigator.clipboard.writeText(md).then(function () {
          state.textContent = "마크다운을 클립보드에 복사했습니다.";
        }, byHand);
      }).catch(function () {
        state.textContent = "마크다운을 가져오지 못했습니다. 마크다운 받기를 쓰세요.";
      });
    });
    // What works only with the script: the copy button, the hint on
    // dragging and Alt+arrows.
    function showCopy() {
      ["md-copy", "keys-hint"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) {
          el.hidden = false;
        }
      });
    }
    showCopy();
    new MutationObserver(showCopy).observe(main, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
})();
