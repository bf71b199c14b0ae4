/*
 * Text fields with a length limit say how many characters are left while one types. Without
 * JavaScript the hint says the limit ("höchstens 5.000 Zeichen"), and the server refuses longer
 * text with a message and keeps what was typed.
 *
 * <div class="length-limit" data-limit-for="{input id}" data-left-template="Noch {n} von {max} Zeichen">
 */
(function () {
  "use strict";
  function setUp(hint) {
    var field = document.getElementById(hint.dataset.limitFor);
    if (!field || hint.dataset.limitReady) { return; }
    hint.dataset.limitReady = "1";
    var max = Number(field.getAttribute("maxlength"));
    var format = new Intl.NumberFormat(document.documentElement.lang || "de");
    var template = hint.dataset.leftTemplate;
    if (!max || !template) { return; }
    function update() {
      var left = Math.max(0, max - field.value.length);
      hint.textContent = template.replace("{n}", format.format(left)).replace("{max}", format.format(max));
      hint.classList.toggle("length-limit-reached", left === 0);
    }
    field.addEventListener("input", update);
    update();
  }
  function setUpAll(root) {
    root.querySelectorAll("[data-limit-for]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  // Forms that htmx puts into the page later.
  document.addEventListener("htmx:afterSettle", function (event) { setUpAll(event.target); });
}());
