package synth

import (
	"fmt"

	"github.com/carecoord/care"
)

// Run is one of the daily runs of home care: a span of local time in which
// its visits start and end.
type Run struct {
	Name string // "morning", "lunch", "tea", "bed" or "day"
	// Suffix ends the IDs of the run's visits, e.g. "su0007-d2-am".
	Suffix string
	// Start and End are minutes after local midnight.
	Start, End int
}

// Hours formats the run's span as "07:00-10:00".
func (r Run) Hours() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", r.Start/60, r.Start%60, r.End/60, r.End%60)
}

// Runs returns the runs in which the generator places visits, in the order of
// the day: morning 07:00–10:00, lunch 12:00–14:00, tea 16:30–18:00, bed
// 19:30–22:00, and the daytime run 10:00–16:00 of nursing, chiropody and
// befriending visits (weekdays only).
func Runs() []Run {
	return []Run{
		{Name: "morning", Suffix: "am", Start: 7 * 60, End: 10 * 60},
		{Name: "lunch", Suffix: "lunch", Start: 12 * 60, End: 14 * 60},
		{Name: "tea", Suffix: "tea", Start: 16*60 + 30, End: 18 * 60},
		{Name: "bed", Suffix: "bed", Start: 19*60 + 30, End: 22 * 60},
		{Name: "day", Suffix: "day", Start: 10 * 60, End: 16 * 60},
	}
}

const (
	runMorning = iota
	runLunch
	runTea
	runBed
	runDay
)

// restricted reports whether skills include one that only one role may hold
// (care.RoleFor).
func restricted(skills []care.Skill) bool {
	_, ok := reservedRole(skills)
	return ok
}

// reservedRole returns the role that one of skills is reserved to
// (care.RoleFor: the last such skill when there are several), with ok true.
func reservedRole(skills []care.Skill) (r care.Role, ok bool) {
	for _, s := range skills {
		if only, reserved := care.RoleFor(s); reserved {
			r, ok = only, true
		}
	}
	return r, ok
}
