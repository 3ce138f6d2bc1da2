package search

// seg is the time-window segment data of a sequence of consecutive nodes
// (Vidal et al. 2013): minimal duration, time warp, earliest and latest start
// of the first node's service, and total load. A sequence is time-feasible
// iff tw == 0.
type seg struct {
	dur   int64 // minimal duration (service + travel + waiting)
	tw    int64 // time warp (lateness needed to make it fit); 0 = feasible
	early int64 // earliest start of the first node
	late  int64 // latest start of the first node (without adding time warp)
	load  int64 // total demand
}

// concat returns the data of a followed by b, with travel time t from the
// last node of a to the first node of b.
func concat(a seg, t int64, b seg) seg {
	delta := a.dur - a.tw + t
	wait := b.early - delta - a.late
	if wait < 0 {
		wait = 0
	}
	warp := a.early + delta - b.late
	if warp < 0 {
		warp = 0
	}
	early := b.early - delta
	if a.early > early {
		early = a.early
	}
	late := b.late - delta
	if a.late < late {
		late = a.late
	}
	return seg{
		dur:   a.dur + b.dur + t + wait,
		tw:    a.tw + b.tw + warp,
		early: early - wait,
		late:  late + warp,
		load:  a.load + b.load,
	}
}

// depotSegs returns the segments of a vehicle's start and end nodes.
func depotSegs(v *Vehicle) (start, end seg) {
	return seg{early: v.Start, late: v.End}, seg{early: v.Start, late: v.End}
}
