package schedule

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/carecoord/care"
)

// RedactRadius is how far, at most, Redact moves each geographic location:
// 250 metres, about a street's length, so that a home cannot be read off the
// map while travel times change by a minute or two.
const RedactRadius = 250.0

// Redact returns a copy of p fit to share with researchers. It keeps every
// ID, time, duration, skill, window, shift and rule, so the copy plans like
// the original; it removes what identifies or describes people:
//
//   - service users: display name, address, access notes and contacts;
//   - workers: name and employment checks (DBS dates and levels);
//   - leave: the reason (it may say sickness);
//   - the problem's name becomes "redacted".
//
// Geographic locations (every model but Euclidean) are each moved by a
// random offset of up to RedactRadius metres drawn from seed, the same place
// always to the same new place, so that people at one address (and the
// locations of an explicit matrix) still coincide; travel times of an
// explicit matrix are kept. Planar (Euclidean) coordinates are not places on
// the map and are kept. The same seed gives the same copy; the offsets cannot
// be undone without it, so keep the seed private.
//
// p is not changed. The copy is made through JSON, so an error means p could
// not be encoded (e.g. a NaN weight); a valid p always redacts.
func Redact(p *Problem, seed int64) (*Problem, error) {
	if p == nil {
		return nil, care.Invalid("problem", "", "", "nil")
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("redact: copy: %w", err)
	}
	var q Problem
	if err := json.Unmarshal(b, &q); err != nil {
		return nil, fmt.Errorf("redact: copy: %w", err)
	}
	q.Name = "redacted"
	for i := range q.ServiceUsers {
		u := &q.ServiceUsers[i]
		u.DisplayName, u.Address, u.AccessNotes, u.Contacts = "", "", "", nil
	}
	for i := range q.Workers {
		w := &q.Workers[i]
		w.Name, w.Checks = "", care.EmploymentChecks{}
	}
	for i := range q.Leave {
		q.Leave[i].Reason = ""
	}
	if q.Travel.Model == Euclidean {
		return &q, nil
	}
	j := jitter{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed_4ed4c7)), moved: map[care.Location]care.Location{}}
	for i := range q.ServiceUsers {
		j.move(&q.ServiceUsers[i].Location)
	}
	for i := range q.Workers {
		j.move(q.Workers[i].Home)
	}
	for i := range q.Visits {
		j.move(q.Visits[i].Location)
	}
	for i := range q.Shifts {
		j.move(q.Shifts[i].StartAt)
		j.move(q.Shifts[i].EndAt)
	}
	if m := q.Travel.Matrix; m != nil {
		for i := range m.Locations {
			j.move(&m.Locations[i])
		}
	}
	return &q, nil
}

// jitter moves locations by seeded random offsets, each distinct location
// once.
type jitter struct {
	rng   *rand.Rand
	moved map[care.Location]care.Location
}

// metresPerDegree is the length of a degree of latitude (and of longitude at
// the equator).
const metresPerDegree = 111_320.0

func (j *jitter) move(l *care.Location) {
	if l == nil {
		return
	}
	if to, ok := j.moved[*l]; ok {
		*l = to
		return
	}
	// Uniform over the disc of radius RedactRadius, kept at least a tenth
	// of it away from the original.
	d := RedactRadius * math.Sqrt(0.01+0.99*j.rng.Float64())
	theta := 2 * math.Pi * j.rng.Float64()
	lat := l.Lat() + d*math.Cos(theta)/metresPerDegree
	lon := l.Lon() + d*math.Sin(theta)/(metresPerDegree*max(math.Cos(l.Lat()*math.Pi/180), 1e-3))
	lat = max(-90, min(90, lat))
	if lon > 180 {
		lon -= 360
	} else if lon < -180 {
		lon += 360
	}
	to := care.NewLocation(lat, lon)
	j.moved[*l] = to
	*l = to
}
