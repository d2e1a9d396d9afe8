// desk.js version 1.1.0, written for the newsletter's editor's desk.
// The live preview of the article editor: while an editor types, the
// fields are posted (debounced) to the entry's preview endpoint, which
// answers the entry as publishing renders it (an HTML fragment of
// publisher.ArticleHTML, with raw HTML omitted and only http(s) links);
// it replaces the preview. Without JavaScript the editor's 미리보기 button
// does the same with a page load. And leaving the editor with a field
// changed and not saved asks first (beforeunload); saving does not.
// Nothing else on the desk needs a script.
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("entry-form");
    var preview = document.getElementById("preview");
    var state = document.getElementById("preview-state");
    if (!form || !preview || !window.fetch || !window.URLSearchParams) {
      return;
    }
    // changed reports whether a field differs from the text it was loaded
    // with, or the page shows text typed and not saved (a refused edit,
    // a preview without JavaScript); only then does leaving ask first.
    function changed() {
      if (form.hasAttribute("data-unsaved")) {
        return true;
      }
      var fields = form.querySelectorAll("input[type=text], textarea");
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].value !== fields[i].defaultValue) {
          return true;
        }
      }
      return false;
    }
    var saving = false;
    form.addEventListener("submit", function () {
      saving = true;
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
    var url = form.getAttribute("data-preview");
    var timer = null;
    var seq = 0;
    function refresh() {
      var mine = ++seq;
      var body = new URLSearchParams(new FormData(form));
      body.delete("action");
      fetch(url, {
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
        preview.innerHTML = html;
        state.textContent = "입력한 그대로 보여 줍니다 (아직 저장 안 됨).";
      }).catch(function () {
        if (mine === seq) {
          state.textContent = "미리보기를 새로 고치지 못했습니다. 미리보기 버튼을 누르세요.";
        }
      });
    }
    form.addEventListener("input", function () {
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
