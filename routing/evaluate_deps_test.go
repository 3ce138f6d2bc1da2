package routing

import (
	"time"

	"testing"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rotaOf builds a consistent rota from routes (worker, shift, visits): one
// assignment per served visit with the workers of the routes serving it, and
// every other visit of p listed as unassigned.
func rotaOf(p *schedule.Problem, routes ...schedule.Route) *schedule.Rota {
	r := &schedule.Rota{Routes: routes}
	who := map[schedule.VisitID][]care.WorkerID{}
	for _, rt := range routes {
		for _, v := range rt.Visits {
			who[v] = append(who[v], rt.Worker)
		}
	}
	for _, v := range p.Visits {
		if ws, ok := who[v.ID]; ok {
			r.Assignments = append(r.Assignments, schedule.Assignment{Visit: v.ID, Workers: ws})
		} else {
			r.Unassigned = append(r.Unassigned, schedule.Unassigned{Visit: v.ID, Reason: schedule.NotWorthIt})
		}
	}
	return r
}

func route(w care.WorkerID, s schedule.ShiftID, visits ...schedule.VisitID) schedule.Route {
	return schedule.Route{Worker: w, Shift: s, Visits: visits}
}

// kinds returns the violations of one kind.
func kinds(rep *Report, k ViolationKind) []Violation {
	var out []Violation
	for _, v := range rep.Violations {
		if v.Kind == k {
			out = append(out, v)
		}
	}
	return out
}

// TestEvaluateDependencies: each breach of a dependency and its legal twin.
// In planar(), w1 on a then b: a starts 08:10 and ends 08:40; b is 5 units
// on, so it starts 08:45: a gap of 5 minutes. w1 on a then c: c (u3, 6.7
// units from u1) waits for its window and starts 10:00, 80 minutes after a
// ends. w2 alone on c also starts it at 10:00.
func TestEvaluateDependencies(t *testing.T) {
	cases := []struct {
		name   string
		dep    schedule.Dependency
		on     schedule.VisitID // the visit carrying the dependency
		routes []schedule.Route
		carers int // of c; 0 = 1
		detail string
	}{
		{"min gap 10m, gap 5m", schedule.Dependency{Visit: "a", MinGap: schedule.Minutes(10)}, "b",
			[]schedule.Route{route("w1", "s1", "a", "b")}, 0,
			`dependency 1: starts 2026-03-02 08:45:00.000, 5m0s after visit "a" ends 2026-03-02 08:40:00.000; needs at least 10m0s`},
		{"min gap 5m, gap 5m", schedule.Dependency{Visit: "a", MinGap: schedule.Minutes(5)}, "b",
			[]schedule.Route{route("w1", "s1", "a", "b")}, 0, ""},
		{"starts before a ends", schedule.Dependency{Visit: "a"}, "b",
			// w2 alone on b starts 08:30, ten minutes before a ends at 08:40.
			[]schedule.Route{route("w1", "s1", "a"), route("w2", "s2", "b")}, 0,
			`dependency 1: starts 2026-03-02 08:30:00.000, -10m0s after visit "a" ends 2026-03-02 08:40:00.000; needs at least 0s`},
		{"max gap 4m, gap 5m", schedule.Dependency{Visit: "a", MaxGap: schedule.Minutes(4)}, "b",
			[]schedule.Route{route("w1", "s1", "a", "b")}, 0,
			`dependency 1: starts 2026-03-02 08:45:00.000, 5m0s after visit "a" ends 2026-03-02 08:40:00.000; at most 4m0s allowed`},
		{"max gap 5m, gap 5m", schedule.Dependency{Visit: "a", MaxGap: schedule.Minutes(5)}, "b",
			[]schedule.Route{route("w1", "s1", "a", "b")}, 0, ""},
		{"same worker, other worker", schedule.Dependency{Visit: "a", Worker: schedule.SameWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a"), route("w2", "s2", "c")}, 0,
			`dependency 1: served by [w2], none of whom serves visit "a" ([w1]); the same worker is required`},
		{"same worker, same worker", schedule.Dependency{Visit: "a", Worker: schedule.SameWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a", "c")}, 0, ""},
		{"different worker, same worker", schedule.Dependency{Visit: "a", Worker: schedule.DifferentWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a", "c")}, 0,
			`dependency 1: served by [w1], sharing a worker with visit "a" ([w1]); a different worker is required`},
		{"different worker, other worker", schedule.Dependency{Visit: "a", Worker: schedule.DifferentWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a"), route("w2", "s2", "c")}, 0, ""},
		{"a not served", schedule.Dependency{Visit: "a"}, "c",
			[]schedule.Route{route("w2", "s2", "c")}, 0,
			`dependency 1: depends on visit "a", which is not served`},
		{"a served", schedule.Dependency{Visit: "a"}, "c",
			[]schedule.Route{route("w1", "s1", "a"), route("w2", "s2", "c")}, 0, ""},
		{"c not served, a not served", schedule.Dependency{Visit: "a"}, "c",
			[]schedule.Route{route("w1", "s1", "b")}, 0, ""},
		// Double-handed c (w1 and w2 both start at 10:00): "same" holds when one of them served a.
		{"double-handed, same holds through one seat", schedule.Dependency{Visit: "a", Worker: schedule.SameWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a", "c"), route("w2", "s2", "c")}, 2, ""},
		{"double-handed, different fails through one seat", schedule.Dependency{Visit: "a", Worker: schedule.DifferentWorker}, "c",
			[]schedule.Route{route("w1", "s1", "a", "c"), route("w2", "s2", "c")}, 2,
			`dependency 1: served by [w1 w2], sharing a worker with visit "a" ([w1]); a different worker is required`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := planar()
			p.Visits[1].Windows[0].Target = nil
			p.Visits[2].Carers = tc.carers
			for i := range p.Visits {
				if p.Visits[i].ID == tc.on {
					p.Visits[i].Dependencies = []schedule.Dependency{tc.dep}
				}
			}
			rep, err := Evaluate(p, rotaOf(p, tc.routes...))
			require.NoError(t, err)
			got := kinds(rep, DependencyBroken)
			if tc.detail == "" {
				assert.Empty(t, rep.Violations)
				return
			}
			require.Len(t, got, 1, "%v", rep.Violations)
			assert.True(t, got[0].Hard)
			assert.Equal(t, tc.on, got[0].Visit)
			assert.Equal(t, tc.detail, got[0].Detail)
			assert.Len(t, rep.Hard(), 1, "only the dependency: %v", rep.Violations)
		})
	}
}

// TestEvaluateDependencyOnDoubleHandedVisit: c is double-handed with a
// 15-minute together tolerance. w2 alone starts it at 09:00 (window opened
// to 09:00); w1 comes after a and b, b ends 09:05 and u2→u3 is √40 ≈ 6.32
// units, so w1 starts c at about 09:11:19. c's ends are 09:15 and about
// 09:26:19. d (next day, w1's shift s3) starts 2026-03-03 08:10 and depends
// on c: measured from c's latest end for MinGap (22h43m41s) and from its
// earliest end for MaxGap (22h55m).
func TestEvaluateDependencyOnDoubleHandedVisit(t *testing.T) {
	cases := []struct {
		name     string
		min, max time.Duration
		want     string // "" = holds
	}{
		{"min from the latest end", 22*time.Hour + 50*time.Minute, 0, "needs at least 22h50m0s"},
		{"max from the earliest end", 0, 22*time.Hour + 50*time.Minute, "at most 22h50m0s allowed"},
		{"both hold", 22*time.Hour + 40*time.Minute, 23 * time.Hour, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := lawProblem()
			p.TogetherTolerance = schedule.Minutes(15)
			p.Shifts[0].Capacity = 0 // three visits of load 4
			p.Visits[2].Carers = 2
			p.Visits[2].Windows[0].Earliest = at(9, 0)
			p.Visits[3].Dependencies = []schedule.Dependency{{Visit: "c", MinGap: schedule.Duration(tc.min), MaxGap: schedule.Duration(tc.max)}}
			rep, err := Evaluate(p, rotaOf(p, route("w1", "s1", "a", "b", "c"), route("w2", "s2", "c"), route("w1", "s3", "d")))
			require.NoError(t, err)
			var starts []time.Time
			for _, rr := range rep.Routes {
				for _, st := range rr.Stops {
					if st.Visit == "c" {
						starts = append(starts, st.Start)
					}
				}
			}
			require.Len(t, starts, 2)
			assert.Equal(t, at(9, 11), starts[0].Truncate(time.Minute), "w1")
			assert.Equal(t, at(9, 0), starts[1], "w2")
			got := kinds(rep, DependencyBroken)
			if tc.want == "" {
				assert.Empty(t, rep.Violations)
				return
			}
			require.Len(t, got, 1, "%v", rep.Violations)
			assert.Equal(t, schedule.VisitID("d"), got[0].Visit)
			assert.Contains(t, got[0].Detail, tc.want)
			assert.Len(t, rep.Violations, 1, "%v", rep.Violations)
		})
	}
}
