package careplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care/schedule"
)

// ErrTransition matches every refused lifecycle transition; use errors.As
// with *TransitionError for the details.
var ErrTransition = errors.New("transition not allowed")

// TransitionError is a refused lifecycle transition.
type TransitionError struct {
	Plan     PlanID // the plan
	From, To Status // the plan's status and the status asked for
	Reason   string // why it was refused
}

// Error implements error.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("plan %q: %s -> %s: %s", e.Plan, e.From, e.To, e.Reason)
}

// Is makes a TransitionError match ErrTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrTransition }

// transitions lists the allowed moves of the lifecycle.
var transitions = map[Status][]Status{
	Draft:       {Agreed, Ended},
	Agreed:      {Draft, Active, Ended},
	Active:      {UnderReview, Ended},
	UnderReview: {Active, Draft, Ended},
	Ended:       nil,
}

// Next lists the statuses a plan may move to from s.
func (s Status) Next() []Status { return slices.Clone(transitions[s]) }

// Transition moves the plan to status to at the instant at:
//   - draft -> agreed needs a valid plan with at least one task and an
//     Agreement (who agreed, Care Act s.25(3));
//   - agreed -> active sets Start to at when it is unset;
//   - active -> under_review opens a review (ReviewOpened = at);
//     under_review -> active closes it, recording a Review dated at by by
//     unless the caller added one since the review opened;
//     under_review -> draft reopens the plan for editing;
//   - any status but ended -> ended sets End; ended is final.
//
// Other moves are refused with a *TransitionError (matching ErrTransition)
// that names the plan, both statuses and the reason.
func (p *Plan) Transition(to Status, at time.Time, by string) error {
	refuse := func(reason string) error {
		return &TransitionError{Plan: p.ID, From: p.Status, To: to, Reason: reason}
	}
	if !slices.Contains(transitions[p.Status], to) {
		if p.Status == Ended {
			return refuse("an ended plan is final; write a new plan")
		}
		return refuse(fmt.Sprintf("allowed from %s: %v", p.Status, transitions[p.Status]))
	}
	switch to {
	case Agreed:
		if err := p.Validate(); err != nil {
			return fmt.Errorf("%w: %w", refuse("the plan is not valid"), err)
		}
		if len(p.Tasks) == 0 {
			return refuse("the plan has no tasks")
		}
		if p.Agreement == nil {
			return refuse("no record of who agreed the plan (Care Act s.25(3))")
		}
	case Active:
		if p.Status == Agreed {
			if p.Start == nil {
				s := at
				p.Start = &s
			}
		} else {
			if last := p.lastReview(); last == nil || p.ReviewOpened == nil || last.Before(*p.ReviewOpened) {
				p.Reviews = append(p.Reviews, Review{Date: at, By: by})
			}
			p.ReviewOpened = nil
		}
	case UnderReview:
		o := at
		p.ReviewOpened = &o
	case Ended:
		e := at
		p.End = &e
	}
	p.Status = to
	return nil
}

// TriggerKind is an event that calls for a review (Care Act s.27; NICE QS123 st.5).
type TriggerKind string

// Review triggers.
const (
	TriggerNewFlag   TriggerKind = "new_assessment_flag"
	TriggerHospital  TriggerKind = "hospital_admission"
	TriggerFall      TriggerKind = "fall"
	TriggerRequest   TriggerKind = "request" // the person, a carer or a professional asked
	TriggerChange    TriggerKind = "change_of_circumstances"
	TriggerSafeguard TriggerKind = "safeguarding"
)

// Trigger is an event that calls for a review.
type Trigger struct {
	Kind TriggerKind `json:"kind"`          // what happened
	At   time.Time   `json:"at"`            // when
	Ref  string      `json:"ref,omitempty"` // e.g. a flag code or incident ID
}

// Review is a review of the plan held on a date.
type Review struct {
	Date    time.Time `json:"date"`              // when it was held
	By      string    `json:"by,omitempty"`      // reviewer ID
	Outcome string    `json:"outcome,omitempty"` // plain words
}

// ReviewPolicy sets when reviews fall due. The zero value means the NICE
// and Care Act defaults (see DefaultReviewPolicy). Durations are encoded in
// JSON as whole seconds, like every schedule.Duration, e.g.
//
//	{"first": 3628800, "months": 12, "on_event": 604800}
type ReviewPolicy struct {
	First   schedule.Duration `json:"first"`    // after start; default 6 weeks (NICE QS123 st.5)
	Months  int               `json:"months"`   // after the last review; default 12 (Care Act s.27 guidance)
	OnEvent schedule.Duration `json:"on_event"` // after a trigger; default 7 days ◐ (a configurable choice)
}

// DefaultReviewPolicy returns the defaults: first review within 6 weeks of
// the start, then at least every 12 months, and within 7 days of a trigger
// event (REFERENCE §1.10, §4.1).
func DefaultReviewPolicy() ReviewPolicy {
	return ReviewPolicy{First: schedule.Duration(6 * 7 * 24 * time.Hour), Months: 12, OnEvent: schedule.Duration(7 * 24 * time.Hour)}
}

func (rp ReviewPolicy) withDefaults() ReviewPolicy {
	d := DefaultReviewPolicy()
	if rp.First > 0 {
		d.First = rp.First
	}
	if rp.Months > 0 {
		d.Months = rp.Months
	}
	if rp.OnEvent > 0 {
		d.OnEvent = rp.OnEvent
	}
	return d
}

// ReviewDue says when the next review is due and why.
type ReviewDue struct {
	Due     time.Time `json:"due"`               // when the review is due
	Reason  string    `json:"reason"`            // why then, in words
	Trigger *Trigger  `json:"trigger,omitempty"` // the trigger that brought it forward, if any
}

// ErrNotStarted matches asking for the review date of a plan not yet started.
var ErrNotStarted = errors.New("plan not started")

// NextReview returns the next review due: the first within policy.First of
// the start, then policy.Months after the last review, brought forward to
// policy.OnEvent after any trigger since the last review (or start). A plan
// without a start date has no review date (ErrNotStarted).
func (p *Plan) NextReview(policy ReviewPolicy) (ReviewDue, error) {
	if p.Start == nil {
		return ReviewDue{}, fmt.Errorf("plan %q: no start date: %w", p.ID, ErrNotStarted)
	}
	pol := policy.withDefaults()
	var due ReviewDue
	since := *p.Start
	if last := p.lastReview(); last == nil {
		due = ReviewDue{Due: p.Start.Add(pol.First.Std()), Reason: "first review within 6 weeks of the start (NICE QS123 st.5; Care Act s.27)"}
	} else {
		since = *last
		due = ReviewDue{Due: last.AddDate(0, pol.Months, 0), Reason: fmt.Sprintf("review at least every %d months (Care Act s.27)", pol.Months)}
	}
	for _, tr := range p.Triggers {
		if tr.At.Before(since) {
			continue
		}
		if d := tr.At.Add(pol.OnEvent.Std()); d.Before(due.Due) {
			t := tr
			due = ReviewDue{Due: d, Reason: fmt.Sprintf("review after %s", tr.Kind), Trigger: &t}
		}
	}
	return due, nil
}

func (p *Plan) lastReview() *time.Time {
	var last *time.Time
	for i := range p.Reviews {
		if last == nil || p.Reviews[i].Date.After(*last) {
			last = &p.Reviews[i].Date
		}
	}
	return last
}

// Version is one saved version of a plan: the plan as it stood, who
// changed it, why and when.
type Version struct {
	Number int       `json:"number"` // 1-based
	Author string    `json:"author"` // who made the change (staff ID)
	Reason string    `json:"reason"` // why
	Date   time.Time `json:"date"`   // when
	Plan   Plan      `json:"plan"`   // the plan as it stood
}

// History is the list of a plan's versions, oldest first. Each change to a
// plan is saved as a new version with its author, reason and date.
type History struct {
	Versions []Version `json:"versions"` // oldest first
}

// ErrVersion matches a refused save (wrong plan, missing author or reason,
// date before the previous version).
var ErrVersion = errors.New("version refused")

// Save records p as the next version, with a deep copy so later edits to p
// do not change the record, sets p.Version to its number and returns it.
func (h *History) Save(p *Plan, author, reason string, at time.Time) (Version, error) {
	if author == "" || reason == "" {
		return Version{}, fmt.Errorf("plan %q: author and reason are required: %w", p.ID, ErrVersion)
	}
	if n := len(h.Versions); n > 0 {
		prev := h.Versions[n-1]
		if prev.Plan.ID != p.ID {
			return Version{}, fmt.Errorf("plan %q: history is of plan %q: %w", p.ID, prev.Plan.ID, ErrVersion)
		}
		if at.Before(prev.Date) {
			return Version{}, fmt.Errorf("plan %q: date %s before version %d: %w", p.ID, at.Format(time.RFC3339), prev.Number, ErrVersion)
		}
	}
	p.Version = len(h.Versions) + 1
	cp, err := p.Clone()
	if err != nil {
		return Version{}, err
	}
	v := Version{Number: p.Version, Author: author, Reason: reason, Date: at, Plan: *cp}
	h.Versions = append(h.Versions, v)
	return v, nil
}

// Get returns version n (1-based).
func (h *History) Get(n int) (Version, bool) {
	if n < 1 || n > len(h.Versions) {
		return Version{}, false
	}
	return h.Versions[n-1], true
}

// Clone returns a deep copy of the plan.
func (p *Plan) Clone() (*Plan, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("plan %q: copy: %w", p.ID, err)
	}
	var cp Plan
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("plan %q: copy: %w", p.ID, err)
	}
	return &cp, nil
}
