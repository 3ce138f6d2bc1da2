package synth_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleIsReproducible(t *testing.T) {
	p, err := synth.Generate(synth.SampleConfig())
	require.NoError(t, err)
	b, err := synth.Encode(p)
	require.NoError(t, err)
	stored := synth.SampleJSON()
	assert.True(t, bytes.Equal(b, stored),
		"sample/week.json differs from Generate(SampleConfig()): run go generate ./schedule/synth")
	assert.Less(t, len(stored), 1<<20, "the sample must stay under 1 MB")
}

func TestSample(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.InDelta(t, 60, len(p.ServiceUsers), 5, "about 60 people")
	assert.GreaterOrEqual(t, len(p.Workers), 13, "about 15 workers")
	assert.LessOrEqual(t, len(p.Workers), 17, "about 15 workers")
	assert.Equal(t, 7, int(p.End.Sub(p.Start).Hours()+1)/24, "one week (23 hours shorter by a day when clocks go forward)")
	// Decoding and encoding again gives the stored bytes.
	b, err := synth.Encode(p)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(b, synth.SampleJSON()))
	// Each call gives a fresh copy.
	p.Visits = nil
	q, err := synth.Sample()
	require.NoError(t, err)
	assert.NotEmpty(t, q.Visits)
}

// TestSampleIsMakeable checks the properties that make the sample a fair
// week for a planner: the double-handed share, every run within the peak
// utilisation of the staff on duty, skills held, and someone on shift for
// every visit.
func TestSampleIsMakeable(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	loc, err := p.Loc()
	require.NoError(t, err)

	double, daily := 0, map[care.ServiceUserID]bool{}
	for _, v := range p.Visits {
		if v.CarersNeeded() == 2 {
			double++
		}
		if !strings.Contains(string(v.ID), "-day-") {
			daily[v.ServiceUser] = true
		}
	}
	share := float64(double) / float64(len(p.Visits))
	assert.GreaterOrEqual(t, share, 0.15, "double-handed share")
	assert.LessOrEqual(t, share, 0.25, "double-handed share")
	assert.Greater(t, len(daily), len(p.ServiceUsers)/4, "a good part of the people have daily calls")

	// Every run on every day: care and estimated travel within PeakUtilisation of
	// the care staff's minutes on duty in it (the brief's "at most about 80%").
	for run, loads := range runLoad(t, p) {
		for day, l := range loads {
			assert.LessOrEqual(t, l, synth.PeakUtilisation+0.005, "run %s day %d", run, day+1)
		}
	}
	// The weekday daytime run: care workers' shopping and domestic calls.
	careStaff := map[care.WorkerID]bool{}
	roles := map[care.Role]int{}
	for _, w := range p.Workers {
		careStaff[w.ID] = w.Role == care.RoleCareWorker || w.Role == care.RoleSeniorCarer
		roles[w.Role]++
	}
	for day := range 7 {
		y, m, d := p.Start.In(loc).Date()
		rs, re := time.Date(y, m, d+day, 10, 0, 0, 0, loc), time.Date(y, m, d+day, 16, 0, 0, 0, loc)
		var demand, supply float64
		for _, v := range p.Visits {
			if v.Kind == schedule.Domestic && strings.Contains(string(v.ID), fmt.Sprintf("-d%d-day", day+1)) {
				demand += float64(v.CarersNeeded()) * (v.Duration.Std().Minutes() + synth.TravelEstimateMinutes)
			}
		}
		for _, s := range p.Shifts {
			a, b := s.Start, s.End
			if a.Before(rs) {
				a = rs
			}
			if b.After(re) {
				b = re
			}
			if careStaff[s.Worker] && b.After(a) {
				supply += b.Sub(a).Minutes()
			}
		}
		if demand > 0 {
			assert.LessOrEqual(t, demand/supply, synth.PeakUtilisation, "day run, day %d", day+1)
		}
	}

	// Specialists: one of each role whose visits occur, available every weekday.
	for _, r := range []care.Role{care.RoleNurse, care.RoleChiropodist, care.RoleBefriender} {
		assert.Equal(t, 1, roles[r], "role %s", r)
	}
	assertSkillsCoveredSpecialistsAlone(t, p)
	assertEveryVisitHasShifts(t, p)
}

// assertSkillsCoveredSpecialistsAlone checks that every skill a visit demands
// is held by at least two workers over the whole horizon, except the skills
// of specialist roles, which an agency with one specialist of the role holds
// once.
func assertSkillsCoveredSpecialistsAlone(t *testing.T, p *schedule.Problem) {
	t.Helper()
	last := p.End.Add(-time.Nanosecond)
	specialist := map[care.Skill]bool{care.SkillNursing: true, care.SkillChiropody: true, care.SkillBefriending: true}
	holders := map[string]int{}
	for _, v := range p.Visits {
		key := fmt.Sprint(v.Skills)
		if _, ok := holders[key]; !ok {
			for i := range p.Workers {
				every := true
				for _, s := range v.Skills {
					every = every && p.Workers[i].HasSkill(s, p.Start) && p.Workers[i].HasSkill(s, last)
				}
				if every {
					holders[key]++
				}
			}
		}
		least := max(2, v.CarersNeeded())
		for _, s := range v.Skills {
			if specialist[s] {
				least = 1
			}
		}
		assert.GreaterOrEqual(t, holders[key], least, "visit %s: workers holding all of %v", v.ID, v.Skills)
	}
}

// assertEveryVisitHasShifts checks that each visit has, for each seat, a
// worker holding its skills on a shift of its day that spans one of its start
// times and its end (no shift in the generator crosses midnight).
func assertEveryVisitHasShifts(t *testing.T, p *schedule.Problem) {
	t.Helper()
	workers := map[care.WorkerID]*care.Worker{}
	for i := range p.Workers {
		workers[p.Workers[i].ID] = &p.Workers[i]
	}
	loc, err := p.Loc()
	require.NoError(t, err)
	day := func(at time.Time) string { return at.In(loc).Format(time.DateOnly) }
	byDay := map[string][]schedule.Shift{}
	for _, s := range p.Shifts {
		byDay[day(s.Start)] = append(byDay[day(s.Start)], s)
	}
	for _, v := range p.Visits {
		w := v.Windows[0]
		n := 0
		for _, s := range byDay[day(w.Earliest)] {
			if s.Start.After(w.Latest) || s.End.Before(w.Earliest.Add(v.Duration.Std())) {
				continue
			}
			ok := true
			for _, sk := range v.Skills {
				ok = ok && workers[s.Worker].HasSkill(sk, w.Earliest)
			}
			if ok {
				n++
			}
		}
		assert.GreaterOrEqual(t, n, v.CarersNeeded(), "visit %s: shifts of eligible workers", v.ID)
	}
}
