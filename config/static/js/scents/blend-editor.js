// Live percentage total of the blend editor. The server validates the blend anyway.
(function () {
  "use strict";
  var form = document.getElementById("blend-form");
  if (!form) return;
  var total = document.getElementById("blend-total");
  var hint = document.getElementById("blend-total-hint");

  function update() {
    var sum = 0;
    form.querySelectorAll(".blend-percentage").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) sum += value;
    });
    total.textContent = String(sum);
    var state = sum === 100 ? "ok" : sum > 100 ? "over" : "under";
    total.setAttribute("data-state", state);
    hint.textContent = state === "ok" ? "ready to save" : state === "over"
      ? (sum - 100) + " too many" : (100 - sum) + " to go";
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
