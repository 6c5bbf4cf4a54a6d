// The ops page: a thin client of the /admin API, in the operator's browser session.
"use strict";

const $ = (id) => document.getElementById(id);
let view = "dead";
let job = null;
// The filter last applied (Apply): the lists and "Replay all matching" use it, never text typed but not applied.
let applied = {};
let offset = 0;
const PAGE = 100;
let zone = "UTC";

function csrf() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("XSRF-TOKEN="));
  return cookie ? decodeURIComponent(cookie.substring("XSRF-TOKEN=".length)) : "";
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-XSRF-TOKEN": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(data.message || `${response.status} ${response.statusText}`);
  }
  return data;
}

function say(text, error) {
  $("message").textContent = text;
  $("message").className = error ? "error" : "";
}

function typedFilters() {
  const values = {};
  for (const [key, value] of new FormData($("filters")).entries()) {
    if (value.trim() !== "") values[key] = value.trim();
  }
  return values;
}

// What each tab's list is filtered by; the audit by what was done, by whom and to what.
const FILTERS = {
  dead: ["family", "event", "target", "student", "from", "to"],
  events: ["family", "event", "target", "status", "student", "from", "to"],
  audit: ["action", "actor", "subject", "from", "to"],
};

function filters() {
  return Object.fromEntries(Object.entries(applied).filter(([key]) => (FILTERS[view] || []).includes(key)));
}

function describe(filter) {
  const parts = Object.entries(filter).map(([key, value]) => `${key} = ${value}`);
  return parts.length === 0 ? "no filter: every dead letter" : parts.join(", ");
}

// Times in the school's time zone; the stored UTC instant on hover.
function when(row, iso) {
  const td = cell(row, iso ? schoolTime(iso) : "", "time");
  if (iso) td.title = `${iso} (UTC)`;
  return td;
}

function schoolTime(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-IN", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    second: "2-digit", hourCycle: "h23", timeZoneName: "short",
  }).formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

function pages(shown, total) {
  $("pages").hidden = offset === 0 && shown < PAGE;
  const last = offset + shown;
  $("page-status").textContent = shown === 0 ? "" : `${offset + 1}–${last} of ${total}`;
  $("page-previous").disabled = offset === 0;
  $("page-next").disabled = last >= total;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (className) td.className = className;
  return td;
}

function button(td, label, id, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.id = id;
  b.addEventListener("click", action);
  td.appendChild(b);
}

function header(names) {
  $("rows").caption?.remove();
  const head = $("rows").tHead;
  head.innerHTML = "";
  const row = head.insertRow();
  for (const name of names) {
    const th = document.createElement("th");
    th.textContent = name;
    row.appendChild(th);
  }
  $("rows").tBodies[0].innerHTML = "";
  return $("rows").tBodies[0];
}

// One page of a list under the applied filter, and how many match in all (X-Total-Count).
async function page(path) {
  const response = await fetch(`${path}?` + new URLSearchParams({ ...filters(), limit: PAGE, offset }),
    { credentials: "same-origin" });
  const rows = await response.json();
  if (!response.ok) throw new Error(rows.message || `${response.status} ${response.statusText}`);
  return { rows, total: Number(response.headers.get("X-Total-Count")) };
}

function caption(what) {
  const filter = filters();
  $("rows").createCaption().textContent = what + (Object.keys(filter).length === 0 ? "" : ` matching ${describe(filter)}`);
}

async function showDeadLetters(current) {
  const { rows, total } = await page("/admin/dead-letters");
  if (!current()) return;
  const body = header(["Received", "Event", "Event id", "Target", "Kind", "Attempts", "Reason", ""]);
  caption(`${total} dead letter(s)`);
  pages(rows.length, total);
  for (const dead of rows) {
    const row = body.insertRow();
    row.dataset.eventId = dead.event_id;
    when(row, dead.received_at);
    cell(row, dead.event_name);
    cell(row, dead.event_id);
    cell(row, dead.target || "—");
    cell(row, dead.kind);
    cell(row, dead.attempts);
    cell(row, dead.reason, "reason");
    const actions = row.insertCell();
    const key = dead.target ? `${encodeURIComponent(dead.event_id)}/${encodeURIComponent(dead.target)}`
      : encodeURIComponent(dead.event_id);
    button(actions, "Replay", `replay-${dead.event_id}-${dead.target || "event"}`, async () => {
      await act(() => api("POST", `/admin/dead-letters/${key}/replay`), `Replayed ${dead.event_id}`);
    });
    button(actions, "Discard", `discard-${dead.event_id}-${dead.target || "event"}`, () => {
      askDiscard(dead.target ? `${dead.event_id} to ${dead.target}` : dead.event_id, (reason) =>
        act(() => api("POST", `/admin/dead-letters/${key}/discard`, { reason }), `Discarded ${dead.event_id}`));
    });
    button(actions, "Details", `details-${dead.event_id}-${dead.target || "event"}`, () => detail(dead.event_id));
  }
  if (rows.length === 0) {
    // In the table, not the message line: that still shows what the operator just did.
    const row = body.insertRow();
    const td = cell(row, "No dead letters match.");
    td.colSpan = 8;
  }
}

async function showEvents(current) {
  const { rows, total } = await page("/admin/events");
  if (!current()) return;
  const body = header(["Received", "Event", "Event id", "Family", "Dispatch", "Deliveries", "Student", ""]);
  caption(`${total} event(s)`);
  pages(rows.length, total);
  for (const event of rows) {
    const row = body.insertRow();
    when(row, event.received_at);
    cell(row, event.event_name);
    cell(row, event.event_id);
    cell(row, event.family);
    cell(row, event.dispatch_state);
    cell(row, event.deliveries.map((d) => `${d.target}: ${d.state} (${d.attempts})`).join(", "));
    cell(row, event.jodo_student_id);
    const actions = row.insertCell();
    button(actions, "Details", `details-${event.event_id}`, () => detail(event.event_id));
    button(actions, "Replay", `replay-event-${event.event_id}`, async () => {
      await act(() => api("POST", `/admin/events/${encodeURIComponent(event.event_id)}/replay`),
        `Replayed ${event.event_id}`);
    });
  }
}

async function showAudit(current) {
  const { rows, total } = await page("/admin/audit");
  if (!current()) return;
  const body = header(["When", "Who", "What", "Subject", "How many", "Reason", ""]);
  caption(`${total} audit entr${total === 1 ? "y" : "ies"}`);
  pages(rows.length, total);
  rows.forEach((entry, index) => {
    const row = body.insertRow();
    when(row, entry.at);
    cell(row, entry.actor);
    cell(row, entry.action);
    cell(row, entry.subject);
    cell(row, entry.affected);
    cell(row, entry.reason);
    const actions = row.insertCell();
    const eventId = auditedEvent(entry.subject);
    if (eventId) {
      // An event past retention is gone: the page says so rather than show nothing.
      button(actions, "Details", `audit-details-${offset + index}`,
        () => detail(eventId).catch((e) => say(e.message, true)));
    }
  });
}

// The event an audit entry is about ("event <id>", "delivery <id> to <target>"), for its details; null for others.
function auditedEvent(subject) {
  const named = /^(?:event|delivery) (\S+)/.exec(subject || "");
  return named ? named[1] : null;
}

// Every attempt of every delivery: when, how it ended, the ERP's HTTP status or the kind of error, how long it
// took, when the next is due, and the masked excerpt of what the ERP said. Then the event whole, as stored.
async function detail(eventId) {
  const event = await api("GET", `/admin/events/${encodeURIComponent(eventId)}`);
  const attempts = $("detail-attempts");
  attempts.innerHTML = "";
  for (const delivery of event.deliveries) {
    const title = document.createElement("h3");
    title.textContent = `${delivery.target}: ${delivery.state}`;
    attempts.appendChild(title);
    const t = table(attempts, ["#", "When", "Outcome", "Answer", "Took", "Next try", "What the target said"], []);
    t.classList.add("attempts");
    for (const attempt of delivery.history || []) {
      const row = t.tBodies[0].insertRow();
      cell(row, attempt.attempt);
      when(row, attempt.attempted_at);
      cell(row, attempt.outcome);
      cell(row, attempt.http_status ? `HTTP ${attempt.http_status}` : attempt.error_class || "");
      cell(row, attempt.duration_ms === null || attempt.duration_ms === undefined ? "" : `${attempt.duration_ms} ms`);
      when(row, attempt.next_attempt_at);
      cell(row, attempt.error, "reason");
    }
  }
  openDetail("Event", eventId, event);
}

// A payment as the bridge's ledger has it: what became, at every target, of the record that decides it and of the
// one that booked its money (the follow-up to a reconciliation difference).
async function paymentDetail(paymentId) {
  let payment;
  try {
    payment = await api("GET", `/admin/payments/${encodeURIComponent(paymentId)}`);
  } catch (e) {
    say(e.message, true);
    return;
  }
  const deliveries = $("detail-attempts");
  deliveries.innerHTML = "";
  for (const [what, eventId, list] of [["Deciding record", payment.event_id, payment.deliveries],
    ["Record that booked it", payment.booked_event_id, payment.booked_deliveries]]) {
    if (!list) continue;
    const title = document.createElement("h3");
    title.textContent = `${what}: ${eventId}`;
    deliveries.appendChild(title);
    table(deliveries, ["Target", "State", "Attempts", "What the target said"],
      list.map((d) => [d.target, d.state, d.attempts, d.last_error || d.discarded_reason || ""]));
  }
  openDetail("Payment", paymentId, payment);
}

function openDetail(kind, id, body) {
  $("detail-kind").textContent = kind;
  $("detail-id").textContent = id;
  $("detail-body").textContent = JSON.stringify(body, null, 2);
  $("detail").hidden = false;
  $("detail").scrollIntoView();
}

// Discarding is final for the ERP: a dialog names what goes and asks why (kept in the audit).
let onDiscard = null;

function askDiscard(what, then) {
  $("discard-what").textContent = what;
  $("discard-reason").value = "";
  onDiscard = then;
  $("discard-dialog").showModal();
  $("discard-reason").focus();
}

async function act(action, done) {
  try {
    await action();
    say(done);
    await refresh();
  } catch (e) {
    say(e.message, true);
  }
}

// Work nothing has attempted for over twice its lease: a fault that retries alone will not clear.
async function showStuck() {
  const stuck = await api("GET", "/admin/stuck");
  const parts = [];
  if (stuck.deliveries > 0) parts.push(`${stuck.deliveries} delivery(ies)`);
  if (stuck.events > 0) parts.push(`${stuck.events} event(s)`);
  $("stuck").textContent = parts.length === 0 ? ""
    : `Stuck: ${parts.join(" and ")} due for over twice their claim lease and never attempted. See the log.`;
  $("stuck").hidden = parts.length === 0;
}

// Reconciliation: the day's counts and amounts per target, and every payment the ERP and the bridge differ on.
function money(value) {
  return value === null || value === undefined ? "" : Number(value).toLocaleString("en-IN", { minimumFractionDigits: 2 });
}

function table(parent, headers, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const name of headers) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    cells.forEach((text) => cell(row, text));
  }
  parent.appendChild(t);
  return t;
}

async function showReconciliation(current) {
  const date = $("recon-date").value;
  const query = date ? `?date=${encodeURIComponent(date)}` : "";
  const report = await api("GET", "/admin/reconciliation" + query);
  const days = await api("GET", `/admin/reconciliation/days?date=${report.date}`);
  if (!current()) return;
  // The operator chose another day while this one loaded: show that day, never write this one over their choice.
  const chosen = $("recon-date").value;
  if (chosen !== date) {
    if (chosen) refresh();
    return;
  }
  $("recon-date").value = report.date;
  $("recon-csv").href = `/admin/reconciliation?format=csv&date=${report.date}`;
  const chart = $("recon-chart");
  chart.innerHTML = "";
  const most = Math.max(1, ...days.map((d) => Number(d.amount)));
  for (const day of days) {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.height = `${Math.round((Number(day.amount) / most) * 100)}%`;
    bar.title = `${day.date}: ${day.payments} payment(s), ₹${money(day.amount)}`;
    const label = document.createElement("span");
    label.textContent = day.date.substring(5);
    bar.appendChild(label);
    chart.appendChild(bar);
  }
  const targets = $("recon-targets");
  targets.innerHTML = "";
  if (report.pastRetention.length > 0) {
    const past = document.createElement("p");
    past.className = "summary";
    past.id = "recon-past-retention";
    const count = report.pastRetention.reduce((sum, t) => sum + t.count, 0);
    past.textContent = `${count} payment(s) of this day were received longer ago than the bridge keeps events`
      + ` (bridge.retention.delivered): their deliveries are no longer kept, so they are in no target's figures`
      + ` below and are not compared with the ERP.`;
    targets.appendChild(past);
    table(targets, ["Past retention", "Count", "Amount (₹)"],
      report.pastRetention.map((t) => [t.key, t.count, money(t.amount)]));
  }
  let differences = 0;
  for (const target of report.targets) {
    const box = document.createElement("div");
    box.className = "recon-target";
    box.id = `recon-${target.target}`;
    const title = document.createElement("h3");
    title.textContent = `${target.target} (${target.transport})`;
    box.appendChild(title);
    table(box, ["Payments", "Count", "Amount (₹)"], target.payments.map((t) => [t.key, t.count, money(t.amount)]));
    table(box, ["Status", "Count", "Amount (₹)"], target.paymentsByStatus.map((t) => [t.key, t.count, money(t.amount)]));
    const summary = document.createElement("p");
    summary.className = "summary";
    if (!target.erp.available) {
      summary.textContent = `Money booked: ₹${money(target.erp.bridgeBooked)} delivered.`
        + ` What the ERP holds: ${target.erp.note}`;
      box.appendChild(summary);
    } else {
      differences += target.erp.differences.length;
      // Money booked first: it is what the accountant compares; the totals of every payment delivered include
      // bounced and cancelled ones, which books hold as nothing or not at all.
      summary.textContent = `Money booked: ₹${money(target.erp.bridgeBooked)} delivered,`
        + ` the ERP books ₹${money(target.erp.erpBooked)}. Every payment, bounced and cancelled too:`
        + ` ₹${money(target.erp.bridgeDelivered)} delivered, the ERP holds ₹${money(target.erp.erpTotal)};`
        + ` ${target.erp.differences.length} difference(s).`;
      box.appendChild(summary);
      const rows = target.erp.differences.map((d) => [d.kind.replaceAll("_", " "), d.paymentId, money(d.bridgeAmount),
        money(d.erpAmount), d.bridgeStatus || "", d.erpStatus || ""]);
      const t = table(box, ["Difference", "Payment", "Bridge (₹)", "ERP (₹)", "Bridge status", "ERP status", ""], rows);
      target.erp.differences.forEach((d, i) => {
        const row = t.tBodies[0].rows[i];
        row.className = "difference";
        row.dataset.paymentId = d.paymentId;
        const actions = row.insertCell();
        if (d.eventId) {
          button(actions, "Details", `recon-details-${d.paymentId}`, () => paymentDetail(d.paymentId));
          button(actions, "Replay", `recon-replay-${d.paymentId}`, async () => {
            await act(() => api("POST", `/admin/events/${encodeURIComponent(d.eventId)}/replay`),
              `Replayed the delivery of ${d.paymentId}`);
          });
        }
      });
    }
    targets.appendChild(box);
  }
  $("recon-badge").textContent = String(differences);
  $("recon-badge").hidden = differences === 0;
  // A day's first view: the ERP's side is being read in the background. Look again shortly, unless the operator has
  // moved on (another tab, day or refresh) meanwhile.
  if (report.targets.some((target) => target.erp.reading)) {
    setTimeout(() => { if (current() && view === "recon") refresh(); }, 2000);
  }
}

// Refreshes overlap (a tab clicked while the first list is still loading): only the latest one draws, so an
// earlier answer arriving late cannot replace the list the operator asked for last.
let refreshes = 0;

async function refresh() {
  const turn = ++refreshes;
  const current = () => turn === refreshes;
  try {
    await showStuck();
    if (view === "dead") await showDeadLetters(current);
    else if (view === "events") await showEvents(current);
    else if (view === "recon") await showReconciliation(current);
    else await showAudit(current);
  } catch (e) {
    if (current()) say(e.message, true);
  }
}

async function bulkCount() {
  try {
    const filter = filters();
    const result = await api("POST", "/admin/replays", { ...filter, dryRun: true });
    $("bulk-status").textContent = `${result.matches} dead letter(s) match (${describe(filter)}).`;
    $("bulk-start").textContent = `Replay these ${result.matches}`;
    $("bulk-start").hidden = result.matches === 0;
    $("bulk-dismiss").hidden = result.matches === 0;
    bulkFilter = filter;
  } catch (e) {
    say(e.message, true);
  }
}

// The filter that was counted and shown: the replay uses exactly that one.
let bulkFilter = null;
let settling = 0;

async function bulkStart() {
  try {
    job = await api("POST", "/admin/replays", { ...bulkFilter, dryRun: false });
    settling = Date.now() + 120000;
    $("bulk-start").hidden = true;
    $("bulk-dismiss").hidden = true;
    $("bulk-cancel").hidden = false;
    $("bulk-progress").hidden = false;
    follow();
  } catch (e) {
    say(e.message, true);
  }
}

// Progress, then what became of the replayed: delivered, failed again, or still waiting for an attempt (followed
// for up to two minutes after the replay itself ends).
async function follow() {
  if (!job) return;
  job = await api("GET", `/admin/replays/${job.id}`);
  const o = job.outcomes;
  $("bulk-progress").max = Math.max(1, job.total);
  $("bulk-progress").value = job.done;
  $("bulk-status").textContent = `Replay ${job.state.toLowerCase()}: ${job.done} of ${job.total} replayed; `
    + `${o.delivered} delivered, ${o.failed_again} failed again, ${o.waiting} waiting.`;
  const running = job.state === "RUNNING" || job.state === "CANCELLING";
  if (!running) $("bulk-cancel").hidden = true;
  if (running || (o.waiting > 0 && Date.now() < settling)) {
    setTimeout(follow, 500);
  } else {
    job = null;
    await refresh();
  }
}

async function bulkCancel() {
  if (job) await api("DELETE", `/admin/replays/${job.id}`).catch((e) => say(e.message, true));
}

// Each tab has an address of its own (/ops/#reconciliation), for a bookmark or a link in an alert or an e-mail.
const ADDRESSES = { dead: "dead-letters", events: "events", audit: "audit", recon: "reconciliation" };

function show(tab) {
  view = tab.dataset.view;
  offset = 0;
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
  document.body.className = `view-${view}`;
}

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => {
    show(tab);
    history.replaceState(null, "", `#${ADDRESSES[view]}`);
    say("");
    refresh();
  });
}
$("filters").addEventListener("submit", (e) => {
  e.preventDefault();
  applied = typedFilters();
  offset = 0;
  clearBulk();
  say("");
  refresh();
});
$("page-previous").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); refresh(); });
$("page-next").addEventListener("click", () => { offset += PAGE; refresh(); });
$("bulk-dismiss").addEventListener("click", clearBulk);
$("discard-cancel").addEventListener("click", () => $("discard-dialog").close());
$("discard-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const reason = $("discard-reason").value.trim();
  if (!reason) return;
  $("discard-dialog").close();
  if (onDiscard) onDiscard(reason);
});
$("bulk-count").addEventListener("click", bulkCount);
$("bulk-start").addEventListener("click", bulkStart);
$("bulk-cancel").addEventListener("click", bulkCancel);
$("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
$("recon-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const day = $("recon-date").value;
  history.replaceState(null, "", `#${ADDRESSES.recon}${day ? `/${day}` : ""}`);
  say("");
  refresh();
});
$("logout").addEventListener("submit", () => { $("logout-csrf").value = csrf(); });
function clearBulk() {
  if (job) return;
  bulkFilter = null;
  $("bulk-status").textContent = "";
  $("bulk-start").hidden = true;
  $("bulk-dismiss").hidden = true;
  $("bulk-progress").hidden = true;
}

// The tab the address names; #reconciliation/2026-12-03 is that day's reconciliation (a day picked sets it), for
// the accountant's link to a day. A day the date field cannot take leaves it to yesterday.
function openAddress() {
  const [name, day] = location.hash.substring(1).split("/");
  const addressed = Object.keys(ADDRESSES).find((key) => ADDRESSES[key] === name);
  show(document.querySelector(`.tab[data-view="${addressed || "dead"}"]`));
  if (addressed === "recon") $("recon-date").value = day || "";
}

window.addEventListener("hashchange", () => { openAddress(); refresh(); });
openAddress();
api("GET", "/admin/school").then((school) => { zone = school.time_zone; }).catch(() => {}).finally(refresh);
