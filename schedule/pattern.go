package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
	"github.com/teambition/rrule-go"
)

// PatternID identifies a recurring visit pattern.
type PatternID string

// BankHolidayRule says what a pattern does on a bank holiday.
type BankHolidayRule string

// Bank holiday rules.
const (
	// KeepOnBankHolidays (the default, also "") makes the visit on bank holidays as on any day.
	KeepOnBankHolidays BankHolidayRule = "keep"
	// SkipBankHolidays drops occurrences whose local date is a bank holiday.
	SkipBankHolidays BankHolidayRule = "skip"
)

// Region is a part of the United Kingdom with its own bank holidays.
type Region string

// Regions of the United Kingdom for bank holidays.
const (
	EnglandWales    Region = "england_wales" // the default, also ""
	Scotland        Region = "scotland"
	NorthernIreland Region = "northern_ireland"
)

// MaxOccurrences bounds how many visits one call of Pattern.Expand returns;
// a longer expansion is an error rather than an unbounded allocation.
const MaxOccurrences = 100_000

// The years a pattern may start in.
const (
	minPatternYear = 1970
	maxPatternYear = 9999
)

// localLayout is the layout of Pattern.Start: a local wall-clock time.
const localLayout = "2006-01-02T15:04"

// Pattern is a recurring visit in local wall-clock time, e.g. personal care
// at 08:00 every Monday, Wednesday and Friday. Expand turns it into concrete
// visits over a span.
//
// DST: the rule is evaluated on local wall-clock dates and times, so a visit
// at 08:00 stays at 08:00 local time across the changes of the clocks. A
// local time that does not exist (01:30 on the day the clocks go forward in
// Europe/London) is read, as RFC 5545 §3.3.5 says, with the UTC offset in
// force before the gap, so it becomes 02:30 local time (01:30 GMT); a local
// time that occurs twice (01:30 on the day the clocks go back) is the first of
// the two (BST). The visit's ID keeps the wall-clock time of the rule.
type Pattern struct {
	ID PatternID `json:"id"` // unique among the patterns expanded together; prefixes the IDs of the visits it makes
	// Visit is the template of each occurrence: service user, duration, kind, skills, carers
	// and the rest. Its ID and Windows are ignored (Expand sets them).
	Visit Visit `json:"visit"`
	// RRule is the body of an RFC 5545 RRULE, e.g. "FREQ=WEEKLY;BYDAY=MO,WE,FR". DTSTART
	// must not appear (Start gives it); UNTIL is read as local wall-clock time. Frequencies
	// finer than hourly and BYSECOND are rejected.
	RRule string `json:"rrule"`
	// Start is the local wall-clock start of the first occurrence, "2026-03-23T08:00".
	Start string `json:"start"`
	// TimeZone is the IANA zone of Start, e.g. "Europe/London".
	TimeZone string `json:"time_zone"`
	// Before and After make each occurrence's window [start-Before, start+After].
	Before Duration `json:"before,omitempty"`
	After  Duration `json:"after,omitempty"` // see Before
	// PenaltyPerMinute, when above 0, sets each window's Target to the planned start and
	// its PenaltyPerMinute to this value, so starting later than planned costs.
	PenaltyPerMinute float64 `json:"penalty_per_minute,omitempty"`
	// BankHolidays says whether occurrences on bank holidays are kept (default) or skipped.
	BankHolidays BankHolidayRule `json:"bank_holidays,omitempty"`
	// Region chooses the bank holidays: england_wales (default), scotland or northern_ireland.
	Region Region `json:"region,omitempty"`
}

// compiled is a validated pattern ready to expand.
type compiled struct {
	rule *rrule.RRule
	loc  *time.Location
	cal  *cal.Calendar // nil when bank holidays are kept
}

// Validate checks the pattern: its ID, the RRULE (parsed by
// github.com/teambition/rrule-go), the start and time zone, the window
// margins, the bank holiday rule and region, and the template visit (its ID
// and Windows excepted). Every error is a *care.FieldError naming the pattern
// ID and the field, e.g. `pattern "p1": rrule: ...`.
func (pt *Pattern) Validate() error {
	_, err := pt.compile()
	return err
}

func (pt *Pattern) compile() (*compiled, error) {
	id := string(pt.ID)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindPattern, id, field, format, args...))
	}
	if err := care.ValidateID(id); err != nil {
		bad("id", "%v", err)
	}
	c := &compiled{}
	var err error
	if pt.TimeZone == "" {
		bad("time_zone", "is required (an IANA name such as \"Europe/London\")")
	} else if c.loc, err = time.LoadLocation(pt.TimeZone); err != nil {
		bad("time_zone", "unknown time zone %q", truncate(pt.TimeZone, 60))
	}
	start, err := time.Parse(localLayout, pt.Start)
	if err != nil {
		bad("start", "want local wall-clock time like \"2026-03-23T08:00\", got %q", truncate(pt.Start, 40))
	}
	if err == nil && (start.Year() < minPatternYear || start.Year() > maxPatternYear) {
		// rrule-go panics on year 0, and a start centuries back makes every
		// expansion walk all the occurrences since (found by FuzzPattern).
		bad("start", "year %d outside [%d, %d]", start.Year(), minPatternYear, maxPatternYear)
		err = errors.New("start out of range")
	}
	if err == nil {
		c.rule, err = parseRRule(pt.RRule, start)
		if err != nil {
			bad("rrule", "%v", err)
		}
	}
	if pt.Before < 0 {
		bad("before", "must not be negative, got %s", pt.Before)
	}
	if pt.After < 0 {
		bad("after", "must not be negative, got %s", pt.After)
	}
	if !finite(pt.PenaltyPerMinute) || pt.PenaltyPerMinute < 0 {
		bad("penalty_per_minute", "must be a finite number >= 0, got %v", pt.PenaltyPerMinute)
	}
	switch pt.BankHolidays {
	case "", KeepOnBankHolidays:
	case SkipBankHolidays:
		c.cal = bankHolidays(pt.Region)
	default:
		bad("bank_holidays", "unknown rule %q (want \"keep\" or \"skip\")", truncate(string(pt.BankHolidays), 40))
	}
	switch pt.Region {
	case "", EnglandWales, Scotland, NorthernIreland:
	default:
		bad("region", "unknown region %q (want england_wales, scotland or northern_ireland)", truncate(string(pt.Region), 40))
	}
	// The template: validate as a visit with a placeholder ID and window, then
	// report its problems under the pattern's ID.
	tmpl := pt.Visit
	tmpl.ID = VisitID(id + "@template")
	if id == "" {
		tmpl.ID = "template"
	}
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl.Windows = []Window{{Earliest: t0, Latest: t0}}
	for _, e := range newChecker(nil).visit(&tmpl) {
		var fe *care.FieldError
		if errors.As(e, &fe) {
			bad("visit."+fe.Field, "%s", fe.Reason)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// parseRRule parses an RRULE body with DTSTART at the wall-clock time start
// (a UTC value standing for local wall-clock time).
func parseRRule(s string, start time.Time) (*rrule.RRule, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("is required, e.g. \"FREQ=WEEKLY;BYDAY=MO,WE,FR\"")
	}
	if strings.ContainsAny(s, "\r\n") || strings.Contains(strings.ToUpper(s), "DTSTART") {
		return nil, errors.New("must be one RRULE body without DTSTART (the pattern's start gives it)")
	}
	opt, err := rrule.StrToROptionInLocation(s, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("invalid RRULE %q: %w", truncate(s, 80), err)
	}
	if opt.Freq == rrule.MINUTELY || opt.Freq == rrule.SECONDLY {
		return nil, fmt.Errorf("FREQ=%s is finer than a visit pattern may repeat (at most hourly)", opt.Freq)
	}
	if len(opt.Bysecond) > 0 {
		return nil, errors.New("BYSECOND is not supported: visits start on whole minutes")
	}
	if opt.Count < 0 || opt.Interval < 0 {
		return nil, errors.New("COUNT and INTERVAL must not be negative")
	}
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("invalid RRULE %q: %w", truncate(s, 80), err)
	}
	return r, nil
}

// Expand returns the concrete visits of the pattern whose planned start lies
// in [from, to), in order of start. Each visit copies the template (its
// slices are copied, not shared), has ID "<pattern>@<local date>T<hh:mm>",
// e.g. "p1@2026-03-29T08:00", and one window [start-Before, start+After].
// Occurrences on bank holidays of the pattern's region are dropped when
// BankHolidays is "skip". The pattern is validated first.
//
// A template dependency on the pattern's own ID (e.g. medicines four hours
// after the previous dose, in a pattern of several times a day) is linked as
// ExpandAll describes; other dependencies are copied unchanged.
func (pt *Pattern) Expand(from, to time.Time) ([]Visit, error) {
	return ExpandAll([]Pattern{*pt}, from, to)
}

// ExpandAll expands each pattern over [from, to) like Pattern.Expand and
// returns all the visits, pattern by pattern in the order given, each
// pattern's in order of start. It links dependencies between the expanded
// visits: a template dependency whose Visit is the ID of one of the patterns
// (a PatternID written as a VisitID, e.g. {Visit: "am", MinGap: 4h} in the
// template of pattern "lunch-meds") becomes, in each occurrence, a dependency
// on that pattern's occurrence on the same local date (in the time zone of
// the dependent pattern) that starts last at or before it, and never on the
// occurrence itself. So "lunch-meds@2026-03-24T12:00" depends on
// "am@2026-03-24T08:00", and in a pattern at 08:00, 12:00 and 16:00 that
// depends on itself each dose depends on the one before it that day. When
// there is no such occurrence (the first dose of the day, a day on which the
// other pattern does not run, or one before from), the dependency is left out
// of that occurrence. Dependencies on any other ID are copied unchanged.
//
// Pattern IDs must be unique; every pattern is validated and all errors are
// returned together.
func ExpandAll(patterns []Pattern, from, to time.Time) ([]Visit, error) {
	var errs []error
	byID := make(map[VisitID]int, len(patterns))
	compiledAll := make([]*compiled, len(patterns))
	for i := range patterns {
		c, err := patterns[i].compile()
		if err != nil {
			errs = append(errs, err)
		}
		compiledAll[i] = c
		id := VisitID(patterns[i].ID)
		if j, dup := byID[id]; dup && id != "" {
			errs = append(errs, care.Invalid(kindPattern, string(id), "id", "duplicate pattern id (patterns[%d] and [%d])", j, i))
		}
		byID[id] = i
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if !to.After(from) {
		return nil, nil
	}
	type occurrence struct {
		pattern int
		start   time.Time
	}
	var out []Visit
	var occ []occurrence
	first := make([]int, len(patterns)+1) // pattern i's visits are out[first[i]:first[i+1]]
	for i := range patterns {
		first[i] = len(out)
		vs, starts, err := patterns[i].expand(compiledAll[i], from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
		for _, s := range starts {
			occ = append(occ, occurrence{pattern: i, start: s})
		}
	}
	first[len(patterns)] = len(out)
	for vi := range out {
		v := &out[vi]
		if len(v.Dependencies) == 0 {
			continue
		}
		self := occ[vi]
		loc := compiledAll[self.pattern].loc
		day := self.start.In(loc).Format(time.DateOnly)
		deps := v.Dependencies[:0]
		for _, d := range v.Dependencies {
			k, ok := byID[d.Visit]
			if !ok {
				deps = append(deps, d)
				continue
			}
			found := -1
			for oi := first[k]; oi < first[k+1]; oi++ {
				o := occ[oi]
				if oi == vi || o.start.After(self.start) {
					continue
				}
				if o.start.In(loc).Format(time.DateOnly) == day {
					found = oi // starts are in order: the last match is the latest
				}
			}
			if found >= 0 {
				d.Visit = out[found].ID
				deps = append(deps, d)
			}
		}
		if len(deps) == 0 {
			deps = nil
		}
		v.Dependencies = deps
	}
	return out, nil
}

// expand returns the occurrences of the compiled pattern in [from, to) and
// their planned starts.
func (pt *Pattern) expand(c *compiled, from, to time.Time) ([]Visit, []time.Time, error) {
	// Occurrences are wall-clock times in UTC; widen the span by two days on each
	// side to cover any UTC offset, then filter on the true instants.
	lo := wallOf(from.In(c.loc)).Add(-48 * time.Hour)
	hi := wallOf(to.In(c.loc)).Add(48 * time.Hour)
	var out []Visit
	var starts []time.Time
	next := c.rule.Iterator()
	for {
		w, ok := next()
		if !ok || !w.Before(hi) {
			break
		}
		if w.Before(lo) {
			continue
		}
		start := fromWall(w, c.loc)
		if start.Before(from) || !start.Before(to) {
			continue
		}
		if c.cal != nil {
			if _, observed, _ := c.cal.IsHoliday(w); observed {
				continue
			}
		}
		if len(out) == MaxOccurrences {
			return nil, nil, care.Invalid(kindPattern, string(pt.ID), "rrule", "more than %d occurrences in [%s, %s)",
				MaxOccurrences, from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
		out = append(out, pt.occurrence(w, start))
		starts = append(starts, start)
	}
	return out, starts, nil
}

// occurrence builds the visit of the occurrence at wall-clock w (instant start).
func (pt *Pattern) occurrence(w, start time.Time) Visit {
	v := pt.Visit
	v.ID = VisitID(string(pt.ID) + "@" + w.Format(localLayout))
	if v.Location != nil {
		l := *v.Location
		v.Location = &l
	}
	v.Skills = slices.Clone(v.Skills)
	if v.SeatSkills != nil {
		seats := make([][]care.Skill, len(v.SeatSkills))
		for i, s := range v.SeatSkills {
			seats[i] = slices.Clone(s)
		}
		v.SeatSkills = seats
	}
	v.Pinned = slices.Clone(v.Pinned)
	v.Preferred = slices.Clone(v.Preferred)
	v.Excluded = slices.Clone(v.Excluded)
	v.Dependencies = slices.Clone(v.Dependencies)
	v.SeatDurations = slices.Clone(v.SeatDurations)
	win := Window{Earliest: start.Add(-pt.Before.Std()), Latest: start.Add(pt.After.Std())}
	if pt.PenaltyPerMinute > 0 {
		t := start
		win.Target = &t
		win.PenaltyPerMinute = pt.PenaltyPerMinute
	}
	v.Windows = []Window{win}
	return v
}

// wallOf returns t's local wall-clock reading as a UTC time.
func wallOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// fromWall returns the instant at which the wall clock of loc reads w (a UTC
// value standing for a wall-clock reading). Of two such instants it returns
// the first; when none exists (a gap), it uses the offset before the gap.
func fromWall(w time.Time, loc *time.Location) time.Time {
	_, offBefore := w.Add(-24 * time.Hour).In(loc).Zone()
	_, offAfter := w.Add(24 * time.Hour).In(loc).Zone()
	a := w.Add(-time.Duration(offBefore) * time.Second).In(loc)
	b := w.Add(-time.Duration(offAfter) * time.Second).In(loc)
	aOK, bOK := wallOf(a).Equal(w), wallOf(b).Equal(w)
	switch {
	case aOK && bOK:
		if b.Before(a) {
			return b
		}
		return a
	case aOK:
		return a
	case bOK:
		return b
	}
	return a // in a gap: the offset in force before it
}

// bankHolidays returns a calendar of the bank holidays of region, built from
// the UK holiday rules of github.com/rickar/cal/v2/gb. Scotland and Northern
// Ireland differ from England and Wales; their extra days are defined with
// the library's rule types, never as lists of dates.
func bankHolidays(r Region) *cal.Calendar {
	c := &cal.Calendar{}
	switch r {
	case Scotland:
		c.AddHoliday(gb.NewYear, secondJanuary, gb.GoodFriday, gb.EarlyMay, gb.VEDay, gb.CoronationDay,
			gb.SpringHoliday, gb.SpringHoliday2022, gb.PlatinumJubilee, gb.SummerHolidayScotland,
			stAndrewsDay, gb.ChristmasDay, gb.BoxingDay)
	case NorthernIreland:
		c.AddHoliday(gb.Holidays...)
		c.AddHoliday(stPatricksDay, battleOfTheBoyne)
	default:
		c.AddHoliday(gb.Holidays...)
	}
	return c
}

// Weekend substitution: a holiday on Saturday or Sunday moves to the Monday.
var weekendToMonday = []cal.AltDay{{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 1}}

// Rules for the bank holidays that only Scotland or Northern Ireland keep
// (Banking and Financial Dealings Act 1971, Schedule 1; St Andrew's Day Bank
// Holiday (Scotland) Act 2007). They are read-only after initialisation.
var (
	// secondJanuary moves like Boxing Day: after a New Year's Day on the weekend it follows
	// New Year's substitute Monday.
	secondJanuary = &cal.Holiday{Name: "2nd January", Type: cal.ObservanceBank, Month: time.January, Day: 2,
		Func: cal.CalcDayOfMonth, Observed: []cal.AltDay{
			{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 2}, {Day: time.Monday, Offset: 1}}}
	stAndrewsDay = &cal.Holiday{Name: "St Andrew's Day", Type: cal.ObservanceBank, Month: time.November, Day: 30,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
	stPatricksDay = &cal.Holiday{Name: "St Patrick's Day", Type: cal.ObservanceBank, Month: time.March, Day: 17,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
	battleOfTheBoyne = &cal.Holiday{Name: "Battle of the Boyne", Type: cal.ObservanceBank, Month: time.July, Day: 12,
		Func: cal.CalcDayOfMonth, Observed: weekendToMonday}
)
