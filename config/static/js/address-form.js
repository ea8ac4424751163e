// The address form follows the chosen country: on change, ask the server for that country's
// labels and required fields (the "Update the form for this country" button does it without script).
document.addEventListener("DOMContentLoaded", function () {
  var country = document.querySelector("#address-form select[name=country]");
  var refresh = document.getElementById("address-country-refresh");
  if (!country || !refresh) return;
  refresh.style.display = "none";  // `hidden` loses to the stylesheet's button display
  country.addEventListener("change", function () {
    refresh.click();
  });
});
