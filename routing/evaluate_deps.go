package routing

import (
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// dependencies checks every served visit's Dependencies (see EvaluateWith).
// A visit B that depends on A breaks the dependency when:
//   - A is not served while B is (B cannot be shown to respect it);
//   - some worker of B starts less than MinGap after some worker of A ends
//     (the earliest start of B minus the latest end of A is below MinGap);
//   - MaxGap is set and some worker of B starts more than MaxGap after some
//     worker of A ends (the latest start of B minus the earliest end of A is
//     above MaxGap);
//   - the relation is SameWorker and no worker serves both, or
//     DifferentWorker and some worker serves both.
//
// An end is a worker's recomputed start plus the duration of their seat
// (schedule.Visit.SeatDurations; Duration for a visit without). With From
// "start" the starts of A take the place of its ends (REFERENCE.md §3 Reg
// 12(2)(i): care shared between workers is planned in step). B not served:
// nothing to check.
func (e *evaluation) dependencies() {
	for b := range e.p.Visits {
		vb := &e.p.Visits[b]
		if len(e.servers[b]) == 0 {
			continue
		}
		wb := e.servers[b][0]
		for di, d := range vb.Dependencies {
			a, ok := e.visitIdx[d.Visit]
			if !ok {
				continue // Problem.Validate rejects unknown visits
			}
			if len(e.servers[a]) == 0 {
				e.add(DependencyBroken, true, vb.ID, wb, "", "dependency %d: depends on visit %q, which is not served", di+1, d.Visit)
				continue
			}
			// The reference instants of A: each worker's end (or start).
			va := &e.p.Visits[a]
			refs := make([]time.Time, len(e.starts[a]))
			for i, st := range e.starts[a] {
				refs[i] = st
				if !d.StartToStart() {
					refs[i] = st.Add(e.seatDuration(va, e.servers[a][i]))
				}
			}
			what := "ends"
			if d.StartToStart() {
				what = "starts"
			}
			firstRefA := slices.MinFunc(refs, time.Time.Compare)
			lastRefA := slices.MaxFunc(refs, time.Time.Compare)
			firstStartB := slices.MinFunc(e.starts[b], time.Time.Compare)
			lastStartB := slices.MaxFunc(e.starts[b], time.Time.Compare)
			if gap := firstStartB.Sub(lastRefA); gap < d.MinGap.Std()-Tolerance {
				e.add(DependencyBroken, true, vb.ID, wb, "", "dependency %d: starts %s, %s after visit %q %s %s; needs at least %s",
					di+1, e.fmtTime(firstStartB), gap, d.Visit, what, e.fmtTime(lastRefA), d.MinGap)
			}
			if d.MaxGap > 0 {
				if gap := lastStartB.Sub(firstRefA); gap > d.MaxGap.Std()+Tolerance {
					e.add(DependencyBroken, true, vb.ID, wb, "", "dependency %d: starts %s, %s after visit %q %s %s; at most %s allowed",
						di+1, e.fmtTime(lastStartB), gap, d.Visit, what, e.fmtTime(firstRefA), d.MaxGap)
				}
			}
			shared := slices.ContainsFunc(e.servers[b], func(w care.WorkerID) bool { return slices.Contains(e.servers[a], w) })
			switch d.Worker {
			case schedule.SameWorker:
				if !shared {
					e.add(DependencyBroken, true, vb.ID, wb, "", "dependency %d: served by %v, none of whom serves visit %q (%v); the same worker is required",
						di+1, e.servers[b], d.Visit, e.servers[a])
				}
			case schedule.DifferentWorker:
				if shared {
					e.add(DependencyBroken, true, vb.ID, wb, "", "dependency %d: served by %v, sharing a worker with visit %q (%v); a different worker is required",
						di+1, e.servers[b], d.Visit, e.servers[a])
				}
			}
		}
	}
}
