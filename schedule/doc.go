// Package schedule holds the time and work of home care: visits with their
// time windows, recurring visit patterns, workers' shifts, breaks and leave,
// the working-time rules a rota must respect, the Problem a planner solves
// and the Rota it produces, and their JSON encoding.
//
// Package routing plans and evaluates rotas for a Problem; package careplan
// produces Patterns; package compliance checks rotas against the rules. This
// package only describes the work and checks that a description is coherent.
//
// # Validation
//
// Problem.Validate checks everything it can without planning: the parts
// (windows, visits, shifts, breaks, leave, rules, weights, travel, matrix),
// duplicate IDs, references between records, windows and shifts inside the
// horizon, breaks inside their shift, leave that overlaps the horizon,
// overlapping windows of a visit (touching ones are allowed), overlapping
// shifts, cyclic dependencies and geographic ranges. It
// returns every problem at once, joined with errors.Join; each is a
// *care.FieldError naming the record, its ID and the field, and matches
// errors.Is(err, care.ErrInvalid):
//
//	visit "v17": window 2: latest 09:00 before earliest 10:00
//
// Times in messages are shown in the problem's time zone. Rota.Validate checks
// that a rota refers to a problem consistently; whether it is feasible (on
// time, skilled, within working-time limits) is for routing.Evaluate.
//
// # JSON
//
// Field names are snake_case. Times are RFC 3339 strings with an offset
// ("2026-03-23T08:00:00Z", "2026-06-01T09:30:00+01:00"); durations are whole
// numbers of seconds (900 is a quarter of an hour; "PT15M" is rejected);
// locations are objects {"lat": 51.5, "lon": -0.12}, never bare pairs.
// Decode reads a problem strictly (unknown fields and trailing data are
// errors, reported with line, column and field path as a *DecodeError) and
// then validates it. A small problem:
//
//	{
//	  "name": "north-team-monday",
//	  "start": "2026-03-23T00:00:00Z",
//	  "end": "2026-03-24T00:00:00Z",
//	  "time_zone": "Europe/London",
//	  "service_users": [{"id": "su1", "location": {"lat": 53.4808, "lon": -2.2426}}],
//	  "workers": [{"id": "w1", "role": "care_worker", "travel_mode": "car",
//	               "home": {"lat": 53.47, "lon": -2.25}}],
//	  "visits": [{"id": "v1", "service_user": "su1", "kind": "medication", "duration": 900,
//	              "windows": [{"earliest": "2026-03-23T07:45:00Z", "latest": "2026-03-23T08:15:00Z"}]}],
//	  "shifts": [{"id": "s1", "worker": "w1",
//	              "start": "2026-03-23T07:00:00Z", "end": "2026-03-23T14:00:00Z"}],
//	  "rules": {"max_shift": 43200, "min_daily_rest": 39600},
//	  "weights": {"unassigned": 1000000, "travel_time": 1},
//	  "travel": {"model": "great_circle"}
//	}
//
// # Recurring visits
//
// A Pattern is a visit that recurs in local wall-clock time by an RFC 5545
// RRULE ("FREQ=WEEKLY;BYDAY=MO,WE,FR"), evaluated with
// github.com/teambition/rrule-go. Pattern.Expand gives the concrete visits in
// a span, with IDs like "p1@2026-03-29T08:00". A visit at 08:00 stays at 08:00
// local time when the clocks change; a local time that does not exist is read
// with the offset before the gap (RFC 5545 §3.3.5). Occurrences on UK bank
// holidays (github.com/rickar/cal/v2/gb, with substitute days such as Monday
// 28 December 2026) may be skipped, for England and Wales, Scotland or
// Northern Ireland. ExpandAll expands several patterns together and links
// their dependencies: a template dependency on a pattern's ID becomes, in each
// occurrence, a dependency on that pattern's latest occurrence at or before it
// on the same local day (e.g. lunchtime medicines four hours after that day's
// morning call).
package schedule
