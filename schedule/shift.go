package schedule

import (
	"time"

	"github.com/carecoord/care"
)

// ShiftID identifies a shift.
type ShiftID string

// Shift is a span of time in which a worker is available to make visits. The
// worker leaves StartAt no earlier than Start and must be back at EndAt by End.
// Nil places mean the worker's home.
type Shift struct {
	ID      ShiftID        `json:"id"`                 // unique within the problem
	Worker  care.WorkerID  `json:"worker"`             // the worker available
	Start   time.Time      `json:"start"`              // earliest time to leave StartAt
	End     time.Time      `json:"end"`                // latest time to be back at EndAt; after Start
	StartAt *care.Location `json:"start_at,omitempty"` // nil = the worker's home
	EndAt   *care.Location `json:"end_at,omitempty"`   // nil = the worker's home
	// Breaks are unpaid breaks agreed for this shift, each to be taken within its window.
	Breaks []Break `json:"breaks,omitempty"`
	// Capacity limits the total Load of the shift's visits; 0 = no limit.
	Capacity int64 `json:"capacity,omitempty"`
	// Cost is a fixed cost incurred when the shift makes at least one visit (e.g. a bank worker's call-out).
	Cost float64 `json:"cost,omitempty"`
}

// Break is an unpaid break of Length to be started within [Earliest, Latest].
type Break struct {
	Earliest time.Time `json:"earliest"` // earliest start of the break
	Latest   time.Time `json:"latest"`   // latest start of the break; not before Earliest
	Length   Duration  `json:"length"`   // how long the break lasts
}

// Leave is a span in which a worker is not available (annual leave, sickness, training).
type Leave struct {
	Worker care.WorkerID `json:"worker"`           // the worker away
	From   time.Time     `json:"from"`             // start of the absence
	To     time.Time     `json:"to"`               // end of the absence; after From
	Reason string        `json:"reason,omitempty"` // e.g. "annual_leave", "sickness"; no health details
}
