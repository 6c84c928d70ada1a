/* The workspace's own behaviour, served from /static so the Content-Security-Policy allows no
   inline script: a select marked data-autosubmit sends its form when changed (the language). */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit")) {
    field.form.submit();
  }
});
