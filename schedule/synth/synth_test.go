package synth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runHours are the run hours from the brief, written out independently of
// synth.Runs: minutes after local midnight.
var runHours = map[string][2]int{
	"am":    {7 * 60, 10 * 60},
	"lunch": {12 * 60, 14 * 60},
	"tea":   {16*60 + 30, 18 * 60},
	"bed":   {19*60 + 30, 22 * 60},
	"day":   {10 * 60, 16 * 60},
}

func minuteOfDay(t time.Time, loc *time.Location) int {
	l := t.In(loc)
	return l.Hour()*60 + l.Minute()
}

// km returns the great-circle distance between a and b.
func km(a, b care.Location) float64 {
	const r = 6371.0
	la1, la2 := a.Lat()*math.Pi/180, b.Lat()*math.Pi/180
	dla := la2 - la1
	dlo := (b.Lon() - a.Lon()) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func generate(t testing.TB, cfg synth.Config) *schedule.Problem {
	t.Helper()
	p, err := synth.Generate(cfg)
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   synth.Config
		field string
	}{
		{"no visits", synth.Config{}, "visits_per_day"},
		{"too many visits", synth.Config{VisitsPerDay: synth.MaxVisitsPerDay + 1}, "visits_per_day"},
		{"negative days", synth.Config{VisitsPerDay: 10, Days: -1}, "days"},
		{"too many days", synth.Config{VisitsPerDay: 10, Days: synth.MaxDays + 1}, "days"},
		{"negative workers", synth.Config{VisitsPerDay: 10, Workers: -3}, "workers"},
		{"town without name", synth.Config{VisitsPerDay: 10, Town: synth.Town{Centre: care.NewLocation(51, 0), RadiusKm: 5}}, "town.name"},
		{"town off the map", synth.Config{VisitsPerDay: 10, Town: synth.Town{Name: "x", Centre: care.NewLocation(95, 0), RadiusKm: 5}}, "town.centre"},
		{"town radius", synth.Config{VisitsPerDay: 10, Town: synth.Town{Name: "x", Centre: care.NewLocation(51, 0), RadiusKm: math.NaN()}}, "town.radius_km"},
		{"start year", synth.Config{VisitsPerDay: 10, Start: time.Date(1066, 10, 14, 0, 0, 0, 0, time.UTC)}, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, care.ErrInvalid)
			var fe *care.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			_, gerr := synth.Generate(tt.cfg)
			assert.ErrorIs(t, gerr, care.ErrInvalid, "Generate must refuse what Validate refuses")
		})
	}
	assert.NoError(t, synth.Config{VisitsPerDay: 10}.Validate())
	assert.NoError(t, synth.Config{VisitsPerDay: 10, Town: synth.Stockport()}.Validate())
}

func TestDeterministic(t *testing.T) {
	cfg := synth.Config{Seed: 42, VisitsPerDay: 300, Days: 3}
	a, err := json.Marshal(generate(t, cfg))
	require.NoError(t, err)
	b, err := json.Marshal(generate(t, cfg))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(a, b), "same seed must give byte-identical JSON")

	cfg.Seed = 43
	c, err := json.Marshal(generate(t, cfg))
	require.NoError(t, err)
	assert.False(t, bytes.Equal(a, c), "a different seed must give a different agency")
}

func TestTinyAgency(t *testing.T) {
	p := generate(t, synth.Config{Seed: 3, VisitsPerDay: 10})
	perDay := float64(len(p.Visits)) / 7
	assert.GreaterOrEqual(t, perDay, 10.0)
	assert.LessOrEqual(t, perDay, 13.0)
	assert.GreaterOrEqual(t, len(p.Workers), 2)
	for _, v := range p.Visits {
		assert.NotContains(t, []schedule.VisitKind{schedule.Nursing, schedule.Chiropody, schedule.Befriending}, v.Kind,
			"agencies under %d visits a day have no specialist visits", synth.SpecialistMinVisitsPerDay)
	}
	assertSkillsCovered(t, p)
}

func TestLargeAgency(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 visits a day: skipped with -short")
	}
	p := generate(t, synth.Config{Seed: 9, VisitsPerDay: 10000, Days: 1})
	assert.InDelta(t, 10000, len(p.Visits), 10)
	assertSkillsCovered(t, p)
}

func TestExplicitWorkers(t *testing.T) {
	p := generate(t, synth.Config{Seed: 5, VisitsPerDay: 400, Workers: 40})
	assert.Len(t, p.Workers, 40)

	_, err := synth.Generate(synth.Config{Seed: 5, VisitsPerDay: 400, Workers: 5})
	require.ErrorIs(t, err, care.ErrInvalid, "five workers cannot hold three specialist roles of two and two carers")
	var fe *care.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "workers", fe.Field)
}

func TestStockport(t *testing.T) {
	town := synth.Stockport()
	p := generate(t, synth.Config{Seed: 2, VisitsPerDay: 100, Town: town})
	for _, u := range p.ServiceUsers {
		assert.LessOrEqual(t, km(u.Location, town.Centre), town.RadiusKm+0.05, "service user %s", u.ID)
	}
	assert.Contains(t, p.Name, "stockport")
}

// assertSkillsCovered checks that every skill a visit demands is held by at
// least two workers, and all of a visit's skills together by as many workers
// as it needs carers, counting only qualifications valid over the whole
// horizon (so also at the visit's time).
func assertSkillsCovered(t *testing.T, p *schedule.Problem) {
	t.Helper()
	last := p.End.Add(-time.Nanosecond)
	holds := func(w *care.Worker, s care.Skill) bool { return w.HasSkill(s, p.Start) && w.HasSkill(s, last) }
	single := map[care.Skill]int{}
	for _, s := range care.CommonSkills() {
		for i := range p.Workers {
			if holds(&p.Workers[i], s) {
				single[s]++
			}
		}
	}
	all := map[string]int{}
	for _, v := range p.Visits {
		for _, s := range v.Skills {
			if !assert.GreaterOrEqual(t, single[s], 2, "visit %s: skill %s", v.ID, s) {
				return
			}
		}
		key := fmt.Sprint(v.Skills)
		n, ok := all[key]
		if !ok {
			for i := range p.Workers {
				every := true
				for _, s := range v.Skills {
					every = every && holds(&p.Workers[i], s)
				}
				if every {
					n++
				}
			}
			all[key] = n
		}
		if !assert.GreaterOrEqual(t, n, max(2, v.CarersNeeded()), "visit %s: workers holding all of %v", v.ID, v.Skills) {
			return
		}
	}
}

// TestShares checks a 2,000-visit-a-day agency against the brief.
func TestShares(t *testing.T) {
	cfg := synth.Config{Seed: 11, VisitsPerDay: 2000}
	p := generate(t, cfg)
	loc, err := p.Loc()
	require.NoError(t, err)
	days := 7
	assert.Equal(t, "Europe/London", p.TimeZone)
	assert.Equal(t, time.Date(2026, 3, 23, 0, 0, 0, 0, loc), p.Start)
	assert.Equal(t, time.Date(2026, 3, 30, 0, 0, 0, 0, loc), p.End)
	assert.Equal(t, schedule.UKDefaults(), p.Rules)
	assert.Equal(t, schedule.GreatCircle, p.Travel.Model)
	assert.Greater(t, p.Weights.Unassigned, 100*p.Weights.Continuity, "unassigned must dominate")
	assert.Greater(t, p.Weights.TravelTime, 0.0)
	assert.Greater(t, p.Weights.Continuity, 0.0)

	perDay := float64(len(p.Visits)) / float64(days)
	assert.GreaterOrEqual(t, perDay, 2000.0)
	assert.LessOrEqual(t, perDay, 2005.0)

	users := map[care.ServiceUserID]*care.ServiceUser{}
	for i := range p.ServiceUsers {
		users[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	workers := map[care.WorkerID]*care.Worker{}
	for i := range p.Workers {
		workers[p.Workers[i].ID] = &p.Workers[i]
	}

	t.Run("geography", func(t *testing.T) {
		town := synth.Reading()
		near := 0
		for _, u := range p.ServiceUsers {
			d := km(u.Location, town.Centre)
			assert.LessOrEqual(t, d, town.RadiusKm+0.05, "service user %s", u.ID)
			if d < town.RadiusKm/2 {
				near++
			}
		}
		// A uniform disc puts a quarter of people in the inner half radius.
		assert.Greater(t, float64(near)/float64(len(p.ServiceUsers)), 0.6, "denser in the middle")
		for _, w := range p.Workers {
			require.NotNil(t, w.Home, "worker %s", w.ID)
			assert.LessOrEqual(t, km(*w.Home, town.Centre), town.RadiusKm+0.05, "worker %s", w.ID)
		}
	})

	t.Run("runs and durations", func(t *testing.T) {
		double := 0
		// minutes of visits of 30 minutes or more, per person per day
		type key struct {
			su  care.ServiceUserID
			day int
		}
		long := map[key]bool{}
		for _, v := range p.Visits {
			if v.Duration.Std() >= 30*time.Minute {
				long[key{v.ServiceUser, v.Windows[0].Earliest.In(loc).YearDay()}] = true
			}
		}
		for _, v := range p.Visits {
			parts := strings.Split(string(v.ID), "-")
			require.GreaterOrEqual(t, len(parts), 3, "visit %s", v.ID)
			hours, ok := runHours[parts[2]]
			require.True(t, ok, "visit %s: unknown run %q", v.ID, parts[2])
			require.Len(t, v.Windows, 1)
			w := v.Windows[0]
			assert.Equal(t, w.Earliest.In(loc).YearDay(), w.Latest.In(loc).YearDay())
			assert.GreaterOrEqual(t, minuteOfDay(w.Earliest, loc), hours[0], "visit %s earliest", v.ID)
			assert.LessOrEqual(t, minuteOfDay(w.Latest, loc), hours[1], "visit %s latest", v.ID)
			assert.LessOrEqual(t, minuteOfDay(w.Latest.Add(v.Duration.Std()), loc), hours[1], "visit %s ends after its run", v.ID)
			assert.True(t, w.Latest.After(w.Earliest), "visit %s window", v.ID)

			d := v.Duration.Std()
			if v.Kind == schedule.Medication && d < 30*time.Minute {
				// NICE NG21: short only for a known worker, in a wider package, for a time-limited task.
				assert.Equal(t, 15*time.Minute, d)
				assert.Equal(t, []care.Skill{care.SkillMedication}, v.Skills, "visit %s", v.ID)
				require.Len(t, v.Preferred, 1, "prompt %s must name the known worker", v.ID)
				assert.Equal(t, users[v.ServiceUser].Preferences.PreferredWorkers, v.Preferred, "visit %s", v.ID)
				assert.True(t, workers[v.Preferred[0]].HasSkill(care.SkillMedication, w.Earliest), "visit %s", v.ID)
				assert.True(t, long[key{v.ServiceUser, w.Earliest.In(loc).YearDay()}], "prompt %s without a longer call that day", v.ID)
			} else {
				assert.GreaterOrEqual(t, d, 30*time.Minute, "visit %s", v.ID)
				assert.LessOrEqual(t, d, 60*time.Minute, "visit %s", v.ID)
			}
			if v.CarersNeeded() == 2 {
				double++
				assert.Subset(t, v.Skills, []care.Skill{care.SkillHoist, care.SkillPersonalCare}, "visit %s", v.ID)
			}
			switch v.Kind {
			case schedule.Nursing:
				assert.Equal(t, []care.Skill{care.SkillNursing}, v.Skills)
			case schedule.Chiropody:
				assert.Equal(t, []care.Skill{care.SkillChiropody}, v.Skills)
			case schedule.Befriending:
				assert.Equal(t, []care.Skill{care.SkillBefriending}, v.Skills)
			}
			if parts[2] == "day" {
				wd := w.Earliest.In(loc).Weekday()
				assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, wd, "visit %s", v.ID)
			}
		}
		share := float64(double) / float64(len(p.Visits))
		assert.GreaterOrEqual(t, share, 0.15, "double-handed share")
		assert.LessOrEqual(t, share, 0.25, "double-handed share")
	})

	t.Run("skills and roles", func(t *testing.T) {
		assertSkillsCovered(t, p)
		only := map[care.Skill]care.Role{care.SkillNursing: care.RoleNurse, care.SkillChiropody: care.RoleChiropodist, care.SkillBefriending: care.RoleBefriender}
		kinds := map[schedule.VisitKind]bool{}
		for _, v := range p.Visits {
			kinds[v.Kind] = true
		}
		for _, k := range []schedule.VisitKind{schedule.PersonalCare, schedule.Meal, schedule.Medication, schedule.Nursing, schedule.Chiropody, schedule.Befriending} {
			assert.True(t, kinds[k], "a 2,000-visit agency has %s visits", k)
		}
		for _, w := range p.Workers {
			for _, q := range w.Qualifications {
				if r, ok := only[q.Skill]; ok {
					assert.Equal(t, r, w.Role, "worker %s holds %s", w.ID, q.Skill)
				}
				assert.False(t, q.Obtained.After(p.Start), "worker %s: %s obtained after the start", w.ID, q.Skill)
				if q.Expires != nil {
					assert.False(t, q.Expires.Before(p.End), "worker %s: %s expires in the horizon", w.ID, q.Skill)
				}
			}
		}
	})

	t.Run("workforce", func(t *testing.T) {
		modes := map[care.TravelMode]int{}
		for _, w := range p.Workers {
			modes[w.TravelMode]++
			if w.TravelMode == care.Walk || w.TravelMode == care.Cycle {
				assert.Less(t, km(*w.Home, synth.Reading().Centre), 3.0, "worker %s walks or cycles from far out", w.ID)
			}
		}
		assert.Greater(t, float64(modes[care.Car])/float64(len(p.Workers)), 0.6, "mostly by car")
		assert.Positive(t, modes[care.Walk]+modes[care.Cycle], "some walk or cycle")

		// Care and estimated travel fill 60-70% of care staff's shift minutes.
		care1 := map[care.WorkerID]bool{}
		for _, w := range p.Workers {
			care1[w.ID] = w.Role == care.RoleCareWorker || w.Role == care.RoleSeniorCarer
		}
		var demand, supply float64
		for _, v := range p.Visits {
			if v.Kind == schedule.Nursing || v.Kind == schedule.Chiropody || v.Kind == schedule.Befriending {
				continue
			}
			demand += float64(v.CarersNeeded()) * (v.Duration.Std().Minutes() + synth.TravelEstimateMinutes)
		}
		byWorker := map[care.WorkerID][]schedule.Shift{}
		for _, s := range p.Shifts {
			if care1[s.Worker] {
				supply += s.End.Sub(s.Start).Minutes()
			}
			byWorker[s.Worker] = append(byWorker[s.Worker], s)
		}
		util := demand / supply
		assert.GreaterOrEqual(t, util, 0.58, "utilisation")
		assert.LessOrEqual(t, util, 0.72, "utilisation")
		t.Logf("%d workers for %.0f visits a day; care and travel fill %.0f%% of care staff shift minutes", len(p.Workers), perDay, 100*util)

		rules := schedule.UKDefaults()
		split := 0
		for id, shifts := range byWorker {
			slices.SortFunc(shifts, func(a, b schedule.Shift) int { return a.Start.Compare(b.Start) })
			run := 1
			for i, s := range shifts {
				assert.LessOrEqual(t, s.End.Sub(s.Start), rules.MaxShift.Std(), "shift %s", s.ID)
				if s.End.Sub(s.Start) > rules.BreakAfter.Std() {
					assert.NotEmpty(t, s.Breaks, "shift %s longer than 6 hours without a break", s.ID)
				}
				if i == 0 {
					continue
				}
				prev := shifts[i-1]
				pd, sd := prev.Start.In(loc).YearDay(), s.Start.In(loc).YearDay()
				switch {
				case sd == pd:
					split++
				case sd == pd+1:
					run++
					assert.GreaterOrEqual(t, s.Start.Sub(prev.End), rules.MinDailyRest.Std(), "worker %s: rest before %s", id, s.ID)
				default:
					run = 1
				}
				assert.LessOrEqual(t, run, rules.MaxConsecutiveDays, "worker %s", id)
			}
		}
		assert.Positive(t, split, "some workers on split shifts")

		// Every visit has, for each seat, a worker holding its skills on a shift that
		// can make it (no visit is left without a shift by construction).
		byDay := map[int][]schedule.Shift{}
		for _, s := range p.Shifts {
			d := s.Start.In(loc).YearDay()
			byDay[d] = append(byDay[d], s)
		}
		for _, v := range p.Visits {
			w := v.Windows[0]
			n := 0
			for _, s := range byDay[w.Earliest.In(loc).YearDay()] {
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
			if !assert.GreaterOrEqual(t, n, v.CarersNeeded(), "visit %s: shifts of eligible workers", v.ID) {
				break
			}
		}
	})
}

func TestAutumnStartOnSaturday(t *testing.T) {
	// The clocks go back on Sunday 25 October 2026; the horizon starts on a Saturday.
	start := time.Date(2026, 10, 24, 15, 0, 0, 0, time.UTC)
	p := generate(t, synth.Config{Seed: 8, VisitsPerDay: 120, Days: 4, Start: start})
	loc, err := p.Loc()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 10, 24, 0, 0, 0, 0, loc), p.Start)
	assert.Equal(t, time.Date(2026, 10, 28, 0, 0, 0, 0, loc), p.End)
	for _, v := range p.Visits {
		run := strings.Split(string(v.ID), "-")[2]
		w := v.Windows[0]
		assert.GreaterOrEqual(t, minuteOfDay(w.Earliest, loc), runHours[run][0], "visit %s", v.ID)
		assert.LessOrEqual(t, minuteOfDay(w.Latest.Add(v.Duration.Std()), loc), runHours[run][1], "visit %s", v.ID)
		if run == "day" {
			wd := w.Earliest.In(loc).Weekday()
			assert.True(t, wd == time.Monday || wd == time.Tuesday, "specialist visit %s on %s", v.ID, wd)
		}
	}
	for _, s := range p.Shifts {
		// The clocks going back only lengthens the night: every shift keeps its wall-clock hours.
		assert.Contains(t, []int{7 * 60, 9 * 60, 10 * 60, 11*60 + 30, 16 * 60}, minuteOfDay(s.Start, loc), "shift %s", s.ID)
	}
	assertSkillsCovered(t, p)
}

func TestOneVisitADay(t *testing.T) {
	p := generate(t, synth.Config{Seed: 1, VisitsPerDay: 1, Days: 7})
	assert.Len(t, p.Visits, 7, "one person with one call a day, not a whole package")
}

func BenchmarkGenerate10000(b *testing.B) {
	for b.Loop() {
		if _, err := synth.Generate(synth.Config{Seed: 1, VisitsPerDay: 10000}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestGenerateManySizes(t *testing.T) {
	// A valid config never fails, across seeds and sizes.
	for seed := range uint64(20) {
		p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: 1 + int(seed)*13, Days: 1 + int(seed%9)})
		require.NoError(t, err, "seed %d", seed)
		require.NoError(t, p.Validate(), "seed %d", seed)
		assertSkillsCovered(t, p)
	}
}

// runLoad returns, for each run suffix and day, the care staff's carer-minutes
// plus estimated travel of the run's visits divided by the minutes the care
// staff on shift spend within the run's hours.
func runLoad(t *testing.T, p *schedule.Problem) map[string][]float64 {
	t.Helper()
	loc, err := p.Loc()
	require.NoError(t, err)
	careStaff := map[care.WorkerID]bool{}
	for _, w := range p.Workers {
		careStaff[w.ID] = w.Role == care.RoleCareWorker || w.Role == care.RoleSeniorCarer
	}
	days := int(p.End.Sub(p.Start).Hours()+1) / 24
	out := map[string][]float64{}
	for run, hours := range runHours {
		if run == "day" {
			continue
		}
		for day := range days {
			y, m, d := p.Start.In(loc).Date()
			rs := time.Date(y, m, d+day, 0, hours[0], 0, 0, loc) // wall clock, also on the day the clocks change
			re := time.Date(y, m, d+day, 0, hours[1], 0, 0, loc)
			var demand, supply float64
			for _, v := range p.Visits {
				if strings.Contains(string(v.ID), fmt.Sprintf("-d%d-%s", day+1, run)) {
					demand += float64(v.CarersNeeded()) * (v.Duration.Std().Minutes() + synth.TravelEstimateMinutes)
				}
			}
			for _, s := range p.Shifts {
				if !careStaff[s.Worker] {
					continue
				}
				a, b := s.Start, s.End
				if a.Before(rs) {
					a = rs
				}
				if b.After(re) {
					b = re
				}
				if b.After(a) {
					supply += b.Sub(a).Minutes()
				}
			}
			out[run] = append(out[run], demand/supply)
		}
	}
	return out
}

func TestCoverPeaks(t *testing.T) {
	base := generate(t, synth.Config{Seed: 4, VisitsPerDay: 1000})
	p := generate(t, synth.Config{Seed: 4, VisitsPerDay: 1000, CoverPeaks: true})
	assert.Greater(t, len(p.Workers), len(base.Workers), "covering the peaks takes more workers")
	assert.Equal(t, len(base.Visits), len(p.Visits), "the same care")
	for run, loads := range runLoad(t, p) {
		for day, l := range loads {
			assert.LessOrEqual(t, l, synth.PeakUtilisation+0.03, "run %s day %d", run, day+1)
		}
	}
	worst := 0.0
	for _, loads := range runLoad(t, base) {
		worst = max(worst, slices.Max(loads))
	}
	t.Logf("busiest run without CoverPeaks: %.0f%% of staff minutes on duty; workers %d -> %d with it", 100*worst, len(base.Workers), len(p.Workers))
}

func TestPeopleAndMixValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   synth.Config
		field string
	}{
		{"negative people", synth.Config{People: -1}, "people"},
		{"too many people", synth.Config{People: synth.MaxPeople + 1}, "people"},
		{"people and visits", synth.Config{People: 10, VisitsPerDay: 30}, "visits_per_day"},
		{"negative weight", synth.Config{People: 10, Mix: synth.Mix{Lunch: 1, Four: -0.5}}, "mix.four"},
		{"NaN weight", synth.Config{VisitsPerDay: 10, Mix: synth.Mix{Weekly: math.NaN()}}, "mix.weekly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var fe *care.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			_, gerr := synth.Generate(tt.cfg)
			assert.ErrorIs(t, gerr, care.ErrInvalid)
		})
	}
}

func TestPeople(t *testing.T) {
	cfg := synth.Config{Seed: 6, People: 45, Days: 7}
	p := generate(t, cfg)
	assert.Len(t, p.ServiceUsers, 45, "exactly the people asked for")
	assert.Contains(t, p.Name, "45people")
	q := generate(t, cfg)
	a, err := synth.Encode(p)
	require.NoError(t, err)
	b, err := synth.Encode(q)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(a, b), "same config, same bytes")

	double := 0
	weeklyOnly := map[care.ServiceUserID]bool{}
	for _, u := range p.ServiceUsers {
		weeklyOnly[u.ID] = true
	}
	for _, v := range p.Visits {
		if v.CarersNeeded() == 2 {
			double++
		}
		if !strings.Contains(string(v.ID), "-day-") {
			weeklyOnly[v.ServiceUser] = false
		}
		if v.Kind == schedule.Domestic {
			// Shopping and domestic calls fall in the late morning of a weekday.
			loc, err := p.Loc()
			require.NoError(t, err)
			start, end := minuteOfDay(v.Windows[0].Earliest, loc), minuteOfDay(v.Windows[0].Latest.Add(v.Duration.Std()), loc)
			assert.GreaterOrEqual(t, start, 10*60, "visit %s", v.ID)
			assert.LessOrEqual(t, end, 13*60+30, "visit %s", v.ID)
			assert.Equal(t, []care.Skill{care.SkillMealPreparation}, v.Skills)
		}
	}
	share := float64(double) / float64(len(p.Visits))
	assert.GreaterOrEqual(t, share, 0.12, "double-handed share")
	assert.LessOrEqual(t, share, 0.25, "double-handed share")
	n := 0
	for _, w := range weeklyOnly {
		if w {
			n++
		}
	}
	// DefaultMix puts 62% of single-handed people on weekly calls only.
	assert.InDelta(t, 0.6*45, n, 10, "people with weekly calls only")
	assertSkillsCoveredSpecialistsAlone(t, p)
	assertEveryVisitHasShifts(t, p)
}

func TestMixShapesThePackages(t *testing.T) {
	// Only lunch calls (and, apart from the mix, people needing a hoist).
	p := generate(t, synth.Config{Seed: 2, People: 30, Days: 2, Mix: synth.Mix{Lunch: 1}})
	for _, v := range p.Visits {
		run := strings.Split(string(v.ID), "-")[2]
		if v.CarersNeeded() == 1 && !slices.Contains([]schedule.VisitKind{schedule.Nursing, schedule.Chiropody, schedule.Befriending}, v.Kind) {
			assert.True(t, run == "lunch" || v.Kind == schedule.Domestic, "visit %s: a lunch-only mix", v.ID)
		}
	}
	// A Mix with VisitsPerDay sizes by visits.
	q := generate(t, synth.Config{Seed: 2, VisitsPerDay: 80, Days: 2, Mix: synth.Mix{Four: 1}})
	assert.InDelta(t, 80, float64(len(q.Visits))/2, 8)
	fours := 0
	perUser := map[care.ServiceUserID]int{}
	for _, v := range q.Visits {
		if !strings.Contains(string(v.ID), "-day-") {
			perUser[v.ServiceUser]++
		}
	}
	for _, n := range perUser {
		if n >= 8 {
			fours++
		}
	}
	assert.Greater(t, fours, len(perUser)/2, "most people on four calls a day")
}

func TestPeopleLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short")
	}
	p := generate(t, synth.Config{Seed: 3, People: 500, CoverPeaks: true})
	assert.Len(t, p.ServiceUsers, 500)
	assertSkillsCoveredSpecialistsAlone(t, p)
	assertEveryVisitHasShifts(t, p)
	for run, loads := range runLoad(t, p) {
		for day, l := range loads {
			assert.LessOrEqual(t, l, synth.PeakUtilisation+0.005, "run %s day %d", run, day+1)
		}
	}
	t.Logf("500 people: %d visits, %d workers", len(p.Visits), len(p.Workers))
}

func TestPeopleManySizes(t *testing.T) {
	// A valid People config never fails and always gives a valid, makeable agency,
	// across seeds, sizes, horizons (some starting at a weekend) and mixes.
	mixes := []synth.Mix{{}, {Befriending: 1}, {Four: 1}, {Weekly: 1, Twice: 1}}
	for seed := range uint64(24) {
		cfg := synth.Config{
			Seed:       seed,
			People:     1 + int(seed*seed)%70,
			Days:       1 + int(seed%9),
			Start:      time.Date(2026, 3, 21+int(seed%7), 0, 0, 0, 0, time.UTC),
			Mix:        mixes[seed%4],
			CoverPeaks: seed%2 == 0,
		}
		t.Run(fmt.Sprintf("seed%d-people%d-days%d", seed, cfg.People, cfg.Days), func(t *testing.T) {
			p, err := synth.Generate(cfg)
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			require.Len(t, p.ServiceUsers, cfg.People)
			assertSkillsCoveredSpecialistsAlone(t, p)
			assertEveryVisitHasShifts(t, p)
		})
	}
}
