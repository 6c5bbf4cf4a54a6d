// Says why the sign-in page is shown again: a wrong login (?error), a sign-out (?logout), or a form sent with a
// token that no longer held (?expired). A file of its own, not inline, so that the pages' Content-Security-Policy
// can refuse every inline script.
const query = new URLSearchParams(location.search);
const said = document.getElementById("said");
if (query.has("error")) { said.textContent = "Wrong user name or password."; said.className = "error"; said.hidden = false; }
if (query.has("logout")) { said.textContent = "Signed out."; said.hidden = false; }
if (query.has("expired")) {
  said.textContent = "This sign-in page had expired. Sign in again.";
  said.className = "error";
  said.hidden = false;
}
// A link to a tab of the ops page (/ops/#reconciliation, in an alert or an e-mail) comes here with its tab after the
// "#", which browsers never send to the server: posted to /login with it, the browser carries it on to the page the
// bridge sends the operator back to once signed in, and the tab opens.
if (location.hash) document.querySelector("form").action = "/login" + location.hash;
