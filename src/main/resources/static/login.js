// Says why the sign-in page is shown again: a wrong login (?error) or a sign-out (?logout). A file of its own, not
// inline, so that the pages' Content-Security-Policy can refuse every inline script.
const query = new URLSearchParams(location.search);
const said = document.getElementById("said");
if (query.has("error")) { said.textContent = "Wrong user name or password."; said.className = "error"; said.hidden = false; }
if (query.has("logout")) { said.textContent = "Signed out."; said.hidden = false; }
