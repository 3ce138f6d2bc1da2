package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Figures the generator uses to size the workforce.
const (
	// TravelEstimateMinutes is the travel assumed per carer per visit when sizing
	// the workforce.
	TravelEstimateMinutes = 8
	// TargetUtilisation is the share of shift minutes that care plus estimated
	// travel should fill when the workforce is sized for the demand.
	TargetUtilisation = 0.65
	// PeakUtilisation is, with Config.CoverPeaks, the largest share of the care
	// staff's minutes on duty within a run that the run's care and estimated travel
	// may fill.
	PeakUtilisation = 0.8
)

// Shares of people and workers with each feature.
const (
	shareMedicines      = 0.60 // people with medicines support
	shareTimeCritical   = 0.10 // of those, with time-critical medicines
	sharePrompt         = 0.50 // of people with medicines and two or more calls: a 15-minute prompt
	shareDementia       = 0.20
	shareCatheter       = 0.05
	sharePEG            = 0.02
	shareEndOfLife      = 0.02
	shareKnownWorker    = 0.50 // people (besides those with prompts) with a named regular carer
	shareWantFemale     = 0.10 // people who prefer female carers
	targetDoubleHanded  = 0.20 // share of visits made by two carers
	mixDoubleHanded     = 0.22 // with a package mix: the largest share a person needing a hoist may bring it to
	hoistCallsPerDay    = 3.7  // expected calls a day of a person needing a hoist (four, or three in 30%)
	shareNursing        = 0.06 // people with nursing visits each week
	shareChiropody      = 0.05
	shareBefriending    = 0.06
	shareDomestic       = 0.20 // with a package mix: people with daily calls who also have a weekly shopping and domestic call
	shareSeniors        = 0.15 // care staff who are senior carers
	shareDayOnly        = 0.10 // care staff on day shifts only
	expiringValidMonths = 12   // medicines and moving-and-handling competence is refreshed yearly
	specialistDays      = 3    // weekdays a week that nurses, chiropodists and befrienders work
)

type call struct {
	run          int
	day          int // for weekly visits: the day index; -1 for daily calls
	kind         schedule.VisitKind
	minutes      int
	carers       int
	skills       []care.Skill
	target       int // agreed start, minutes after local midnight
	half         int // the window runs half minutes either side of target (clipped to the run)
	timeCritical bool
	priority     int
	prompt       bool // a 15-minute medicines prompt: needs a worker known to the person
	end          int  // latest end, minutes after local midnight, when before the run's end; 0 = the run's
}

type person struct {
	loc        care.Location
	calls      []call // daily calls
	extras     []call // weekly visits on set days
	wantFemale bool
	known      bool // has a named regular worker
}

type generator struct {
	cfg       Config
	mix       []float64           // normalised package weights (Mix order); nil = the VisitsPerDay generator's packages
	runDemand [runDay + 1]float64 // care workers' minutes (carers × (duration + travel estimate)) per run over the horizon
	runCarers [runDay + 1]int     // the most carers a care workers' visit of the run needs; 0 = no such visit
	rng       *rand.Rand
	tz        *time.Location
	days      int
}

// Generate makes a synthetic agency for cfg: service users, their visits over
// the horizon, workers with shifts, UK working-time rules, weights and the
// great-circle travel model. The same cfg always gives the same Problem. It
// returns an error matching care.ErrInvalid when cfg is invalid (see
// Config.Validate) or when an explicit worker count cannot cover the
// specialists the demand needs plus two care workers.
func Generate(cfg Config) (*schedule.Problem, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	cfg = cfg.withDefaults()
	tz, err := time.LoadLocation(TimeZone)
	if err != nil {
		return nil, fmt.Errorf("synth: load time zone %s (import time/tzdata in programs run without zoneinfo): %w", TimeZone, err)
	}
	g := &generator{
		cfg:  cfg,
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		tz:   tz,
		days: cfg.Days,
	}
	if cfg.People > 0 || cfg.Mix != (Mix{}) {
		m := cfg.Mix
		if m == (Mix{}) {
			m = DefaultMix()
		}
		g.mix = m.weights()
		sum := 0.0
		for _, w := range g.mix {
			sum += w
		}
		for i := range g.mix {
			g.mix[i] /= sum
		}
	}
	people := g.people()
	visits, users := g.visits(people)
	workers, shifts, err := g.workforce(visits)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	g.coverSkills(workers, visits)
	if g.mix != nil {
		g.coverOnShift(workers, shifts, visits)
	}
	g.knownWorkers(people, users, workers, visits)
	size := fmt.Sprintf("%dvpd", cfg.VisitsPerDay)
	if cfg.People > 0 {
		size = fmt.Sprintf("%dpeople", cfg.People)
	}
	p := &schedule.Problem{
		Name:         fmt.Sprintf("synth-%s-seed%d-%s-%dd", strings.ToLower(strings.ReplaceAll(cfg.Town.Name, " ", "-")), cfg.Seed, size, cfg.Days),
		Start:        g.at(0, 0),
		End:          g.at(g.days, 0),
		TimeZone:     TimeZone,
		ServiceUsers: users,
		Workers:      workers,
		Visits:       visits,
		Shifts:       shifts,
		Rules:        schedule.UKDefaults(),
		Weights: schedule.Weights{
			Unassigned:  10000,
			TravelTime:  1,
			WorkingTime: 0.1,
			Lateness:    2,
			Continuity:  30,
			Preferred:   10,
			Overtime:    5,
		},
		Travel: schedule.Travel{Model: schedule.GreatCircle},
	}
	return p, nil
}

// at returns the instant minute minutes after local midnight of day index day.
func (g *generator) at(day, minute int) time.Time {
	s := g.cfg.Start
	return time.Date(s.Year(), s.Month(), s.Day()+day, 0, minute, 0, 0, g.tz)
}

// weekday reports whether day index day is Monday to Friday.
func (g *generator) weekday(day int) bool {
	wd := g.at(day, 12*60).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// pick returns one of vals, chosen with the given weights.
func (g *generator) pick(vals []int, weights []float64) int {
	u := g.rng.Float64()
	for i, w := range weights {
		if u < w {
			return vals[i]
		}
		u -= w
	}
	return vals[len(vals)-1]
}

// point returns a place in the town and its distance in km from the centre:
// the distance follows an exponential with mean a third of the radius,
// truncated at the radius, and the bearing is uniform.
func (g *generator) point() (care.Location, float64) {
	town := g.cfg.Town
	radius := town.RadiusKm
	mean := radius / 3
	u := g.rng.Float64()
	// Explicit conversions keep the compiler from fusing multiply-adds, so the
	// output is the same on every architecture.
	r := -mean * math.Log(1-float64(u*(1-math.Exp(-radius/mean))))
	theta := 2 * math.Pi * g.rng.Float64()
	const kmPerDegree = 111.32
	lat0 := town.Centre.Lat()
	lat := lat0 + r*math.Cos(theta)/kmPerDegree
	lon := town.Centre.Lon() + r*math.Sin(theta)/(kmPerDegree*math.Cos(lat0*math.Pi/180))
	return care.NewLocation(round5(lat), round5(lon)), r
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// target picks an agreed start on the quarter hour such that a visit of
// minutes minutes starting then ends inside the run.
func (g *generator) target(run Run, minutes int) int {
	n := (run.End - minutes - run.Start) / 15
	return run.Start + 15*g.rng.IntN(n+1)
}

// people makes service users with their care packages until the expected
// number of visits a day reaches the configuration's or, with Config.People,
// until there are that many.
func (g *generator) people() []person {
	runs := Runs()
	want := float64(g.cfg.VisitsPerDay)
	specialists := g.cfg.VisitsPerDay >= SpecialistMinVisitsPerDay
	if g.cfg.People > 0 {
		specialists = g.cfg.People >= SpecialistMinPeople
	}
	target := targetDoubleHanded
	if g.mix != nil {
		target = mixDoubleHanded
	}
	var perDay, doublePerDay float64
	var people []person
	for g.cfg.People > 0 && len(people) < g.cfg.People || g.cfg.People == 0 && perDay < want {
		var hoist bool
		if g.mix != nil {
			// Add a person who needs a hoist whenever the share stays within the target.
			hoist = doublePerDay+hoistCallsPerDay <= target*(perDay+hoistCallsPerDay)
		} else {
			hoist = g.chance(0.03)
			if doublePerDay < target*perDay {
				hoist = g.chance(0.6)
			}
		}
		p := g.person(runs, hoist, specialists)
		n := float64(len(p.calls)) + float64(len(p.extras))/float64(g.days)
		// A tiny agency stops short rather than overshoot by a whole package.
		if g.cfg.People == 0 && perDay+n > want+2 && len(p.calls) > 1 {
			p.calls, p.extras = p.calls[:1], nil
			n = 1
		}
		for _, c := range p.calls {
			if c.carers == 2 {
				doublePerDay++
			}
		}
		perDay += n
		people = append(people, p)
	}
	return people
}

func (g *generator) person(runs []Run, hoist, specialists bool) person {
	var p person
	p.loc, _ = g.point()
	p.wantFemale = g.chance(shareWantFemale)
	meds := g.chance(shareMedicines)
	timeCritical := meds && g.chance(shareTimeCritical)
	dementia := g.chance(shareDementia)
	catheter := g.chance(shareCatheter)
	peg := g.chance(sharePEG)
	eol := g.chance(shareEndOfLife)

	var plan []int
	pkg := -1
	switch {
	case hoist:
		plan = []int{runMorning, runLunch, runTea, runBed}
		if g.chance(0.3) {
			plan = []int{runMorning, runTea, runBed}
		}
	case g.mix != nil:
		pkg = g.pickPackage()
		plan = slices.Clone(packagePlans[pkg])
	default:
		switch u := g.rng.Float64(); {
		case u < 0.35:
			plan = []int{runMorning, runLunch, runTea, runBed}
		case u < 0.60:
			plan = []int{runMorning, runLunch, runTea}
		case u < 0.80:
			plan = []int{runMorning, runBed}
		default:
			plan = []int{runMorning}
		}
	}
	carers := 1
	if hoist {
		carers = 2
	}
	for _, r := range plan {
		c := call{run: r, day: -1, carers: carers, half: 30}
		var skills []care.Skill
		switch r {
		case runMorning:
			if pkg == pkgMorning {
				// Medicines and breakfast: half an hour, never a 15-minute prompt on its own.
				c.kind, c.minutes, c.priority = schedule.Medication, 30, 1
				skills = append(skills, care.SkillMedication, care.SkillMealPreparation)
				if timeCritical {
					c.timeCritical, c.half, c.priority = true, 15, 2
				}
				break
			}
			c.kind = schedule.PersonalCare
			c.minutes = g.pick([]int{30, 45, 60}, []float64{0.2, 0.5, 0.3})
			if hoist {
				c.minutes = 60
				if g.mix != nil && g.chance(0.5) {
					c.minutes = 45
				}
			}
			skills = append(skills, care.SkillPersonalCare)
			if meds {
				skills = append(skills, care.SkillMedication)
				c.priority = 1
			}
			if timeCritical {
				c.timeCritical, c.half, c.priority = true, 15, 2
			}
			if catheter {
				skills = append(skills, care.SkillCatheterStoma)
			}
		case runLunch, runTea:
			c.kind = schedule.Meal
			c.minutes = 30
			skills = append(skills, care.SkillMealPreparation)
			if meds && g.chance(0.3) {
				skills = append(skills, care.SkillMedication)
			}
			if peg && r == runTea {
				skills = append(skills, care.SkillPEGFeeding)
			}
		case runBed:
			c.kind = schedule.PersonalCare
			c.minutes = g.pick([]int{30, 45}, []float64{0.7, 0.3})
			skills = append(skills, care.SkillPersonalCare)
			if meds && g.chance(0.5) {
				skills = append(skills, care.SkillMedication)
			}
		}
		if c.kind == schedule.PersonalCare || hoist {
			if dementia {
				skills = append(skills, care.SkillDementia)
			}
			if eol {
				skills = append(skills, care.SkillEndOfLife)
			}
		}
		if hoist {
			skills = append(skills, care.SkillHoist, care.SkillPersonalCare)
		}
		c.skills = canonical(skills)
		c.target = g.target(runs[r], c.minutes)
		p.calls = append(p.calls, c)
	}
	// A 15-minute prompt only as part of a wider package (NICE NG21, QS123 st.4).
	if meds && !hoist && len(plan) >= 2 && g.chance(sharePrompt) {
		for _, r := range []int{runLunch, runTea} {
			if !slices.Contains(plan, r) {
				c := call{run: r, day: -1, kind: schedule.Medication, minutes: 15, carers: 1, half: 30,
					skills: []care.Skill{care.SkillMedication}, priority: 1, prompt: true}
				c.target = g.target(runs[r], c.minutes)
				p.calls = append(p.calls, c)
				break
			}
		}
	}
	slices.SortStableFunc(p.calls, func(a, b call) int { return a.target - b.target })
	p.known = g.chance(shareKnownWorker)
	for _, c := range p.calls {
		if c.prompt {
			p.known = true
		}
	}
	befriending := shareBefriending
	if g.mix != nil {
		domestic, perWeek := shareDomestic, 1
		switch {
		case pkg == pkgWeekly, pkg == pkgBefriending && !specialists:
			domestic, perWeek = 1, 1+g.rng.IntN(2)
		case pkg == pkgBefriending:
			domestic, befriending = 0, 1
		case hoist:
			domestic = 0
		}
		g.weekly(&p, domesticSpan(), domestic, perWeek, schedule.Domestic, care.SkillMealPreparation, []int{60})
	}
	if specialists {
		g.weekly(&p, runs[runDay], shareNursing, 1+g.rng.IntN(2), schedule.Nursing, care.SkillNursing, []int{30, 45})
		g.weekly(&p, runs[runDay], shareChiropody, 1, schedule.Chiropody, care.SkillChiropody, []int{30})
		g.weekly(&p, runs[runDay], befriending, 1, schedule.Befriending, care.SkillBefriending, []int{60})
	}
	return p
}

// Packages of a Mix, in the order of Mix.weights.
const (
	pkgWeekly = iota
	pkgBefriending
	pkgLunch
	pkgMorning
	pkgMeals
	pkgTwice
	pkgThree
	pkgFour
)

// packagePlans are the daily runs of each package of a Mix.
var packagePlans = [...][]int{
	pkgWeekly:      nil,
	pkgBefriending: nil,
	pkgLunch:       {runLunch},
	pkgMorning:     {runMorning},
	pkgMeals:       {runLunch, runTea},
	pkgTwice:       {runMorning, runBed},
	pkgThree:       {runMorning, runLunch, runTea},
	pkgFour:        {runMorning, runLunch, runTea, runBed},
}

// pickPackage draws a package from the normalised mix.
func (g *generator) pickPackage() int {
	u := g.rng.Float64()
	last := 0
	for i, w := range g.mix {
		if w == 0 {
			continue
		}
		if u < w {
			return i
		}
		u -= w
		last = i
	}
	return last
}

// domesticSpan is the part of the daytime run in which care workers make
// shopping and domestic calls: late morning, 10:00–13:30, when the early staff
// are between the morning and lunch runs.
func domesticSpan() Run {
	r := Runs()[runDay]
	r.End = 13*60 + 30
	return r
}

// weekly gives p, with probability share, perWeek visits of kind on distinct
// weekdays of each week of the horizon, at the same time each time, in the
// daytime run (ending by run.End, a part of it).
func (g *generator) weekly(p *person, run Run, share float64, perWeek int, kind schedule.VisitKind, skill care.Skill, durations []int) {
	if share <= 0 || share < 1 && !g.chance(share) {
		return
	}
	minutes := durations[g.rng.IntN(len(durations))]
	target := g.target(run, minutes)
	for week := 0; week*7 < g.days; week++ {
		var days []int
		for d := week * 7; d < min(week*7+7, g.days); d++ {
			if g.weekday(d) {
				days = append(days, d)
			}
		}
		g.rng.Shuffle(len(days), func(i, j int) { days[i], days[j] = days[j], days[i] })
		days = days[:min(perWeek, len(days))]
		slices.Sort(days)
		for _, d := range days {
			c := call{run: runDay, day: d, kind: kind, minutes: minutes, carers: 1,
				skills: []care.Skill{skill}, target: target, half: 60}
			if g.mix != nil && restricted(c.skills) {
				// A lone specialist makes all of a role's visits: give them the day's room.
				c.half = 180
			}
			if run.End < Runs()[runDay].End {
				c.end = run.End
			}
			p.extras = append(p.extras, c)
		}
	}
}

// canonical returns skills without repeats in the order of care.CommonSkills.
func canonical(skills []care.Skill) []care.Skill {
	var out []care.Skill
	for _, s := range care.CommonSkills() {
		if slices.Contains(skills, s) {
			out = append(out, s)
		}
	}
	return out
}

func idWidth(n int) int { return max(4, len(fmt.Sprint(n))) }

// visits turns the people's packages into service users and visits, day by day.
func (g *generator) visits(people []person) ([]schedule.Visit, []care.ServiceUser) {
	runs := Runs()
	width := idWidth(len(people))
	users := make([]care.ServiceUser, len(people))
	for i, p := range people {
		users[i] = care.ServiceUser{ID: care.ServiceUserID(fmt.Sprintf("su%0*d", width, i+1)), Location: p.loc}
		if p.wantFemale {
			users[i].Preferences.CarerGender = care.Female
		}
	}
	var visits []schedule.Visit
	for day := 0; day < g.days; day++ {
		for i, p := range people {
			for _, c := range p.calls {
				visits = append(visits, g.visit(users[i].ID, day, runs[c.run], c))
				g.runDemand[c.run] += float64(c.carers * (c.minutes + TravelEstimateMinutes))
				g.runCarers[c.run] = max(g.runCarers[c.run], c.carers)
			}
			for _, c := range p.extras {
				if c.day == day {
					visits = append(visits, g.visit(users[i].ID, day, runs[c.run], c))
					if !restricted(c.skills) {
						g.runDemand[c.run] += float64(c.carers * (c.minutes + TravelEstimateMinutes))
						g.runCarers[c.run] = max(g.runCarers[c.run], c.carers)
					}
				}
			}
		}
	}
	return visits, users
}

func (g *generator) visit(su care.ServiceUserID, day int, run Run, c call) schedule.Visit {
	id := fmt.Sprintf("%s-d%d-%s", su, day+1, run.Suffix)
	if c.run == runDay {
		id += "-" + string(c.kind)
	}
	earliest := max(run.Start, c.target-c.half)
	end := run.End
	if c.end > 0 {
		end = min(end, c.end)
	}
	latest := min(end-c.minutes, c.target+c.half)
	target := g.at(day, c.target)
	v := schedule.Visit{
		ID:          schedule.VisitID(id),
		ServiceUser: su,
		Windows: []schedule.Window{{
			Earliest: g.at(day, earliest),
			Latest:   g.at(day, latest),
			Target:   &target,
		}},
		Duration:     schedule.Minutes(c.minutes),
		Kind:         c.kind,
		Skills:       slices.Clone(c.skills),
		Priority:     c.priority,
		TimeCritical: c.timeCritical,
	}
	if c.carers == 2 {
		v.Carers = 2
	}
	return v
}

// slot is one shift of a day pattern, in minutes after local midnight, with an
// optional 20-minute break window.
type slot struct {
	name                  string
	start, end            int
	breakFrom, breakUntil int // latest start of the break is breakUntil; 0 = no break
}

var (
	slotMorning = slot{name: "am", start: 7 * 60, end: 13*60 + 30, breakFrom: 10 * 60, breakUntil: 11*60 + 30}
	slotTea     = slot{name: "pm", start: 16 * 60, end: 19 * 60}
	slotLunch   = slot{name: "mid", start: 11*60 + 30, end: 14 * 60}
	slotEvening = slot{name: "pm", start: 16 * 60, end: 22 * 60}
	slotDay     = slot{name: "day", start: 9 * 60, end: 17 * 60, breakFrom: 14 * 60, breakUntil: 15*60 + 30}
	slotDayVol  = slot{name: "day", start: 10 * 60, end: 16 * 60}
)

// A care worker's week follows one of three seven-day cycles, each with at
// most six days in a row and at least 11 hours between one day's last shift
// and the next day's first (so nobody who finishes the bed run at 22:00
// starts the morning run at 07:00):
//
//	early split: 07:00-13:30 and 16:00-19:00 (morning, lunch and tea runs), six days
//	late split:  11:30-14:00 and 16:00-22:00 (lunch, tea and bed runs), six days
//	day only:    09:00-17:00, five days
func earlyCycle() [7][]slot {
	d := []slot{slotMorning, slotTea}
	return [7][]slot{d, d, d, d, d, d, nil}
}

func lateCycle() [7][]slot {
	d := []slot{slotLunch, slotEvening}
	return [7][]slot{d, d, d, d, d, d, nil}
}

func dayOnlyCycle() [7][]slot {
	d := []slot{slotDay}
	return [7][]slot{d, d, d, d, d, nil, nil}
}

// cycleMinutes returns the average shift minutes a day of cycle c.
func cycleMinutes(c [7][]slot) float64 {
	total := 0
	for _, d := range c {
		for _, s := range d {
			total += s.end - s.start
		}
	}
	return float64(total) / 7
}

// runCover returns the minutes of run r that cycle c covers on an average day.
func runCover(c [7][]slot, r Run) float64 {
	total := 0
	for _, d := range c {
		for _, s := range d {
			total += max(0, min(s.end, r.End)-max(s.start, r.Start))
		}
	}
	return float64(total) / 7
}

// careStaff returns how many care workers follow each cycle (early, late, day
// only). With a total n > 0 it splits n; otherwise it sizes the staff for the
// demand: by TargetUtilisation of shift minutes or, with CoverPeaks, so that
// no run is filled beyond PeakUtilisation.
func (g *generator) careStaff(n int) (early, late, day int) {
	runs := Runs()
	perDay := func(r int) float64 { return g.runDemand[r] / float64(g.days) }
	weekdays := 0
	for d := 0; d < g.days; d++ {
		if g.weekday(d) {
			weekdays++
		}
	}
	// Mornings are made only by the early staff and bed calls only by the late.
	needEarly := perDay(runMorning) / runCover(earlyCycle(), runs[runMorning])
	needLate := perDay(runBed) / runCover(lateCycle(), runs[runBed])
	earlyShare := 0.5
	if needEarly+needLate > 0 {
		earlyShare = needEarly / (needEarly + needLate)
	}
	split := func(total int) (int, int, int) {
		d := int(math.Round(shareDayOnly * float64(total)))
		e := int(math.Round(earlyShare * float64(total-d)))
		return e, total - d - e, d
	}
	if n > 0 {
		return split(n)
	}
	var total float64
	for _, d := range g.runDemand {
		total += d
	}
	total /= float64(g.days)
	if !g.cfg.CoverPeaks {
		avg := (1-shareDayOnly)*(earlyShare*cycleMinutes(earlyCycle())+(1-earlyShare)*cycleMinutes(lateCycle())) +
			shareDayOnly*cycleMinutes(dayOnlyCycle())
		e, l, d := split(max(2, int(math.Ceil(total/(TargetUtilisation*avg)))))
		if g.mix != nil {
			return g.coverEveryDay(e, l, d, false)
		}
		return e, l, d
	}
	if g.mix != nil {
		perWorker := func(r Run) float64 { return PeakUtilisation * float64(r.End-r.Start) }
		return g.coverEveryDay(int(math.Ceil(perDay(runMorning)/perWorker(runs[runMorning]))),
			int(math.Ceil(perDay(runBed)/perWorker(runs[runBed]))), 0, true)
	}
	e := int(math.Ceil(needEarly / PeakUtilisation))
	l := int(math.Ceil(needLate / PeakUtilisation))
	d := int(math.Ceil(shareDayOnly / (1 - shareDayOnly) * float64(e+l)))
	// Lunch and tea are made by everyone: add staff until they fit too.
	for range 100000 {
		fits := true
		for _, r := range []int{runLunch, runTea, runDay} {
			cover := float64(e)*runCover(earlyCycle(), runs[r]) + float64(l)*runCover(lateCycle(), runs[r]) +
				float64(d)*runCover(dayOnlyCycle(), runs[r])
			demand := perDay(r)
			if r == runDay && weekdays > 0 {
				// Care workers' daytime calls (weekly shopping and domestic) fall on weekdays.
				demand = g.runDemand[r] / float64(weekdays)
			}
			if demand > PeakUtilisation*cover {
				fits = false
			}
		}
		if fits {
			break
		}
		e, l = e+1, l+1
	}
	if e+l+d < 2 {
		e = 2 - l - d
	}
	return e, l, d
}

// coverEveryDay adds to the care staff (early, late, day only) of an agency
// made from a package mix until, on each day of the week as the staggered
// cycles of workforce lay them out, every run with care workers' visits has
// on duty at least as many workers as its visits need carers and, with peaks,
// its care and estimated travel fit in PeakUtilisation of the minutes the
// staff on duty spend in it. A small staff feels each day off, so the average
// day is not enough. It adds the worker that helps the run found short: early
// for the morning and tea, late for bed and lunch, day only for the weekday
// daytime run.
func (g *generator) coverEveryDay(e, l, d int, peaks bool) (early, late, day int) {
	runs := Runs()
	weekdays := 0
	for d := 0; d < g.days; d++ {
		if g.weekday(d) {
			weekdays++
		}
	}
	demand := func(r int) float64 {
		if r == runDay {
			return g.runDemand[r] / float64(max(1, weekdays))
		}
		return g.runDemand[r] / float64(g.days)
	}
	cycles := [3][7][]slot{earlyCycle(), lateCycle(), dayOnlyCycle()}
	// onDuty is the minutes of run r that n workers of cycle c, with offsets
	// 0, 1, ... as workforce deals them, give on horizon day day.
	onDuty := func(c, n, day int, r Run) float64 {
		total := 0
		for k := range n {
			for _, s := range cycles[c][(day+k%7)%7] {
				total += max(0, min(s.end, r.End)-max(s.start, r.Start))
			}
		}
		return float64(total)
	}
	// present is how many of n workers of cycle c are on duty for at least an
	// hour of run r (or all of it, if shorter) on horizon day day.
	present := func(c, n, day int, r Run) int {
		count := 0
		for k := range n {
			for _, s := range cycles[c][(day+k%7)%7] {
				if min(s.end, r.End)-max(s.start, r.Start) >= min(60, r.End-r.Start) {
					count++
					break
				}
			}
		}
		return count
	}
	runs[runDay] = domesticSpan()
	for range 100000 {
		over := -1
		for day := 0; day < min(7, g.days) && over < 0; day++ {
			for _, r := range []int{runMorning, runBed, runLunch, runTea, runDay} {
				if r == runDay && !g.weekday(day) {
					continue
				}
				if g.runCarers[r] == 0 {
					continue
				}
				n := [3]int{e, l, d}
				cover, staff := 0.0, 0
				for c := range cycles {
					cover += onDuty(c, n[c], day, runs[r])
					staff += present(c, n[c], day, runs[r])
				}
				if staff < g.runCarers[r] || peaks && demand(r) > PeakUtilisation*cover {
					over = r
					break
				}
			}
		}
		switch over {
		case -1:
			return max(e, 2-l-d), l, d
		case runMorning, runTea:
			e++
		case runBed, runLunch:
			l++
		case runDay:
			d++
		}
	}
	return e, l, d
}

// workforce sizes and makes the workers and their shifts.
func (g *generator) workforce(visits []schedule.Visit) ([]care.Worker, []schedule.Shift, error) {
	demand := map[care.Role]float64{}
	for _, v := range visits {
		role := care.RoleCareWorker
		if r, ok := reservedRole(v.Skills); ok {
			role = r
		}
		demand[role] += float64(v.CarersNeeded()) * (v.Duration.Std().Minutes() + TravelEstimateMinutes)
	}
	weekdays := 0
	for d := 0; d < g.days; d++ {
		if g.weekday(d) {
			weekdays++
		}
	}
	least := 2
	if g.cfg.People > 0 {
		least = 1
	}
	specialist := func(role care.Role, perDay int) int {
		if demand[role] == 0 {
			return 0
		}
		capacity := TargetUtilisation * float64(perDay*weekdays) * specialistDays / 5
		if least == 1 && demand[role] <= TargetUtilisation*float64(perDay*weekdays) {
			return 1 // one specialist, available every weekday, is enough
		}
		return max(2, int(math.Ceil(demand[role]/capacity)))
	}
	nNurse := specialist(care.RoleNurse, slotDay.end-slotDay.start)
	nChiro := specialist(care.RoleChiropodist, slotDay.end-slotDay.start)
	nBef := specialist(care.RoleBefriender, slotDayVol.end-slotDayVol.start)
	var nEarly, nLate, nDay int
	if g.cfg.Workers > 0 {
		nCare := g.cfg.Workers - nNurse - nChiro - nBef
		if nCare < 2 {
			return nil, nil, care.Invalid("synth config", "", "workers",
				"%d workers cannot cover %d specialists and two care workers", g.cfg.Workers, nNurse+nChiro+nBef)
		}
		nEarly, nLate, nDay = g.careStaff(nCare)
	} else {
		nEarly, nLate, nDay = g.careStaff(0)
	}
	nCare := nEarly + nLate + nDay
	total := nCare + nNurse + nChiro + nBef
	width := idWidth(total)
	workers := make([]care.Worker, 0, total)
	var shifts []schedule.Shift
	add := func(role care.Role, cycle [7][]slot, offset, part int) {
		w := g.worker(fmt.Sprintf("w%0*d", width, len(workers)+1), role)
		workers = append(workers, w)
		shifts = append(shifts, g.shifts(w.ID, cycle, offset, part)...)
	}
	// The cycles are dealt out in a shuffled order; within each, days off are staggered.
	family := make([]int, 0, nCare)
	for f, n := range []int{nEarly, nLate, nDay} {
		for range n {
			family = append(family, f)
		}
	}
	g.rng.Shuffle(len(family), func(i, j int) { family[i], family[j] = family[j], family[i] })
	cycles := [][7][]slot{earlyCycle(), lateCycle(), dayOnlyCycle()}
	var seen [3]int
	for _, f := range family {
		role := care.RoleCareWorker
		if g.chance(shareSeniors) {
			role = care.RoleSeniorCarer
		}
		add(role, cycles[f], seen[f]%7, -1)
		seen[f]++
	}
	weekdayCycle := [7][]slot{{slotDay}, {slotDay}, {slotDay}, {slotDay}, {slotDay}, {slotDay}, {slotDay}}
	volCycle := [7][]slot{{slotDayVol}, {slotDayVol}, {slotDayVol}, {slotDayVol}, {slotDayVol}, {slotDayVol}, {slotDayVol}}
	// A lone specialist of a role is available every weekday, so that any weekday's
	// visit of the role has someone to make it.
	part := func(i, n int) int {
		if n == 1 {
			return everyWeekday
		}
		return i
	}
	for i := range nNurse {
		add(care.RoleNurse, weekdayCycle, 0, part(i, nNurse))
	}
	for i := range nChiro {
		add(care.RoleChiropodist, weekdayCycle, 0, part(i, nChiro))
	}
	for i := range nBef {
		add(care.RoleBefriender, volCycle, 0, part(i, nBef))
	}
	return workers, shifts, nil
}

// everyWeekday is the part of a lone specialist: every weekday.
const everyWeekday = -2

// shifts lays cycle over the horizon for worker id, starting at day offset of
// the cycle. With part >= 0 the worker is the part-th specialist of a role and
// works specialistDays weekdays a week, staggered so that any two specialists
// of a role cover every weekday between them; part everyWeekday means every
// weekday and -1 every day. A shift that would start less than the daily rest
// after the previous one ended (as when the clocks go forward overnight)
// starts later.
func (g *generator) shifts(id care.WorkerID, cycle [7][]slot, offset, part int) []schedule.Shift {
	rest := schedule.UKDefaults().MinDailyRest.Std()
	var out []schedule.Shift
	var lastEnd time.Time
	for day := 0; day < g.days; day++ {
		if part == everyWeekday && !g.weekday(day) {
			continue
		}
		if part >= 0 {
			if !g.weekday(day) {
				continue
			}
			wd := int(g.at(day, 12*60).Weekday()) - 1 // Monday = 0
			if (wd-specialistDays*part%5+5)%5 >= specialistDays {
				continue
			}
		}
		for _, s := range cycle[(day+offset)%7] {
			start, end := g.at(day, s.start), g.at(day, s.end)
			if !lastEnd.IsZero() && start.Sub(lastEnd) < rest && start.Day() != lastEnd.Day() {
				start = lastEnd.Add(rest)
			}
			sh := schedule.Shift{
				ID:     schedule.ShiftID(fmt.Sprintf("%s-d%d-%s", id, day+1, s.name)),
				Worker: id,
				Start:  start,
				End:    end,
			}
			if s.breakUntil > 0 {
				sh.Breaks = []schedule.Break{{Earliest: g.at(day, s.breakFrom), Latest: g.at(day, s.breakUntil), Length: schedule.Minutes(20)}}
			}
			out = append(out, sh)
			lastEnd = end
		}
	}
	return out
}

// qualification returns a qualification in skill at level, valid over the
// whole horizon: skills refreshed yearly expire some months after it ends.
func (g *generator) qualification(skill care.Skill, level int) care.Qualification {
	start := time.Date(g.cfg.Start.Year(), g.cfg.Start.Month(), g.cfg.Start.Day(), 0, 0, 0, 0, time.UTC)
	q := care.Qualification{Skill: skill, Level: level}
	switch skill {
	case care.SkillMedication, care.SkillHoist:
		q.Obtained = start.AddDate(0, 0, -(14 + g.rng.IntN(300)))
		exp := q.Obtained.AddDate(0, expiringValidMonths, 0)
		q.Expires = &exp
	case care.SkillNursing, care.SkillChiropody:
		// Professional registration, renewed every two (HCPC) or three (NMC) years.
		q.Obtained = start.AddDate(0, 0, -(30 + g.rng.IntN(600)))
		exp := q.Obtained.AddDate(2, 0, 0)
		q.Expires = &exp
	default:
		q.Obtained = start.AddDate(0, 0, -(30 + g.rng.IntN(3000)))
	}
	return q
}

func (g *generator) worker(id string, role care.Role) care.Worker {
	home, r := g.point()
	w := care.Worker{ID: care.WorkerID(id), Role: role, Home: &home, TravelMode: care.Car, Gender: care.Female}
	switch u := g.rng.Float64(); {
	case u < 0.15:
		w.Gender = care.Male
	case u < 0.17:
		w.Gender = care.GenderUnstated
	}
	switch u := g.rng.Float64(); {
	case r < 2.5 && u < 0.25:
		w.TravelMode = care.Walk
	case r < 2.5 && u < 0.45:
		w.TravelMode = care.Cycle
	case u < 0.50 && r < 2.5, u < 0.04:
		w.TravelMode = care.PublicTransport
	}
	start := time.Date(g.cfg.Start.Year(), g.cfg.Start.Month(), g.cfg.Start.Day(), 0, 0, 0, 0, time.UTC)
	dbs := start.AddDate(0, 0, -(20 + g.rng.IntN(1000)))
	w.Checks = care.EmploymentChecks{DBSDate: &dbs, DBSLevel: care.DBSEnhancedBarredList}
	var quals []care.Qualification
	addQ := func(s care.Skill, level int) { quals = append(quals, g.qualification(s, level)) }
	switch role {
	case care.RoleCareWorker, care.RoleSeniorCarer:
		senior := role == care.RoleSeniorCarer
		level := 2
		if senior {
			level = 3
		}
		addQ(care.SkillPersonalCare, level)
		addQ(care.SkillMealPreparation, 0)
		if senior || g.chance(0.8) {
			addQ(care.SkillMedication, level)
		}
		if senior || g.chance(0.6) {
			addQ(care.SkillHoist, 0)
		}
		if g.chance(0.4) {
			addQ(care.SkillDementia, 0)
		}
		if senior && g.chance(0.5) || !senior && g.chance(0.1) {
			addQ(care.SkillCatheterStoma, 0)
		}
		if senior && g.chance(0.3) || !senior && g.chance(0.05) {
			addQ(care.SkillPEGFeeding, 0)
		}
		if g.chance(0.15) {
			addQ(care.SkillEndOfLife, 0)
		}
		w.ContractedMinutesPerWeek = g.pick([]int{0, 16 * 60, 24 * 60, 30 * 60, 37*60 + 30}, []float64{0.35, 0.15, 0.2, 0.15, 0.15})
	case care.RoleNurse:
		addQ(care.SkillNursing, 0)
		addQ(care.SkillMedication, 0)
		addQ(care.SkillCatheterStoma, 0)
		addQ(care.SkillPEGFeeding, 0)
		w.ContractedMinutesPerWeek = 37*60 + 30
	case care.RoleChiropodist:
		addQ(care.SkillChiropody, 0)
		w.ContractedMinutesPerWeek = 37*60 + 30
	case care.RoleBefriender:
		addQ(care.SkillBefriending, 0)
	}
	w.Qualifications = quals
	return w
}

// validOver reports whether w holds skill over the whole horizon [from, to).
func validOver(w *care.Worker, skill care.Skill, from, to time.Time) bool {
	for _, q := range w.Qualifications {
		if q.Skill == skill && !from.Before(q.Obtained) && (q.Expires == nil || !q.Expires.Before(to)) {
			return true
		}
	}
	return false
}

// coverSkills makes sure that each combination of skills a visit demands is
// held, over the whole horizon, by at least two workers of a role allowed to
// hold it (and at least as many as the visit needs carers), training the
// workers who lack the fewest skills.
func (g *generator) coverSkills(workers []care.Worker, visits []schedule.Visit) {
	from, to := g.at(0, 0), g.at(g.days, 0)
	type need struct {
		skills []care.Skill
		count  int
	}
	var needs []need
	index := map[string]int{}
	for _, v := range visits {
		key := fmt.Sprint(v.Skills)
		i, ok := index[key]
		if !ok {
			i = len(needs)
			index[key] = i
			needs = append(needs, need{skills: v.Skills, count: 2})
		}
		needs[i].count = max(needs[i].count, v.CarersNeeded())
	}
	for _, n := range needs {
		roles := []care.Role{care.RoleCareWorker, care.RoleSeniorCarer}
		if r, ok := reservedRole(n.skills); ok {
			roles = []care.Role{r}
		}
		missing := func(w *care.Worker) []care.Skill {
			var m []care.Skill
			for _, s := range n.skills {
				if !validOver(w, s, from, to) {
					m = append(m, s)
				}
			}
			return m
		}
		var candidates []int
		held := 0
		for i := range workers {
			if !slices.Contains(roles, workers[i].Role) {
				continue
			}
			if len(missing(&workers[i])) == 0 {
				held++
			} else {
				candidates = append(candidates, i)
			}
		}
		slices.SortStableFunc(candidates, func(a, b int) int { return len(missing(&workers[a])) - len(missing(&workers[b])) })
		for _, i := range candidates {
			if held >= n.count {
				break
			}
			for _, s := range missing(&workers[i]) {
				workers[i].Qualifications = slices.DeleteFunc(workers[i].Qualifications, func(q care.Qualification) bool { return q.Skill == s })
				workers[i].Qualifications = append(workers[i].Qualifications, g.qualification(s, 0))
			}
			held++
		}
	}
}

// coverOnShift makes sure, for an agency made from a package mix, that each
// visit has as many workers holding its skills on shifts that can make it as
// it needs carers: in a small agency the two holders that coverSkills ensures
// may both be off on the day. It trains the worker on such a shift who lacks
// the fewest of the skills (of a role allowed to hold them).
func (g *generator) coverOnShift(workers []care.Worker, shifts []schedule.Shift, visits []schedule.Visit) {
	from, to := g.at(0, 0), g.at(g.days, 0)
	index := make(map[care.WorkerID]int, len(workers))
	for i := range workers {
		index[workers[i].ID] = i
	}
	byDay := map[int][]int{}
	day := func(t time.Time) int { return t.In(g.tz).YearDay() + 400*t.In(g.tz).Year() }
	for i := range shifts {
		d := day(shifts[i].Start)
		byDay[d] = append(byDay[d], i)
	}
	for vi := range visits {
		v := &visits[vi]
		w := v.Windows[0]
		dur := v.Duration.Std()
		roles := []care.Role{care.RoleCareWorker, care.RoleSeniorCarer}
		if r, ok := reservedRole(v.Skills); ok {
			roles = []care.Role{r}
		}
		missing := func(wk *care.Worker) int {
			n := 0
			for _, s := range v.Skills {
				if !validOver(wk, s, from, to) {
					n++
				}
			}
			return n
		}
		held := 0
		var candidates []int // workers on a fitting shift who lack skills
		for _, si := range byDay[day(w.Earliest)] {
			sh := &shifts[si]
			start := w.Earliest
			if sh.Start.After(start) {
				start = sh.Start
			}
			if start.After(w.Latest) || start.Add(dur).After(sh.End) {
				continue
			}
			wi := index[sh.Worker]
			if !slices.Contains(roles, workers[wi].Role) || slices.Contains(candidates, wi) {
				continue
			}
			if missing(&workers[wi]) == 0 {
				held++
				if held >= v.CarersNeeded() {
					break
				}
			} else {
				candidates = append(candidates, wi)
			}
		}
		slices.SortStableFunc(candidates, func(a, b int) int { return missing(&workers[a]) - missing(&workers[b]) })
		for _, wi := range candidates {
			if held >= v.CarersNeeded() {
				break
			}
			for _, s := range v.Skills {
				if !validOver(&workers[wi], s, from, to) {
					workers[wi].Qualifications = slices.DeleteFunc(workers[wi].Qualifications, func(q care.Qualification) bool { return q.Skill == s })
					workers[wi].Qualifications = append(workers[wi].Qualifications, g.qualification(s, 0))
				}
			}
			held++
		}
	}
}

// knownWorkers names a regular worker for the people who have one: a care
// worker who holds every skill of the person's single-handed visits (at least
// medication for those with prompts) and suits their gender preference. The
// worker is put on the person's preferences and on the visits they can make.
func (g *generator) knownWorkers(people []person, users []care.ServiceUser, workers []care.Worker, visits []schedule.Visit) {
	from, to := g.at(0, 0), g.at(g.days, 0)
	byUser := map[care.ServiceUserID][]int{}
	for i, v := range visits {
		byUser[v.ServiceUser] = append(byUser[v.ServiceUser], i)
	}
	for pi, p := range people {
		if !p.known {
			continue
		}
		var must []care.Skill
		for _, c := range p.calls {
			if c.carers == 1 {
				must = append(must, c.skills...)
			}
		}
		var fit []int
		for wi := range workers {
			w := &workers[wi]
			if w.Role != care.RoleCareWorker && w.Role != care.RoleSeniorCarer {
				continue
			}
			if p.wantFemale && w.Gender != care.Female {
				continue
			}
			ok := true
			for _, s := range must {
				if !validOver(w, s, from, to) {
					ok = false
					break
				}
			}
			if ok {
				fit = append(fit, wi)
			}
		}
		if len(fit) == 0 {
			// Train the first suitable care worker in the skills they lack.
			for wi := range workers {
				w := &workers[wi]
				if (w.Role == care.RoleCareWorker || w.Role == care.RoleSeniorCarer) && (!p.wantFemale || w.Gender == care.Female) {
					for _, s := range canonical(must) {
						if !validOver(w, s, from, to) {
							w.Qualifications = append(w.Qualifications, g.qualification(s, 0))
						}
					}
					fit = []int{wi}
					break
				}
			}
		}
		if len(fit) == 0 {
			continue
		}
		key := &workers[fit[g.rng.IntN(len(fit))]]
		users[pi].Preferences.PreferredWorkers = []care.WorkerID{key.ID}
		for _, vi := range byUser[users[pi].ID] {
			v := &visits[vi]
			if restricted(v.Skills) {
				continue // specialist visits
			}
			ok := true
			for _, s := range v.Skills {
				ok = ok && validOver(key, s, from, to)
			}
			if ok {
				v.Preferred = []care.WorkerID{key.ID}
			}
		}
	}
}
