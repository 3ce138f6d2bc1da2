package schedule

import (
	"time"

	"github.com/carecoord/care"
)

// VisitID identifies a visit.
type VisitID string

// Window is a span in which a visit may start. Earliest and Latest are hard:
// service never starts before Earliest (the carer waits) nor after Latest.
// Target, when set, is a soft latest start: starting after it costs
// PenaltyPerMinute for every minute late, up to Latest, which then acts as the
// hard cap on lateness.
type Window struct {
	Earliest         time.Time  `json:"earliest"`                     // hard: service never starts before it (the carer waits)
	Latest           time.Time  `json:"latest"`                       // hard: service never starts after it; not before Earliest
	Target           *time.Time `json:"target,omitempty"`             // soft latest start; nil = none (no lateness penalty)
	PenaltyPerMinute float64    `json:"penalty_per_minute,omitempty"` // cost per minute of starting after Target; used only with Target
}

// VisitKind is the main purpose of a visit.
type VisitKind string

// Kinds of visit.
const (
	PersonalCare VisitKind = "personal_care"
	Medication   VisitKind = "medication"
	Meal         VisitKind = "meal"
	Domestic     VisitKind = "domestic"
	Nursing      VisitKind = "nursing"
	Chiropody    VisitKind = "chiropody"
	Befriending  VisitKind = "befriending"
	Sitting      VisitKind = "sitting"
)

// VisitKinds lists the defined kinds in a stable order.
func VisitKinds() []VisitKind {
	return []VisitKind{PersonalCare, Medication, Meal, Domestic, Nursing, Chiropody, Befriending, Sitting}
}

// Role returns the role that alone may make a visit of kind k, with ok true:
// a nursing visit by a nurse, chiropody by a chiropodist and befriending by a
// volunteer befriender, as care.RoleFor reserves the matching skills. For
// the other kinds ok is false.
func (k VisitKind) Role() (r care.Role, ok bool) {
	switch k {
	case Nursing:
		return care.RoleFor(care.SkillNursing)
	case Chiropody:
		return care.RoleFor(care.SkillChiropody)
	case Befriending:
		return care.RoleFor(care.SkillBefriending)
	}
	return "", false
}

// WorkerRelation says whether two dependent visits must be, or must not be,
// served by the same worker.
type WorkerRelation string

// Worker relations of a dependency.
const (
	AnyWorker       WorkerRelation = ""
	SameWorker      WorkerRelation = "same"
	DifferentWorker WorkerRelation = "different"
)

// DependencyFrom says which moment of the other visit a Dependency's gaps
// are measured from.
type DependencyFrom string

// Reference points of a dependency.
const (
	// FromEnd measures the gaps from the end of the other visit (its start
	// plus its duration, per worker): "medicines four hours apart", "a
	// district nurse after personal care". It is the default; "" reads as it.
	FromEnd DependencyFrom = "end"
	// FromStart measures the gaps from the start of the other visit: two
	// carers who must arrive within N minutes of each other for separate
	// tasks (e.g. a nurse who dresses a wound starting 10 to 20 minutes
	// after a carer begins personal care: coordinated planning where care is
	// shared, REFERENCE.md §3 Reg 12(2)(i)), which from the end cannot say
	// when the second may begin while the first is still going on.
	FromStart DependencyFrom = "start"
)

// Dependency constrains a visit to start at least MinGap and at most MaxGap
// after another visit ends (From "end" or "", the default: e.g. medicines
// four hours apart; a district nurse after personal care) or starts (From
// "start": e.g. two carers who must arrive within N minutes of each other
// for separate tasks). MaxGap 0 means no maximum.
type Dependency struct {
	Visit  VisitID        `json:"visit"`             // the visit this one follows
	MinGap Duration       `json:"min_gap"`           // least time from the end (or start, see From) of Visit to the start of this visit
	MaxGap Duration       `json:"max_gap,omitempty"` // most time from the end (or start) of Visit to the start of this visit; 0 = no maximum
	Worker WorkerRelation `json:"worker,omitempty"`  // same, different or any worker ("")
	// From is what the gaps are measured from: "end" (or "", the default) = the end of Visit, "start" = its start.
	From DependencyFrom `json:"from,omitempty"`
}

// StartToStart reports whether the dependency's gaps are measured from the
// start of the other visit (From "start") rather than its end.
func (d Dependency) StartToStart() bool { return d.From == FromStart }

// Visit is one call at a person's home, to be served by one worker or, when
// Carers is 2, by two workers who start together (a double-handed visit).
type Visit struct {
	ID          VisitID            `json:"id"`           // unique within the problem
	ServiceUser care.ServiceUserID `json:"service_user"` // the person visited
	// Location overrides the service user's location (e.g. a day centre); nil = the person's home.
	Location *care.Location `json:"location,omitempty"`
	Windows  []Window       `json:"windows"` // one or more spans in which the visit may start
	// Duration is the time of service at the visit, excluding travel; for a double-handed visit with
	// SeatDurations, the longest seat's (the time the visit occupies the place).
	Duration Duration  `json:"duration"`
	Kind     VisitKind `json:"kind"` // main purpose; nursing, chiropody and befriending are reserved to a role (VisitKind.Role)
	// Skills every carer on the visit must hold, valid on the visit's date.
	Skills []care.Skill `json:"skills,omitempty"`
	// Carers is the number of workers needed, 1 or 2; 0 is read as 1.
	Carers int `json:"carers,omitempty"`
	// SeatSkills, for a double-handed visit, lists extra skills per seat (length Carers), e.g. a senior who leads the transfer.
	SeatSkills [][]care.Skill `json:"seat_skills,omitempty"`
	// SeatDurations, for a double-handed visit, gives each seat its own time of service (length Carers,
	// each positive, the longest equal to Duration), e.g. a carer who stays on for personal care after
	// the second worker needed only for the hoist transfer leaves. Both seats still start together
	// (REFERENCE.md §5.7, rule DBL-SYNC); the worker listed i-th in the visit's Assignment takes
	// seat i. Empty: every seat lasts Duration.
	SeatDurations []Duration `json:"seat_durations,omitempty"`
	// Priority orders visits for dropping when not all can be served: higher is more important. 0 is normal.
	Priority int `json:"priority,omitempty"`
	// TimeCritical marks a visit that must never start outside its windows, such as time-critical medicines (NICE NG67).
	TimeCritical bool            `json:"time_critical,omitempty"`
	Pinned       []care.WorkerID `json:"pinned,omitempty"`       // hard: exactly these workers
	Preferred    []care.WorkerID `json:"preferred,omitempty"`    // soft: continuity of care
	Excluded     []care.WorkerID `json:"excluded,omitempty"`     // hard: never these workers
	Dependencies []Dependency    `json:"dependencies,omitempty"` // constraints on when the visit starts relative to other visits
	// Load is the amount the visit takes from a worker's capacity (VRPTW demand); 0 for most home care.
	Load int64 `json:"load,omitempty"`
}

// CarersNeeded returns the number of carers the visit needs: Carers, or 1 when it is 0.
func (v *Visit) CarersNeeded() int {
	if v.Carers <= 0 {
		return 1
	}
	return v.Carers
}

// SeatDuration returns the time of service of seat i (0 or 1) of the visit:
// SeatDurations[i] when given, else Duration.
func (v *Visit) SeatDuration(i int) Duration {
	if i >= 0 && i < len(v.SeatDurations) {
		return v.SeatDurations[i]
	}
	return v.Duration
}
