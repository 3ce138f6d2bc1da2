package care_test

// The bad-input catalogue (issue 10, item 2). Every file under testdata/bad is
// one bad input: a problem, rota, care plan or assessment in JSON, or a
// Solomon VRPTW instance in text, named <kind>-<what>. The tables below map
// each file to the reader it goes through and the substrings its error must
// contain (the field path and the record's ID). Inputs that must be huge (10 MB
// strings) are generated here rather than committed. Every case runs under a
// recover guard so that a panic fails the case with the file's name.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/routing/vrptw"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const badDir = "testdata/bad"

// Valid inputs the bad cases are derived from; each must read without error.
const (
	baseProblem    = "base-problem.json"
	basePlan       = "base-plan.json"
	baseAssessment = "base-assessment.json"
)

// reader reads one input and returns the reader's error.
type reader func(t *testing.T, b []byte) error

func readProblem(_ *testing.T, b []byte) error {
	_, err := schedule.Decode(bytes.NewReader(b))
	return err
}

// readRota decodes a rota and checks it against base-problem.json.
func readRota(t *testing.T, b []byte) error {
	base, err := os.ReadFile(filepath.Join(badDir, baseProblem))
	require.NoError(t, err)
	p, err := schedule.Decode(bytes.NewReader(base))
	require.NoError(t, err)
	_, err = schedule.DecodeRota(bytes.NewReader(b), p)
	return err
}

func readSolomon(_ *testing.T, b []byte) error {
	_, err := vrptw.Read(bytes.NewReader(b))
	return err
}

func readPlan(_ *testing.T, b []byte) error {
	_, err := careplan.Decode(bytes.NewReader(b))
	return err
}

func readAssessment(_ *testing.T, b []byte) error {
	_, err := assessment.DecodeAssessment(bytes.NewReader(b), assessment.DefaultCatalogue())
	return err
}

// readerFor picks the reader from the file name's kind prefix.
func readerFor(t *testing.T, file string) reader {
	kind, _, _ := strings.Cut(file, "-")
	switch kind {
	case "problem", "solve":
		return readProblem
	case "rota":
		return readRota
	case "solomon":
		return readSolomon
	case "plan":
		return readPlan
	case "assessment":
		return readAssessment
	case "base":
		switch file {
		case baseProblem:
			return readProblem
		case basePlan:
			return readPlan
		case baseAssessment:
			return readAssessment
		}
	}
	t.Fatalf("%s: no reader for this kind of file", file)
	return nil
}

// guarded runs f and turns a panic into an error naming the case.
func guarded(name string, f func() error) (err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("%s: panic: %v", name, r), true
		}
	}()
	return f(), false
}

// badCase is one file of the catalogue: the error must match is and contain
// every string of want.
type badCase struct {
	file string
	is   error
	want []string
}

var (
	invalid = care.ErrInvalid    // a validation error (*care.FieldError)
	decode  = schedule.ErrDecode // a JSON error of schedule.Decode/DecodeRota (*schedule.DecodeError)
	format  = vrptw.ErrFormat    // a Solomon format error
)

// badCases are the cases that give a clear error today.
var badCases = []badCase{
	// Wrong types: the decoder names the field path and the line.
	{"problem-wrongtype-duration-string.json", decode, []string{"line 47", "field visits[0].duration", `not the string "30 minutes"`}},
	{"problem-wrongtype-duration-iso8601.json", decode, []string{"field visits[0].duration", "whole number of seconds", `"PT30M"`}},
	{"problem-wrongtype-priority-string.json", decode, []string{"field visits[1].priority", "cannot unmarshal string"}},
	{"problem-wrongtype-carers-fraction.json", decode, []string{"field visits[2].carers", "number 1.5"}},
	{"problem-wrongtype-workers-object.json", decode, []string{"field workers", "cannot unmarshal object"}},
	{"problem-wrongtype-location-pair.json", decode, []string{"field service_users[1].location", `{"lat": number, "lon": number}`}},
	{"problem-wrongtype-name-number.json", decode, []string{"field name", "cannot unmarshal number"}},
	{"rota-wrongtype-workers-string.json", decode, []string{"field assignments[0].workers", "cannot unmarshal string"}},
	{"plan-wrongtype-minutes-string.json", invalid, []string{"decode plan", "field tasks[0].minutes", "cannot unmarshal string"}},
	{"assessment-wrongtype-transfer-carers.json", invalid, []string{"observations.transferCarers", "cannot unmarshal string"}},
	{"problem-unknown-field.json", decode, []string{"field visits[0].colour", `unknown field "colour"`}},
	{"plan-unknown-field.json", invalid, []string{`unknown field "colour"`}},
	{"assessment-unknown-field.json", invalid, []string{`unknown field "colour"`}},

	// Malformed JSON.
	{"problem-syntax-truncated.json", decode, []string{"line 58", "unexpected EOF"}},
	{"problem-syntax-trailing-data.json", decode, []string{"line 112", "unexpected data after the top-level value"}},
	{"problem-syntax-empty.json", decode, []string{"line 1, column 1", "EOF"}},
	{"problem-syntax-array.json", decode, []string{"cannot unmarshal array"}},
	{"problem-syntax-nan-literal.json", decode, []string{"line 10", "invalid character 'N'"}},
	{"assessment-syntax-trailing-data.json", invalid, []string{"decode assessment", "unexpected data after the top-level value"}},
	{"plan-syntax-trailing-data.json", invalid, []string{"decode plan", "unexpected data after the top-level value"}},

	// Missing IDs.
	{"problem-missing-visit-id.json", invalid, []string{"visit (no id): id: is required"}},
	{"problem-missing-worker-id.json", invalid, []string{"worker (no id): id: is required"}},
	{"problem-missing-shift-id.json", invalid, []string{"shift (no id): id: is required"}},
	{"problem-missing-service-user-id.json", invalid, []string{"service user (no id): id: is required"}},
	{"problem-missing-visit-service-user.json", invalid, []string{`visit "v3": service_user: is required`}},
	{"plan-missing-id.json", invalid, []string{"plan (no id): id: is required"}},
	{"assessment-missing-id.json", invalid, []string{"assessment (no id): id: empty"}},
	{"assessment-missing-person.json", invalid, []string{`assessment "a1": personId: empty`}},
	{"assessment-missing-date.json", invalid, []string{`assessment "a1": date: missing`}},

	// Duplicate IDs.
	{"problem-duplicate-visit-id.json", invalid, []string{`visit "v1": id: duplicate visit id (visits[0] and [2])`}},
	{"problem-duplicate-worker-id.json", invalid, []string{`worker "w1": id: duplicate worker id (workers[0] and [1])`}},
	{"problem-duplicate-shift-id.json", invalid, []string{`shift "s1": id: duplicate shift id (shifts[0] and [1])`}},
	{"problem-duplicate-service-user-id.json", invalid, []string{`service user "su1": id: duplicate service user id (service_users[0] and [1])`}},
	{"rota-duplicate-assignment.json", invalid, []string{`visit "v1": assignments[1].visit: visit assigned twice (also assignments[0])`}},
	{"plan-duplicate-task-id.json", invalid, []string{`plan "p1": task "wash": duplicate task id`}},
	{"assessment-duplicate-instrument.json", invalid, []string{`assessment "a1": results[1]: instrument "barthel100" recorded twice`}},

	// Dangling references.
	{"problem-dangling-visit-service-user.json", invalid, []string{`visit "v3": service_user: unknown service user "su9"`}},
	{"problem-dangling-shift-worker.json", invalid, []string{`shift "s2": worker: unknown worker "w9"`}},
	{"problem-dangling-pinned-worker.json", invalid, []string{`visit "v1": pinned[0]: unknown worker "w9"`}},
	{"problem-dangling-dependency-visit.json", invalid, []string{`visit "v2": dependencies[0].visit: unknown visit "v9"`}},
	{"problem-dangling-leave-worker.json", invalid, []string{`worker "w9": leave[0].worker: unknown worker`}},
	{"problem-dangling-preferred-worker.json", invalid, []string{`service user "su1": preferences.preferred_workers[0]: unknown worker "w9"`}},
	{"rota-unknown-visit.json", invalid, []string{`visit "v9": assignments[0].visit: unknown visit`}},
	{"rota-unknown-worker.json", invalid, []string{`visit "v1": assignments[0].workers[0]: unknown worker "w9"`}},
	{"rota-route-wrong-worker.json", invalid, []string{`shift "s1": routes[0].worker: route names worker "w2" but the shift belongs to worker "w1"`}},
	{"plan-dangling-task-provider.json", invalid, []string{`plan "p1": task "wash".provider: unknown practitioner "nobody"`}},
	{"plan-dangling-goal-need.json", invalid, []string{`plan "p1": goals[0].needs: unknown need "n-missing"`}},
	{"assessment-unknown-instrument.json", assessment.ErrUnknownInstrument, []string{`assessment "a1": instrument "no-such-instrument": unknown instrument`}},

	// Impossible windows, horizons, shifts and breaks (times in Europe/London, GMT on 23 March 2026).
	{"problem-window-latest-before-earliest.json", invalid, []string{`visit "v1": window 1: latest 09:00 before earliest 10:00`}},
	{"problem-window-target-outside.json", invalid, []string{`visit "v1": window 1.target: 11:00 outside the window [08:00, 09:00]`}},
	{"problem-window-outside-horizon.json", invalid, []string{`visit "v3": window 1: outside the horizon [2026-03-23 00:00, 2026-03-24 00:00]`}},
	{"problem-window-missing-latest.json", invalid, []string{`visit "v1": window 1.latest: is required`}},
	{"problem-windows-overlap.json", invalid, []string{`visit "v1": window 2: starts 08:30, before window 1 ends at 09:00`}},
	{"problem-windows-none.json", invalid, []string{`visit "v1": windows: at least one window is required`}},
	{"problem-horizon-end-before-start.json", invalid, []string{`problem "base": end: 2026-03-22 00:00 not after start 2026-03-23 00:00`}},
	{"problem-shift-end-before-start.json", invalid, []string{`shift "s1": end: 06:00 not after start 07:00`}},
	{"problem-shifts-overlap.json", invalid, []string{`shift "s3": start: 14:00 overlaps shift "s1" of worker "w1", which ends 15:00`}},
	{"problem-break-outside-shift.json", invalid, []string{`shift "s1": break 1: not inside the shift [07:00, 15:00]`}},
	{"problem-leave-outside-horizon.json", invalid, []string{`worker "w1": leave[0]: [2025-03-23 10:00, 2025-03-23 12:00) outside the horizon`}},
	{"plan-end-before-start.json", invalid, []string{`plan "p1": end: before start`}},
	{"plan-impossible-time-of-day.json", invalid, []string{`plan "p1": task "wash".times[0]:`, `"25:00"`}},
	{"solomon-due-before-ready.txt", format, []string{"line 12: node 2: due date 800 before ready time 825"}},

	// Negative durations and other numbers out of range.
	{"problem-negative-duration.json", invalid, []string{`visit "v1": duration: must be positive, got -30m0s`}},
	{"problem-zero-duration.json", invalid, []string{`visit "v1": duration: must be positive, got 0s`}},
	{"problem-negative-min-gap.json", invalid, []string{`visit "v2": dependencies[0].min_gap: must not be negative, got -10m0s`}},
	{"problem-negative-max-shift.json", invalid, []string{`problem "base": rules.max_shift: must not be negative, got -1h0m0s`}},
	{"problem-negative-break-length.json", invalid, []string{`shift "s1": break 1.length: must be positive, got -30m0s`}},
	{"problem-negative-load.json", invalid, []string{`visit "v1": load: must not be negative, got -1`}},
	{"problem-negative-weight.json", invalid, []string{`problem "base": weights.travel_time: must be a finite number >= 0, got -1`}},
	{"problem-negative-capacity.json", invalid, []string{`shift "s1": capacity: must not be negative, got -5`}},
	{"problem-carers-three.json", invalid, []string{`visit "v1": carers: must be 1 or 2`, "got 3"}},
	{"rota-negative-travel.json", invalid, []string{`shift "s1": routes[0].legs[0].travel: must not be negative, got -10m0s`}},
	{"plan-negative-minutes.json", invalid, []string{`plan "p1": task "wash".minutes: -30 outside [1, 1440]`}},
	{"assessment-transfer-carers-three.json", invalid, []string{`assessment "a1"`, "transferCarers: must be 0, 1 or 2, got 3"}},
	{"solomon-negative-service.txt", format, []string{"line 11: node 1: service time -90 must not be negative"}},
	{"solomon-negative-demand.txt", format, []string{"line 11: node 1: demand -10 must not be negative"}},
	{"solomon-negative-capacity.txt", format, []string{"line 5: capacity -200 must not be negative"}},
	{"solomon-zero-vehicles.txt", format, []string{"line 5: vehicle number 0 must be positive"}},

	// NaN and huge coordinates (JSON has no NaN: as a string, a literal, 1e309, out of range).
	{"problem-coordinate-nan-string.json", decode, []string{"field service_users[0].location", "cannot unmarshal string"}},
	{"problem-coordinate-1e309.json", decode, []string{"field service_users[0].location", "1e309"}},
	{"problem-coordinate-lat-91.json", invalid, []string{`service user "su1": location: latitude 91 outside [-90, 90]`}},
	{"problem-coordinate-lon-181.json", invalid, []string{`worker "w1": home: longitude 181 outside [-180, 180]`}},
	{"problem-coordinate-visit-lat-minus-91.json", invalid, []string{`visit "v1": location: latitude -91 outside [-90, 90]`}},
	{"problem-coordinate-shift-start-lon-1e300.json", invalid, []string{`shift "s1": start_at/end_at: longitude 1e+300 outside [-180, 180]`}},
	{"solomon-huge-coordinate.txt", format, []string{"line 11: node 1: x 4500000000 out of range"}},
	{"solomon-wrongtype-float-last-row.txt", format, []string{`line 13: x "42.5" is not an integer`}},
	{"solomon-wrongtype-float-middle-row.txt", format, []string{`line 11: x "45.5" is not an integer`}},
	{"solomon-missing-column-last-row.txt", format, []string{"line 13: 6 numbers, want 7 (node id, x, y, demand, ready time, due date, service time)"}},

	// Times without zones, unknown zones.
	{"problem-time-without-zone-window.json", decode, []string{"field visits[0].windows[0].earliest", `"2026-03-23T08:00:00"`}},
	{"problem-time-without-zone-start.json", decode, []string{"line 3", "field start", `"2026-03-23T00:00:00"`}},
	{"problem-time-without-zone-shift.json", decode, []string{"field shifts[1].end", `"2026-03-23T20:00:00"`}},
	{"problem-time-date-only.json", decode, []string{"field end", `"2026-03-24"`}},
	{"rota-time-without-zone.json", decode, []string{"field assignments[0].start", `"2026-03-23T08:00:00"`}},
	{"problem-time-zone-unknown.json", invalid, []string{`problem "base": time_zone: unknown time zone "Mars/Olympus_Mons"`}},
	{"problem-time-zone-missing.json", invalid, []string{`problem "base": time_zone: is required`}},
	{"assessment-time-without-zone.json", invalid, []string{"decode assessment", "field date", `"2026-03-20T10:00:00"`}},
	{"plan-time-without-zone.json", invalid, []string{"decode plan", "field start", `"2026-04-01T00:00:00"`}},
	{"plan-unknown-time-zone.json", invalid, []string{`plan "p1": time_zone: unknown time zone "Mars/Olympus_Mons"`}},

	// Cyclic dependencies between visits.
	{"problem-cyclic-dependency-two.json", invalid, []string{`visit "v1": dependencies: cyclic dependencies: v1 -> v2 -> v1`}},
	{"problem-cyclic-dependency-three.json", invalid, []string{`visit "v1": dependencies: cyclic dependencies: v1 -> v3 -> v2 -> v1`}},
	{"problem-cyclic-dependency-self.json", invalid, []string{`visit "v1": dependencies[0].visit: a visit cannot depend on itself`}},

	// Unknown codes, malformed IDs, contradictions.
	{"problem-pinned-and-excluded.json", invalid, []string{`visit "v1": pinned[0]: worker "w1" is both pinned and excluded`}},
	{"problem-unknown-visit-kind.json", invalid, []string{`visit "v1": kind: unknown visit kind "gardening"`}},
	{"problem-unknown-role.json", invalid, []string{`worker "w1": role: unknown role "wizard"`}},
	{"problem-unknown-travel-model.json", invalid, []string{`problem "base": travel.model: unknown travel model "teleport"`}},
	{"problem-matrix-missing.json", invalid, []string{`problem "base": travel.matrix: is required for the matrix model`}},
	{"problem-bad-skill-code.json", invalid, []string{`visit "v1": skills[0]: skill code "Hoist!" may hold only`}},
	{"problem-id-control-character.json", invalid, []string{`visit "v\x011": id:`, "contains a control character"}},
	{"problem-id-leading-space.json", invalid, []string{`worker " w1": id:`, "has leading or trailing space"}},
	{"problem-worker-no-home-no-start.json", invalid, []string{`shift "s2": start_at: worker "w2" has no home, so the shift needs start_at and end_at`}},
	{"rota-unknown-reason.json", invalid, []string{`visit "v3": unassigned[0].reason: unknown reason "felt_like_it"`}},
	{"plan-unknown-status.json", invalid, []string{`plan "p1": status: unknown status "maybe"`}},
	{"assessment-unknown-cognition.json", invalid, []string{`assessment "a1"`, `cognition: unknown level "confused"`}},
	{"assessment-unknown-outcome.json", invalid, []string{`assessment "a1"`, `outcomes: unknown outcome "flying"`}},
	{"solomon-node-id-gap.txt", format, []string{"line 12: node id 5: want 2"}},
	{"solomon-no-fleet-line.txt", format, []string{"no vehicle number and capacity line"}},
	{"solomon-no-nodes.txt", format, []string{"no node lines"}},
}

// solveCase is a problem that is valid but cannot be fully served: per the
// routing package doc, Solve leaves the visit unassigned with a reason
// rather than rejecting the problem (Problem.Validate does not look at
// eligibility; a worker without shifts is allowed, e.g. on a day off).
type solveCase struct {
	file   string
	visit  schedule.VisitID
	reason schedule.Reason
}

var solveCases = []solveCase{
	// A double-handed visit needing a hoist, with one worker holding it: no second carer.
	{"solve-double-handed-one-eligible.json", "v1", schedule.NoPartner},
	// Visit v3 pinned to worker w3, who has no shift: eligible, so no_shift.
	{"solve-worker-no-shifts.json", "v3", schedule.NoShift},
}

// huge stands, in the replacements of replaceBase, for a 10 MB string
// (bigString); the string is made only when a case runs.
const huge = "@10MB@"

// bigString returns 10 MB of "x", or 1 MB under the race detector: the
// readers are sequential, so the race run gains nothing from the larger size
// and decoding 10 MB with race instrumentation takes 2 to 9 s a case. Both
// are far above maxErrLen, so the echo checks are the same.
func bigString() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				return strings.Repeat("x", 1<<20)
			}
		}
	}
	return strings.Repeat("x", 10<<20)
}

// replaceBase returns an input made from a base file with old replaced by
// new, pairwise, once each, huge in new standing for 10 MB of "x"; the test
// fails if an old string is absent.
func replaceBase(file string, pairs ...string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		b, err := os.ReadFile(filepath.Join(badDir, file))
		require.NoError(t, err)
		s := string(b)
		require.Zero(t, len(pairs)%2, "replaceBase takes old, new pairs")
		for i := 0; i < len(pairs); i += 2 {
			require.Contains(t, s, pairs[i], "%s: the base changed", file)
			s = strings.Replace(s, pairs[i], strings.ReplaceAll(pairs[i+1], huge, bigString()), 1)
		}
		return []byte(s)
	}
}

// hugeCase is a generated input with a 10 MB string (bigString): the error
// must come quickly, name the field and not echo the string.
type hugeCase struct {
	name  string
	input func(t *testing.T) []byte
	read  reader
	want  []string
}

var hugeCases = []hugeCase{
	{"problem-10mb-time-zone", replaceBase(baseProblem, `"Europe/London"`, `"@10MB@"`), readProblem,
		[]string{`problem "base": time_zone: unknown time zone "xxx`}},
	{"problem-10mb-visit-kind", replaceBase(baseProblem, `"meal"`, `"@10MB@"`), readProblem,
		[]string{`visit "v3": kind: unknown visit kind "xxx`}},
	{"problem-10mb-duration", replaceBase(baseProblem, `1200`, `"@10MB@"`), readProblem,
		[]string{"field visits[2].duration", "whole number of seconds"}},
	{"problem-10mb-skill", replaceBase(baseProblem, `"kind": "meal"`, `"kind": "meal", "skills": ["@10MB@"]`), readProblem,
		[]string{`visit "v3": skills[0]: skill code must have 1 to 64 characters, got `}},
	{"plan-10mb-status", replaceBase(basePlan, `"draft"`, `"@10MB@"`), readPlan,
		[]string{`plan "p1": status: unknown status "xxx`}},
	{"solomon-10mb-line", func(t *testing.T) []byte {
		b, err := os.ReadFile(filepath.Join(badDir, "solomon-negative-service.txt"))
		require.NoError(t, err)
		return []byte(strings.Replace(string(b), "C101\n", "C101\n"+bigString()+"x\n", 1))
	}, readSolomon, []string{"line 2", "token too long"}},
	// No input value is echoed whole: IDs, keys, times and codes are clipped.
	{"problem-10mb-name", replaceBase(baseProblem, `"name": "base"`, `"name": "@10MB@", "time_zone": "Nowhere"`, `"time_zone": "Europe/London",`, ""), readProblem,
		[]string{`problem "xxx`, `…": time_zone: unknown time zone "Nowhere"`}},
	{"problem-10mb-visit-id", replaceBase(baseProblem, `"id": "v3"`, `"id": "@10MB@"`), readProblem,
		[]string{`visit "xxx`, `…": id: longer than 128 bytes`}},
	{"problem-10mb-time", replaceBase(baseProblem, `"2026-03-23T17:00:00Z"`, `"@10MB@"`), readProblem,
		[]string{"field visits[2].windows[0].earliest", `parsing time "xxx`}},
	{"problem-10mb-unknown-field", replaceBase(baseProblem, `"kind": "meal"`, `"kind": "meal", "@10MB@": 1`), readProblem,
		[]string{"field visits[2].xxx", `unknown field "xxx`}},
	{"plan-10mb-id", replaceBase(basePlan, `"p1"`, `"@10MB@"`), readPlan,
		[]string{`plan "xxx`, `…": id: longer than 128 bytes`}},
	{"assessment-10mb-id", replaceBase(baseAssessment, `"a1"`, `"@10MB@"`), readAssessment,
		[]string{`assessment "xxx`, `…": id: longer than 128 bytes`}},
	{"assessment-10mb-person-id", replaceBase(baseAssessment, `"personId": "`, `"personId": "@10MB@`), readAssessment,
		[]string{`assessment "a1": personId: longer than 128 bytes`}},
	{"assessment-10mb-outcome", replaceBase(baseAssessment, `"impairment"`, `"outcomes": {"@10MB@": {}}, "impairment"`), readAssessment,
		[]string{`outcomes: unknown outcome "xxx`}},
	{"assessment-10mb-time", replaceBase(baseAssessment, `"date": "`, `"date": "@10MB@`), readAssessment,
		[]string{"field date", `parsing time "xxx`}},
}

// maxErrLen bounds the length of an error from a huge input: enough for a
// field path, an ID and a truncated value, far from 10 MB.
const maxErrLen = 1000

func TestBadInput(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(badDir, c.file))
			require.NoError(t, err)
			read := readerFor(t, c.file)
			err, panicked := guarded(c.file, func() error { return read(t, b) })
			require.False(t, panicked, "%v", err)
			require.Error(t, err, "%s: bad input accepted", c.file)
			assert.ErrorIs(t, err, c.is, "%s", c.file)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w, "%s", c.file)
			}
		})
	}
}

func TestBadInputSolve(t *testing.T) {
	for _, c := range solveCases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(badDir, c.file))
			require.NoError(t, err)
			var res *routing.Result
			err, panicked := guarded(c.file, func() error {
				p, err := schedule.Decode(bytes.NewReader(b))
				if err != nil {
					return err
				}
				res, err = routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 50})
				return err
			})
			require.False(t, panicked, "%v", err)
			require.NoError(t, err, "%s: the problem is valid; the visit must be left unassigned with a reason", c.file)
			i := slices.IndexFunc(res.Rota.Unassigned, func(u schedule.Unassigned) bool { return u.Visit == c.visit })
			require.GreaterOrEqual(t, i, 0, "%s: visit %s must be unassigned, got %+v", c.file, c.visit, res.Rota.Unassigned)
			u := res.Rota.Unassigned[i]
			assert.Equal(t, c.reason, u.Reason, "%s: %s", c.file, u.Detail)
			assert.NotEmpty(t, u.Detail)
			for _, a := range res.Rota.Assignments {
				assert.NotEqual(t, c.visit, a.Visit, "%s: unassigned visit also assigned", c.file)
			}
		})
	}
}

func TestBadInputHuge(t *testing.T) {
	for _, c := range hugeCases {
		t.Run(c.name, func(t *testing.T) {
			in := c.input(t)
			// A linear scan of a big JSON string (json.Valid) calibrates
			// "quickly" for the machine, its load and the race detector: a
			// reader may make a few passes over the input, not one per byte.
			start := time.Now()
			require.True(t, json.Valid([]byte(`"`+bigString()+`"`)))
			scan := time.Since(start)
			start = time.Now()
			err, panicked := guarded(c.name, func() error { return c.read(t, in) })
			took := time.Since(start)
			require.False(t, panicked, "%v", err)
			require.Error(t, err, "%s: bad input accepted", c.name)
			msg := err.Error()
			assert.LessOrEqual(t, len(msg), maxErrLen, "%s: the error echoes the input (%d bytes): %.200s…", c.name, len(msg), msg)
			for _, w := range c.want {
				assert.Contains(t, msg, w, "%s", c.name)
			}
			// Measured: 2 to 10 scans (0.1 to 0.35 s without the race detector, 2 to 9 s with it).
			assert.Less(t, took, max(2*time.Second, 40*scan), "%s: too slow (a scan of the input takes %s)", c.name, scan)
			t.Logf("%s: error in %s (%.1f scans), %d bytes", c.name, took, float64(took)/float64(scan), len(msg))
		})
	}
}

// TestBadInputCatalogue checks the catalogue itself: the base inputs are
// valid, every committed file is in exactly one table, and there are at
// least 40 cases.
func TestBadInputCatalogue(t *testing.T) {
	for _, f := range []string{baseProblem, basePlan, baseAssessment} {
		b, err := os.ReadFile(filepath.Join(badDir, f))
		require.NoError(t, err)
		read := readerFor(t, f)
		err, panicked := guarded(f, func() error { return read(t, b) })
		require.False(t, panicked, "%v", err)
		require.NoError(t, err, "%s must be valid: the bad cases are derived from it", f)
	}
	listed := map[string]int{baseProblem: 1, basePlan: 1, baseAssessment: 1}
	for _, c := range badCases {
		listed[c.file]++
	}
	for _, c := range solveCases {
		listed[c.file]++
	}
	ents, err := os.ReadDir(badDir)
	require.NoError(t, err)
	files := map[string]bool{}
	for _, e := range ents {
		files[e.Name()] = true
		assert.Equal(t, 1, listed[e.Name()], "%s: each file must be in exactly one table", e.Name())
	}
	for f := range listed {
		assert.True(t, files[f], "%s: listed but not in %s", f, badDir)
	}
	total := len(badCases) + len(solveCases) + len(hugeCases)
	assert.GreaterOrEqual(t, total, 40)
	t.Logf("catalogue: %d cases (%d files, %d solve, %d generated 10 MB)", total, len(badCases), len(solveCases), len(hugeCases))
}
