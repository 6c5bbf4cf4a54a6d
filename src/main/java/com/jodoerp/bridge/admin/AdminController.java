package com.jodoerp.bridge.admin;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.jodoerp.bridge.deadletters.AdminQueries;
import com.jodoerp.bridge.deadletters.AuditFilter;
import com.jodoerp.bridge.deadletters.DeadLetterFilter;
import com.jodoerp.bridge.deadletters.OperatorActions;
import com.jodoerp.bridge.deadletters.ReplayJobs;
import com.jodoerp.bridge.delivery.TargetCatalog;
import com.jodoerp.bridge.flow.SchoolProperties;
import com.jodoerp.bridge.observability.BridgeMetrics;
import com.jodoerp.bridge.reconciliation.Reconciliation;
import com.jodoerp.bridge.reconciliation.ReconciliationCsv;
import com.jodoerp.bridge.system.CalendarRange;
import com.jodoerp.bridge.system.StorableText;
import io.swagger.v3.oas.annotations.Operation;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The operator's API: list and inspect events and dead letters, replay one or all matching a filter
 * (with a dry run first), discard with a reason, and read the audit. JSON in and out.
 */
@RestController
@RequestMapping("/admin")
public class AdminController {

    private static final int MAX_PAGE = 500;
    /** A day's shape, four-digit year: its value may be echoed (it holds nothing but digits and dashes). */
    private static final Pattern DAY_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /**
     * The whole-number parameters and their ranges, for a value outside one and for one that is no whole number at
     * all ({@code limit=ten}, or past what an int holds). A negative offset is refused too: taken as 0, a script
     * paging backwards would read the first page again.
     */
    private static final Map<String, Range> RANGES = Map.of("limit", new Range(1, MAX_PAGE),
            "offset", new Range(0, Integer.MAX_VALUE), "days", new Range(1, 62));

    private record Range(int min, int max) {
    }

    private final AdminQueries queries;
    private final OperatorActions actions;
    private final ReplayJobs jobs;
    private final BridgeMetrics metrics;
    private final Reconciliation reconciliation;
    private final SchoolProperties school;
    private final TargetCatalog targets;

    public AdminController(AdminQueries queries, OperatorActions actions, ReplayJobs jobs, BridgeMetrics metrics,
                           Reconciliation reconciliation, SchoolProperties school, TargetCatalog targets) {
        this.targets = targets;
        this.reconciliation = reconciliation;
        this.school = school;
        this.queries = queries;
        this.actions = actions;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    /**
     * The day's reconciliation (the school's day; yesterday, the last whole day, when none is given): JSON, or CSV with
     * {@code Accept: text/csv} or {@code ?format=csv}. The ERP's side is the latest read in the background, never
     * waited for here (asking again a few seconds later starts a new one).
     */
    @Operation(summary = "Reconcile one school day: counts and amounts per target, and every payment the ERP and the bridge differ on (JSON, or CSV with Accept: text/csv or format=csv); yesterday when no date is given")
    @GetMapping("/reconciliation")
    public ResponseEntity<?> reconciliation(@RequestParam(required = false) String date,
                                            @RequestParam(required = false) String format,
                                            @RequestHeader(value = "Accept", required = false) String accept) {
        // An unknown format is refused rather than answered in JSON, which a script expecting its format would misread.
        if (format != null && !"csv".equalsIgnoreCase(format) && !"json".equalsIgnoreCase(format)) {
            throw new IllegalArgumentException("format must be json or csv");
        }
        LocalDate day = day(date);
        Reconciliation.Report report = reconciliation.report(day);
        if ("csv".equalsIgnoreCase(format) || format == null && accept != null && accept.contains("text/csv")) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                    .header("Content-Disposition", "attachment; filename=\"reconciliation-" + day + ".csv\"")
                    .body(ReconciliationCsv.render(report));
        }
        return ResponseEntity.ok(report);
    }

    /** Amounts booked per day over the last {@code days} days up to {@code date}: the page's chart. */
    @Operation(summary = "Payments booked per day for the week up to a day, per target: the ops page's chart")
    @GetMapping("/reconciliation/days")
    public List<Map<String, Object>> reconciliationDays(@RequestParam(required = false) String date,
                                                        @RequestParam(defaultValue = "7") int days) {
        return reconciliation.recentDays(day(date), inRange("days", days));
    }

    private LocalDate day(String date) {
        if (blank(date) == null) {
            return reconciliation.today().minusDays(1);
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date.trim());
        } catch (DateTimeParseException e) {
            // Shaped as a day but not one (2026-02-29, 2026-04-31): say why, as "a day such as" reads as the shape.
            if (DAY_SHAPE.matcher(date.trim()).matches() && e.getCause() != null) {
                throw new IllegalArgumentException("date " + date.trim() + " is not a day of the calendar ("
                        + e.getCause().getMessage() + ")");
            }
            day = null;
        }
        if (day == null || !CalendarRange.holds(day)) {
            throw new IllegalArgumentException("date must be a day such as 2026-11-23, with " + CalendarRange.YEARS);
        }
        // Answered, a day to come would read as a day reconciled without a difference.
        LocalDate today = reconciliation.today();
        if (day.isAfter(today)) {
            throw new IllegalArgumentException("date " + day + " has not begun in the school's time zone ("
                    + school.zone().getId() + ", where it is " + today + "): there is nothing to reconcile yet");
        }
        return day;
    }

    /** The school's time zone, in which the ops page shows times (stored and answered times stay UTC). */
    @Operation(summary = "The school's time zone, in which the ops page shows times")
    @GetMapping("/school")
    public Map<String, Object> school() {
        return Map.of("time_zone", school.zone().getId());
    }

    /** Work due for longer than twice its claim lease and never attempted: what the ops page warns about. */
    @Operation(summary = "Deliveries and events due for over twice their claim lease and never attempted")
    @GetMapping("/stuck")
    public Map<String, Object> stuck() {
        return Map.of("deliveries", metrics.stuckDeliveries(), "events", metrics.stuckEvents());
    }

    /**
     * A filter from query parameters. Times are ISO-8601: an instant ({@code 2026-11-23T10:00:00Z}, or with its
     * offset), or, as the ops page shows times, a time or a day in the school's time zone ({@code 2026-11-23T15:30},
     * {@code 2026-11-23} for the day's start).
     */
    record Filter(String family, String event, String target, String status, String from, String to, String student) {
        DeadLetterFilter parse(ZoneId zone) {
            Instant since = instant("from", from, zone);
            Instant until = instant("to", to, zone);
            ordered(since, until);
            return new DeadLetterFilter(oneOf("family", family, FAMILIES), bounded("event", event, 100),
                    bounded("target", target, 64),
                    oneOf("status", status == null ? null : status.toUpperCase(Locale.ROOT), STATES), since, until,
                    bounded("student", student, 128));
        }
    }

    /**
     * The audit's filter from query parameters: {@code action} (one of AuditFilter.ACTIONS, in any case),
     * {@code actor}, {@code subject} (text the subject holds, such as an event id), and {@code from} and {@code to}
     * as for the lists.
     */
    record AuditQuery(String action, String actor, String subject, String from, String to) {
        AuditFilter parse(ZoneId zone) {
            Instant since = instant("from", from, zone);
            Instant until = instant("to", to, zone);
            ordered(since, until);
            return new AuditFilter(oneOf("action", action == null ? null : action.toUpperCase(Locale.ROOT),
                    AuditFilter.ACTIONS), bounded("actor", actor, 128), bounded("subject", subject, 200), since,
                    until);
        }
    }

    /**
     * The filter, once its target is one the bridge knows: a typo would match nothing, which an operator would take
     * for "no dead letters there".
     */
    private DeadLetterFilter known(DeadLetterFilter filter) {
        String target = filter.target();
        if (target != null && !targets.enabled().containsKey(target) && !queries.hasDeliveriesTo(target)) {
            throw new IllegalArgumentException("target: no target '" + target + "' is enabled, and no deliveries to"
                    + " one of that name are kept; the targets: " + String.join(", ", targets.enabled().keySet()));
        }
        return filter;
    }

    private static final Set<String> FAMILIES = Set.of("masterdata", "direct", "flex", "pay", "cred");
    /** Dispatch states of events and states of deliveries. */
    private static final Set<String> STATES = Set.of("PENDING", "ROUTED", "UNROUTED", "FAILED", "DISCARDED",
            "DELIVERED", "DEAD");
    private static final int MAX_REASON = 2000;
    private static final int MAX_ECHO = 300;

    /** The body of a discard. */
    record Discard(String reason) {
    }

    /** The body of a bulk replay: a filter, and whether to only count what it matches. */
    record BulkReplay(Boolean dryRun, String family, String event, String target, String from, String to,
                      String student) {
    }

    @Operation(summary = "Recent events, newest first, filtered; paged by limit and offset; X-Total-Count gives all matches")
    @GetMapping("/events")
    public ResponseEntity<List<Map<String, Object>>> events(@ParameterObject Filter filter,
                                                            @RequestParam(defaultValue = "100") int limit,
                                                            @RequestParam(defaultValue = "0") int offset) {
        DeadLetterFilter parsed = known(filter.parse(school.zone()));
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(queries.countEvents(parsed)))
                .body(queries.events(parsed, inRange("limit", limit), inRange("offset", offset)));
    }

    @Operation(summary = "One event whole: raw payload, canonical record, deliveries and every attempt")
    @GetMapping("/events/{eventId}")
    public ResponseEntity<Map<String, Object>> event(@PathVariable String eventId) {
        Map<String, Object> event = queries.event(eventId);
        return event == null ? notFound("no event " + eventId) : ResponseEntity.ok(event);
    }

    @Operation(summary = "A payment as the bridge's ledger has it, and where its records went")
    @GetMapping("/payments/{paymentId}")
    public ResponseEntity<Map<String, Object>> payment(@PathVariable String paymentId) {
        Map<String, Object> payment = queries.payment(bounded("payment id", paymentId, Integer.MAX_VALUE));
        return payment == null ? notFound("no payment " + paymentId + " in the bridge's ledger")
                : ResponseEntity.ok(payment);
    }

    @Operation(summary = "Send one event through again: re-dispatch it if it was parked, else re-deliver it to every target")
    @PostMapping("/events/{eventId}/replay")
    public ResponseEntity<Map<String, Object>> replayEvent(@PathVariable String eventId, Authentication who) {
        return changed(actions.replayEvent(who.getName(), eventId), "event " + eventId + " has nothing to replay");
    }

    /** One page of the dead letters the filter matches; {@code X-Total-Count} says how many match in all. */
    @Operation(summary = "Dead letters (deliveries DEAD, events UNROUTED or FAILED), filtered and paged; X-Total-Count gives all matches")
    @GetMapping("/dead-letters")
    public ResponseEntity<List<Map<String, Object>>> deadLetters(@ParameterObject Filter filter,
                                                                 @RequestParam(defaultValue = "100") int limit,
                                                                 @RequestParam(defaultValue = "0") int offset) {
        DeadLetterFilter parsed = known(filter.parse(school.zone()));
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(queries.countDeadLetters(parsed)))
                .body(queries.deadLetters(parsed, inRange("limit", limit), inRange("offset", offset)));
    }

    @Operation(summary = "Replay one dead letter: the delivery to a target, or the parked event")
    @PostMapping({"/dead-letters/{eventId}/replay", "/dead-letters/{eventId}/{target}/replay"})
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String eventId,
                                                      @PathVariable(required = false) String target,
                                                      Authentication who) {
        return changed(actions.replay(who.getName(), new AdminQueries.DeadLetterKey(eventId, target)),
                "no dead letter " + eventId + (target == null ? "" : " to " + target) + " to replay");
    }

    @Operation(summary = "Discard one dead letter for good, with a reason kept in the audit")
    @PostMapping({"/dead-letters/{eventId}/discard", "/dead-letters/{eventId}/{target}/discard"})
    public ResponseEntity<Map<String, Object>> discard(@PathVariable String eventId,
                                                       @PathVariable(required = false) String target,
                                                       @RequestBody(required = false) Discard body,
                                                       Authentication who) {
        String reason = body == null ? null : bounded("reason", body.reason(), MAX_REASON);
        if (reason == null) {
            throw new IllegalArgumentException("a discard needs a reason: {\"reason\": \"...\"}");
        }
        int discarded = actions.discard(who.getName(), new AdminQueries.DeadLetterKey(eventId, target), reason);
        if (discarded == 0 && target != null && actions.beingAttempted(eventId, target)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "being_attempted", "message",
                    "delivery " + eventId + " to " + target + " is being attempted right now: discard it once the"
                            + " attempt has ended (GET /admin/events/" + eventId + " shows its outcome)"));
        }
        return changed(discarded, "no dead letter " + eventId + (target == null ? "" : " to " + target)
                + " to discard");
    }

    /** Bulk replay: {@code dryRun: true} only counts the matches; otherwise a background job replays them all. */
    @Operation(summary = "Bulk replay every dead letter a filter matches, in the background (dryRun true only counts them)")
    @PostMapping("/replays")
    public ResponseEntity<Map<String, Object>> bulkReplay(@RequestBody(required = false) BulkReplay body,
                                                          Authentication who) throws JsonProcessingException {
        BulkReplay request = body == null ? new BulkReplay(true, null, null, null, null, null, null) : body;
        DeadLetterFilter filter = new Filter(request.family(), request.event(), request.target(), null, request.from(),
                request.to(), request.student()).parse(school.zone());
        known(filter);
        if (request.dryRun() == null || request.dryRun()) {
            return ResponseEntity.ok(Map.of("dry_run", true, "matches", queries.countDeadLetters(filter)));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.start(who.getName(), filter));
    }

    @Operation(summary = "A bulk replay's state and progress, and what became of what it replayed (outcomes)")
    @GetMapping("/replays/{id}")
    public ResponseEntity<Map<String, Object>> job(@PathVariable String id) {
        Map<String, Object> job = jobs.job(id);
        return job == null ? notFound("no replay job " + id) : ResponseEntity.ok(job);
    }

    @Operation(summary = "Cancel a running bulk replay between chunks")
    @DeleteMapping("/replays/{id}")
    public ResponseEntity<Map<String, Object>> cancel(@PathVariable String id, Authentication who) {
        return jobs.cancel(who.getName(), id) ? ResponseEntity.ok(jobs.job(id))
                : notFound("no running replay job " + id);
    }

    @Operation(summary = "Who did what, newest first: replays, discards, bulk replays, failed logins; filtered and paged; X-Total-Count gives all matches")
    @GetMapping("/audit")
    public ResponseEntity<List<Map<String, Object>>> audit(@ParameterObject AuditQuery filter,
                                                           @RequestParam(defaultValue = "100") int limit,
                                                           @RequestParam(defaultValue = "0") int offset) {
        AuditFilter parsed = filter.parse(school.zone());
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(queries.countAudit(parsed)))
                .body(queries.audit(parsed, inRange("limit", limit), inRange("offset", offset)));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "message", e.getMessage()));
    }

    /** A parameter of the wrong type ({@code limit=ten}): named, with what it should be. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> wrongType(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        return badRequest(new IllegalArgumentException("int".equals(expected) ? rangeRule(e.getName())
                : e.getName() + " must be " + expected));
    }

    /**
     * A body that is not the JSON object expected: not JSON, a field of the wrong type (named, with what it takes), or
     * a field the call does not take (AdminInputNames), named with the ones it does.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return badRequest(new IllegalArgumentException(AdminInputNames.unknownField(unknown)));
        }
        String twice = AdminInputNames.givenTwice(e.getCause());
        if (twice != null) {
            return badRequest(new IllegalArgumentException(twice));
        }
        String wrongType = e.getCause() instanceof MismatchedInputException mismatch
                ? AdminInputNames.wrongType(mismatch) : null;
        if (wrongType != null) {
            return badRequest(new IllegalArgumentException(wrongType));
        }
        return badRequest(new IllegalArgumentException("the body must be a JSON object such as"
                + " {\"reason\": \"...\"} or {\"family\": \"flex\", \"dryRun\": true}"));
    }

    private static void ordered(Instant since, Instant until) {
        if (since != null && until != null && !since.isBefore(until)) {
            // "to" is exclusive: such a filter matches nothing, which an operator would take for "none there".
            throw new IllegalArgumentException("from must be before to (to is exclusive)");
        }
    }

    private static String oneOf(String name, String value, Set<String> allowed) {
        String given = blank(value);
        if (given != null && !allowed.contains(given)) {
            throw new IllegalArgumentException(name + " must be one of " + new TreeSet<>(allowed));
        }
        return given;
    }

    private static String bounded(String name, String value, int max) {
        String given = blank(value);
        if (given != null && given.length() > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + " characters");
        }
        // What the store cannot compare or keep (PostgreSQL refuses NUL in text) is the operator's typo, not a 500.
        if (given != null && StorableText.firstUnstorable(given) >= 0) {
            throw new IllegalArgumentException(name + " must be text without control characters");
        }
        return given;
    }

    private static ResponseEntity<Map<String, Object>> changed(int count, String nothing) {
        return count == 0 ? notFound(nothing) : ResponseEntity.ok(Map.of("changed", count));
    }

    /** The message names what was asked for; an id far longer than any real one is not echoed whole. */
    private static ResponseEntity<Map<String, Object>> notFound(String message) {
        String shown = message.length() > MAX_ECHO ? message.substring(0, MAX_ECHO) + "..." : message;
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not_found", "message", shown));
    }

    private static int inRange(String name, int value) {
        Range range = RANGES.get(name);
        if (value < range.min() || value > range.max()) {
            throw new IllegalArgumentException(rangeRule(name));
        }
        return value;
    }

    private static String rangeRule(String name) {
        Range range = RANGES.get(name);
        return name + " must be a whole number" + (range == null ? "" : " between " + range.min() + " and "
                + range.max());
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Instant instant(String name, String value, ZoneId zone) {
        if (blank(value) == null) {
            return null;
        }
        String text = value.trim();
        try {
            Instant time;
            if (text.indexOf('T') < 0) {
                time = LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } else {
                TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from,
                        LocalDateTime::from);
                time = parsed instanceof OffsetDateTime offset ? offset.toInstant()
                        : ((LocalDateTime) parsed).atZone(zone).toInstant();
            }
            if (CalendarRange.holds(time)) {
                return time;
            }
        } catch (DateTimeException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be an ISO-8601 time such as 2026-11-23T10:00:00Z, or a time"
                + " or a day in the school's time zone (" + zone.getId() + ") such as 2026-11-23T15:30 or 2026-11-23,"
                + " with " + CalendarRange.YEARS);
    }
}
