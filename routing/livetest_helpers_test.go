package routing

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The set-up shared by the live-operations tests (Recommend, Repair,
// Explain; live_*_test.go, recommend_test.go, repair_test.go): hand-built
// published rotas, checked clean, and rotas with one visit moved.

// liveStop is one worker's planned visit in a hand-built rota (see publishedRota).
type liveStop struct {
	visit  schedule.VisitID
	worker care.WorkerID
	shift  schedule.ShiftID
	start  time.Time // the planned start (Assignment.Start)
}

// publishedRota builds a rota from stops: one route per shift, in the order the
// shifts first appear, its visits in the order given; one assignment per
// visit, in the order the visits first appear, its workers in the order
// given (a double-handed visit has a stop per worker) and its planned
// start the first stop's.
func publishedRota(stops ...liveStop) *schedule.Rota {
	r := &schedule.Rota{}
	for _, s := range stops {
		i := slices.IndexFunc(r.Routes, func(rt schedule.Route) bool { return rt.Shift == s.shift })
		if i < 0 {
			r.Routes = append(r.Routes, schedule.Route{Worker: s.worker, Shift: s.shift})
			i = len(r.Routes) - 1
		}
		r.Routes[i].Visits = append(r.Routes[i].Visits, s.visit)
		j := slices.IndexFunc(r.Assignments, func(a schedule.Assignment) bool { return a.Visit == s.visit })
		if j < 0 {
			r.Assignments = append(r.Assignments, schedule.Assignment{Visit: s.visit, Start: s.start})
			j = len(r.Assignments) - 1
		}
		r.Assignments[j].Workers = append(r.Assignments[j].Workers, s.worker)
	}
	return r
}

// requireClean evaluates r against p and fails the test unless Evaluate
// accepts it with no hard violation; it returns the report.
func requireClean(t testing.TB, p *schedule.Problem, r *schedule.Rota) *Report {
	t.Helper()
	rep, err := Evaluate(p, r)
	require.NoError(t, err)
	require.Empty(t, rep.Hard(), "%v", rep.Hard())
	return rep
}

// assertRepaired checks a repair of published independently of Repair's
// own report: Evaluate finds no hard violation in the repaired rota
// (against the changed problem), and the Diff is exact (checkDiff).
func assertRepaired(t testing.TB, published *schedule.Rota, res *RepairResult) {
	t.Helper()
	rep, err := Evaluate(res.Problem, res.Rota)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())
	checkDiff(t, published, res)
}

// addWorker adds care worker id (by car, from the first worker's home)
// with shift from..to to p.
func addWorker(p *schedule.Problem, id care.WorkerID, shift schedule.ShiftID, from, to time.Time) {
	p.Workers = append(p.Workers, care.Worker{ID: id, Role: care.RoleCareWorker, TravelMode: care.Car, Home: p.Workers[0].Home})
	p.Shifts = append(p.Shifts, schedule.Shift{ID: shift, Worker: id, Start: from, End: to})
}

// explainThree is explainProblem (w1 on s1 with k1, X for ux, w2) with
// w2 on shift s2 and a worker w3 on s3, both 08:00–12:00.
func explainThree() *schedule.Problem {
	p := explainProblem()
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)})
	addWorker(p, "w3", "s3", at(8, 0), at(12, 0))
	return p
}

// placedAt returns r with visit id moved to the route of shift (worker w;
// the route is created when missing) at position pos, planned to start at
// start, every other assignment (and planned start) as in r, no legs.
func placedAt(r *schedule.Rota, id schedule.VisitID, w care.WorkerID, shift schedule.ShiftID, pos int, start time.Time) *schedule.Rota {
	out := &schedule.Rota{}
	found := false
	for _, rt := range r.Routes {
		rt.Legs = nil
		rt.Visits = slices.DeleteFunc(slices.Clone(rt.Visits), func(x schedule.VisitID) bool { return x == id })
		if rt.Shift == shift {
			rt.Visits = slices.Insert(rt.Visits, pos, id)
			found = true
		}
		out.Routes = append(out.Routes, rt)
	}
	if !found {
		out.Routes = append(out.Routes, schedule.Route{Worker: w, Shift: shift, Visits: []schedule.VisitID{id}})
	}
	for _, a := range r.Assignments {
		if a.Visit != id {
			out.Assignments = append(out.Assignments, a)
		}
	}
	out.Assignments = append(out.Assignments, schedule.Assignment{Visit: id, Workers: []care.WorkerID{w}, Start: start})
	for _, u := range r.Unassigned {
		if u.Visit != id {
			out.Unassigned = append(out.Unassigned, u)
		}
	}
	return out
}

// withInsertion returns a copy of r with visit id taken out of wherever it
// is and inserted into shift's route at pos, all planned starts cleared.
func withInsertion(p *schedule.Problem, r *schedule.Rota, id schedule.VisitID, shift schedule.ShiftID, pos int) *schedule.Rota {
	var worker care.WorkerID
	for _, sh := range p.Shifts {
		if sh.ID == shift {
			worker = sh.Worker
		}
	}
	return placedAt(stripStarts(r), id, worker, shift, pos, time.Time{})
}

// seatOrderPair is seatOrderProblem's first two visits, k1 with a window
// to 08:30 and k2 from 08:25 (see TestRecommendSeatDurations and
// TestRepairSeatOrderOfRepairedPair).
func seatOrderPair(t testing.TB) *schedule.Problem {
	p := seatOrderProblem()
	p.Visits = p.Visits[:2]
	p.Visits[0].Windows[0].Latest = at(8, 30)
	p.Visits[1].Windows[0].Earliest = at(8, 25)
	require.NoError(t, p.Validate())
	return p
}
