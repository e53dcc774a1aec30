// The request form: the hint under the message follows the type chosen (without script, the hint of
// the type the page was opened with is shown).
(function () {
  var hint = document.getElementById('message-hint');
  if (!hint) {
    return;
  }
  document.querySelectorAll('input[name=type]').forEach(function (choice) {
    choice.addEventListener('change', function () {
      if (choice.checked && choice.dataset.hint) {
        hint.textContent = choice.dataset.hint;
      }
    });
  });
})();
