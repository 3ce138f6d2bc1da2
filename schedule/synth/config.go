package synth

import (
	"errors"
	"math"
	"time"

	"github.com/carecoord/care"
)

// Limits of a Config.
const (
	// MaxVisitsPerDay is the largest VisitsPerDay accepted.
	MaxVisitsPerDay = 20000
	// MaxDays is the longest horizon accepted, in days.
	MaxDays = 28
	// MaxWorkers is the largest explicit worker count accepted.
	MaxWorkers = 10000
	// DefaultDays is the horizon used when Config.Days is 0: one week.
	DefaultDays = 7
	// SpecialistMinVisitsPerDay is the size from which an agency has nursing,
	// chiropody and befriending visits.
	SpecialistMinVisitsPerDay = 50
	// TimeZone is the agency's local time zone.
	TimeZone = "Europe/London"
	// MaxPeople is the largest People accepted.
	MaxPeople = 10000
	// SpecialistMinPeople is, when Config.People is set, the size from which an
	// agency has nursing, chiropody and befriending visits.
	SpecialistMinPeople = 20
)

// DefaultStart returns the first day used when Config.Start is zero: Monday
// 23 March 2026 (the week in which British Summer Time begins, so a one-week
// horizon also exercises the change of clocks on Sunday 29 March).
func DefaultStart() time.Time { return time.Date(2026, time.March, 23, 0, 0, 0, 0, time.UTC) }

// Town is where the agency works: service users and workers live within
// RadiusKm of Centre.
type Town struct {
	Name     string        `json:"name"`      // e.g. "Reading"; used in the problem's name
	Centre   care.Location `json:"centre"`    // WGS84 latitude and longitude of the centre
	RadiusKm float64       `json:"radius_km"` // nobody lives further than this from the centre
}

// Reading returns the town of Reading, Berkshire (centre near the Market
// Place), with a radius of 8 km. It is the default town.
func Reading() Town {
	return Town{Name: "Reading", Centre: care.NewLocation(51.4560, -0.9700), RadiusKm: 8}
}

// Stockport returns the town of Stockport, Greater Manchester (centre near
// Merseyway), with a radius of 8 km.
func Stockport() Town {
	return Town{Name: "Stockport", Centre: care.NewLocation(53.4106, -2.1575), RadiusKm: 8}
}

// Config sets the agency to generate. The zero value of each optional field
// selects its documented default.
type Config struct {
	// Seed seeds the PCG random source: the same Config gives the same agency.
	Seed uint64 `json:"seed"`
	// VisitsPerDay is the number of visits on an average day, 1 to MaxVisitsPerDay.
	// The generator adds people until the average reaches it, so the result may
	// exceed it by a few visits. It must be 0 when People is set.
	VisitsPerDay int `json:"visits_per_day"`
	// People, when above 0 (at most MaxPeople), is the number of service users to
	// generate instead of a number of visits: each gets a package drawn from Mix and
	// the visits follow from the packages. Specialist visits (nursing, chiropody,
	// befriending) appear from SpecialistMinPeople people, and a specialist role whose
	// weekly demand one person can meet has one worker, who works every weekday.
	People int `json:"people,omitempty"`
	// Mix is the share of single-handed people on each care package. The zero value
	// selects DefaultMix when People is set and, when People is 0, the heavier packages
	// of the VisitsPerDay generator (every person has a morning call; 35% four calls a
	// day, 25% three, 20% morning and bed, 20% morning only). In either mode about
	// 20% of visits are double-handed: people needing a hoist are added as the share
	// of double-handed visits falls below that.
	Mix Mix `json:"mix,omitzero"`
	// Days is the length of the horizon, 1 to MaxDays; 0 = DefaultDays.
	Days int `json:"days,omitempty"`
	// Workers is the number of workers; 0 = sized for the demand, so that the care
	// minutes plus an estimate of travel fill about 65% of the care workers' shift
	// minutes (and likewise for each specialist role, with at least two of each role
	// whose visits occur, or one with People when one can meet the demand). With
	// People or a Mix, staff are then added until every run with care workers' visits
	// has, on each day, as many care workers on duty as its visits need carers. An
	// explicit count keeps the specialists the demand needs and makes the rest care
	// workers; it must leave at least two care workers.
	Workers int `json:"workers,omitempty"`
	// CoverPeaks sizes the care staff (when Workers is 0) so that in every run the
	// care and estimated travel fill at most PeakUtilisation of the minutes the staff
	// on duty spend in it, rather than by TargetUtilisation of all shift minutes. The
	// runs are short and the gaps between them long, so this needs more workers and
	// leaves more of each shift idle; without it the busiest runs hold more care than
	// the staff on duty can make. With People or a Mix the check is made on each day
	// of the week, days off included; otherwise on the average day.
	CoverPeaks bool `json:"cover_peaks,omitempty"`
	// Start is the first day of the horizon; only its calendar date is used (the
	// horizon starts at local midnight in TimeZone). Zero = DefaultStart.
	Start time.Time `json:"start,omitzero"`
	// Town is where the agency works; the zero value means Reading.
	Town Town `json:"town,omitzero"`
}

// Validate reports every problem with the configuration, joined; each error
// is a *care.FieldError that names the field and matches care.ErrInvalid.
func (c Config) Validate() error {
	const kind = "synth config"
	var errs []error
	switch {
	case c.People < 0 || c.People > MaxPeople:
		errs = append(errs, care.Invalid(kind, "", "people", "%d outside [0, %d] (0 = sized by visits_per_day)", c.People, MaxPeople))
	case c.People > 0 && c.VisitsPerDay != 0:
		errs = append(errs, care.Invalid(kind, "", "visits_per_day", "must be 0 when people is set, got %d", c.VisitsPerDay))
	case c.People == 0 && (c.VisitsPerDay < 1 || c.VisitsPerDay > MaxVisitsPerDay):
		errs = append(errs, care.Invalid(kind, "", "visits_per_day", "%d outside [1, %d]", c.VisitsPerDay, MaxVisitsPerDay))
	}
	errs = append(errs, c.Mix.validate(kind)...)
	if c.Days < 0 || c.Days > MaxDays {
		errs = append(errs, care.Invalid(kind, "", "days", "%d outside [0, %d] (0 = %d)", c.Days, MaxDays, DefaultDays))
	}
	if c.Workers < 0 || c.Workers > MaxWorkers {
		errs = append(errs, care.Invalid(kind, "", "workers", "%d outside [0, %d] (0 = sized for the demand)", c.Workers, MaxWorkers))
	}
	if !c.Start.IsZero() && (c.Start.Year() < 1900 || c.Start.Year() > 2200) {
		errs = append(errs, care.Invalid(kind, "", "start", "year %d outside [1900, 2200]", c.Start.Year()))
	}
	if c.Town != (Town{}) {
		if c.Town.Name == "" {
			errs = append(errs, care.Invalid(kind, "", "town.name", "is required"))
		}
		if err := c.Town.Centre.ValidateGeographic(); err != nil {
			errs = append(errs, care.Invalid(kind, "", "town.centre", "%v", err))
		} else if math.Abs(c.Town.Centre.Lat()) > 80 {
			errs = append(errs, care.Invalid(kind, "", "town.centre", "latitude %g too near a pole", c.Town.Centre.Lat()))
		}
		if !(c.Town.RadiusKm > 0 && c.Town.RadiusKm <= 50) {
			errs = append(errs, care.Invalid(kind, "", "town.radius_km", "%g outside (0, 50]", c.Town.RadiusKm))
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns c with its zero optional fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Days == 0 {
		c.Days = DefaultDays
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart()
	}
	if c.Town == (Town{}) {
		c.Town = Reading()
	}
	return c
}

// Mix weighs the care packages of single-handed people: each person's package
// is drawn with probability proportional to its weight. Weights need not sum
// to 1; they must be finite and not negative. The zero Mix selects a default
// (see Config.Mix). People who need a hoist are drawn apart from the mix (see
// Config.Mix) and have three or four double-handed calls a day.
//
// The packages, as a UK home care agency's book holds them:
type Mix struct {
	// Weekly: one or two calls a week for shopping and domestic tasks (60 minutes,
	// weekdays in the late morning, 10:00–13:30), nothing else.
	Weekly float64 `json:"weekly,omitempty"`
	// Befriending: one weekly visit by a volunteer befriender (60 minutes), nothing else.
	Befriending float64 `json:"befriending,omitempty"`
	// Lunch: a 30-minute lunch call a day.
	Lunch float64 `json:"lunch,omitempty"`
	// Morning: a 30-minute morning call a day for medicines and breakfast.
	Morning float64 `json:"morning,omitempty"`
	// Meals: lunch and tea calls, 30 minutes each.
	Meals float64 `json:"meals,omitempty"`
	// Twice: morning personal care (30-60 minutes) and a bed call.
	Twice float64 `json:"twice,omitempty"`
	// Three: morning personal care, lunch and tea.
	Three float64 `json:"three,omitempty"`
	// Four: morning personal care, lunch, tea and bed.
	Four float64 `json:"four,omitempty"`
}

// DefaultMix returns the package mix used when Config.People is set and
// Config.Mix is zero: a community agency's book, weighted to light packages.
// Of single-handed people, 50% have shopping and domestic calls only (one or
// two a week), 12% a weekly befriending visit only, 9% a lunch call a day, 8%
// a morning medicines and breakfast call, 9% lunch and tea calls, and 12%
// personal care packages (3% morning and bed, 5% morning, lunch and tea, 4%
// four calls a day). A fifth of people with daily calls also have a weekly
// shopping and domestic call.
//
// The mix is this light because the generator sizes staff for the peaks: the
// morning run (07:00–10:00) is three hours, so a care worker on duty in it can
// make about 144 minutes of care and travel at 80% utilisation, three calls of
// 40 minutes; a double-handed hoist call of 45–60 minutes takes two carers
// 106–136 minutes with travel, and about a fifth of visits are double-handed.
// With CoverPeaks, 60 people on this mix make 45–75 visits a day and need 13–20
// workers, 16–17 typically, depending on the seed (seeds 1–12); SampleConfig's
// seed gives 57 visits a day (13 of them in the morning run) and 14 workers.
// 57 people on personal care packages (the VisitsPerDay generator's, about
// three calls a day: VisitsPerDay 170, the sample before this mix) make 170
// visits a day and need 37 workers at 65% of all shift minutes, or 62 sized
// for the peaks.
func DefaultMix() Mix {
	return Mix{Weekly: 0.50, Befriending: 0.12, Lunch: 0.09, Morning: 0.08, Meals: 0.09, Twice: 0.03, Three: 0.05, Four: 0.04}
}

func (m Mix) weights() []float64 {
	return []float64{m.Weekly, m.Befriending, m.Lunch, m.Morning, m.Meals, m.Twice, m.Three, m.Four}
}

var mixFields = []string{"weekly", "befriending", "lunch", "morning", "meals", "twice", "three", "four"}

func (m Mix) validate(kind string) []error {
	var errs []error
	for i, w := range m.weights() {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			errs = append(errs, care.Invalid(kind, "", "mix."+mixFields[i], "must be a finite number >= 0, got %v", w))
		}
	}
	return errs
}
