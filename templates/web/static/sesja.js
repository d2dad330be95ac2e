/* mailbot workspace: the warning two minutes before the idle logout, with "Przedłuż".
   Served by mailbot itself (the pages' Content-Security-Policy allows no inline script).
   Without JavaScript the note at the foot of every page says the same and its button extends
   the session; a form sent after the logout is kept until the next login either way. */
(function () {
  "use strict";
  var WARN = 120; /* seconds before the end */
  var body = document.body;
  var total = parseInt(body.getAttribute("data-session-seconds"), 10);
  var stateUrl = body.getAttribute("data-session-state");
  var box = document.getElementById("sesja-ostrzezenie");
  var left = document.getElementById("sesja-pozostalo");
  /* a polite live region: said once when the warning appears and once when the session is
     extended (the countdown itself is not announced every second) */
  var said = document.getElementById("sesja-komunikat");
  function announce(text) {
    if (said) {
      said.textContent = text;
    }
  }
  if (!total || !stateUrl || !box || !left) {
    return;
  }
  var warnTimer = null;
  var tick = null;
  var deadline = 0;
  var before = null; /* where the focus was when the warning took it */

  function words(seconds) {
    if (seconds <= 0) {
      return "chwilę";
    }
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    if (m === 0) {
      return s + " s";
    }
    return m + " min " + (s < 10 ? "0" : "") + s + " s";
  }

  function hide() {
    box.hidden = true;
    if (tick) {
      clearInterval(tick);
      tick = null;
    }
  }

  function update() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (seconds === 0) {
      left.textContent = "chwilę – sesja wygasła; po ponownym zalogowaniu wysłany formularz zostanie dokończony";
      clearInterval(tick);
      tick = null;
      return;
    }
    left.textContent = words(seconds);
  }

  function spoken(seconds) {
    var m = Math.round(seconds / 60);
    if (seconds < 60) {
      return "niecałą minutę";
    }
    return m === 1 ? "około minuty" : "około " + m + " minut";
  }

  function show() {
    var wasHidden = box.hidden;
    box.hidden = false;
    update();
    if (!tick) {
      tick = setInterval(update, 1000);
    }
    if (wasHidden) {
      before = document.activeElement;
      announce("Sesja wkrótce wygaśnie z powodu bezczynności: zostało " +
        spoken(Math.max(0, Math.round((deadline - Date.now()) / 1000))) +
        ". Przycisk „Przedłuż” pozwala pracować dalej.");
      var button = document.getElementById("przedluz");
      if (button) {
        button.focus();
      }
    }
  }

  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    hide();
    if (warnTimer) {
      clearTimeout(warnTimer);
    }
    warnTimer = setTimeout(check, Math.max(0, seconds - WARN) * 1000);
  }

  /* Before warning, ask how long is really left: another tab may have been used meanwhile
     (asking does not count as use). */
  function check() {
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && state.active && state.left > WARN + 5) {
          schedule(state.left);
        } else {
          if (state && state.active) {
            deadline = Date.now() + state.left * 1000;
          }
          show();
        }
      })
      .catch(show);
  }

  var forms = document.querySelectorAll("form.session-extend");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (state && state.active) {
            var wasShown = !box.hidden;
            schedule(state.left);
            if (wasShown) {
              announce("Sesja przedłużona.");
              if (before && before !== document.body && document.contains(before)) {
                before.focus();
              }
            }
          } else {
            form.submit(); /* the server says what happened */
          }
        })
        .catch(function () { form.submit(); });
    });
  });

  var initial = parseInt(body.getAttribute("data-session-left"), 10);
  schedule(initial > 0 ? initial : total);
})();
