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
	// exceed it by a few visits.
	VisitsPerDay int `json:"visits_per_day"`
	// Days is the length of the horizon, 1 to MaxDays; 0 = DefaultDays.
	Days int `json:"days,omitempty"`
	// Workers is the number of workers; 0 = sized for the demand, so that the care
	// minutes plus an estimate of travel fill about 65% of the care workers' shift
	// minutes (and likewise for each specialist role, with at least two of each role
	// whose visits occur). An explicit count keeps the specialists the demand needs
	// and makes the rest care workers; it must leave at least two care workers.
	Workers int `json:"workers,omitempty"`
	// CoverPeaks sizes the care staff (when Workers is 0) so that in every run the
	// care and estimated travel fill at most PeakUtilisation of the minutes the staff
	// on duty spend in it, rather than by TargetUtilisation of all shift minutes. The
	// runs are short and the gaps between them long, so this needs more workers and
	// leaves more of each shift idle; without it the busiest runs hold more care than
	// the staff on duty can make.
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
	if c.VisitsPerDay < 1 || c.VisitsPerDay > MaxVisitsPerDay {
		errs = append(errs, care.Invalid(kind, "", "visits_per_day", "%d outside [1, %d]", c.VisitsPerDay, MaxVisitsPerDay))
	}
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
