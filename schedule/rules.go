package schedule

import "time"

// WorkingTimeRules are the limits a rota must respect for each worker. A zero
// field means "no limit". UKDefaults returns the values of the Working Time
// Regulations 1998 for adult workers (REFERENCE §5.1); an agency may set
// stricter ones. The optimiser (package routing) enforces them while
// planning; package compliance reports breaches in any rota.
type WorkingTimeRules struct {
	// MaxShift is the longest working span of one shift, counting care, travel and
	// waiting between visits (travel that is part of the job is working time: WTR reg 2;
	// CJEU Tyco C-266/14 for workers without a fixed base).
	MaxShift Duration `json:"max_shift,omitempty"`
	// MinDailyRest is the least uninterrupted rest between two shifts on consecutive
	// days: 11 hours for adults, 12 for young workers (WTR reg 10).
	MinDailyRest Duration `json:"min_daily_rest,omitempty"`
	// MaxWeekly is the most working time in any 7 days of the horizon. WTR reg 4 sets 48
	// hours as an average over 17 weeks (opt-out allowed); within one planning horizon the
	// average cannot be formed, so this is applied to each week planned.
	MaxWeekly Duration `json:"max_weekly,omitempty"`
	// BreakAfter is the working span after which a break is owed: more than 6 hours
	// for adults (WTR reg 12), 4.5 hours for young workers.
	BreakAfter Duration `json:"break_after,omitempty"`
	// BreakLength is the uninterrupted break then owed: 20 minutes for adults (WTR reg 12),
	// 30 minutes for young workers.
	BreakLength Duration `json:"break_length,omitempty"`
	// MaxConsecutiveDays is the most days worked in a row. WTR reg 11 gives 24 hours'
	// uninterrupted weekly rest in each 7 days, so at most 6 consecutive working days.
	MaxConsecutiveDays int `json:"max_consecutive_days,omitempty"`
	// Soft lists the limits (by JSON field name, e.g. "max_weekly") that may be exceeded at
	// a cost (Weights.Overtime) instead of being hard.
	Soft []string `json:"soft,omitempty"`
}

// UKDefaults returns the working-time limits for adult workers in Great
// Britain under the Working Time Regulations 1998 (REFERENCE §5.1): shifts of
// at most 12 hours (an agency policy default; WTR sets no daily maximum for
// adults beyond the 11-hour daily rest), 11 hours' daily rest (reg 10), 48
// hours a week (reg 4), a 20-minute break when the working day exceeds 6 hours
// (reg 12), and at most 6 consecutive days (reg 11).
func UKDefaults() WorkingTimeRules {
	return WorkingTimeRules{
		MaxShift:           Duration(12 * time.Hour),
		MinDailyRest:       Duration(11 * time.Hour),
		MaxWeekly:          Duration(48 * time.Hour),
		BreakAfter:         Duration(6 * time.Hour),
		BreakLength:        Duration(20 * time.Minute),
		MaxConsecutiveDays: 6,
	}
}

// UKYoungWorkerDefaults returns the limits for young workers (above school
// age, under 18) under WTR 1998 (REFERENCE §5.1): 8 hours a day (reg 5A), 12
// hours' daily rest (reg 10), 40 hours a week with no averaging (reg 5A), a
// 30-minute break when working more than 4.5 hours (reg 12), and 2 days'
// weekly rest, so at most 5 consecutive days (reg 11).
func UKYoungWorkerDefaults() WorkingTimeRules {
	return WorkingTimeRules{
		MaxShift:           Duration(8 * time.Hour),
		MinDailyRest:       Duration(12 * time.Hour),
		MaxWeekly:          Duration(40 * time.Hour),
		BreakAfter:         Duration(4*time.Hour + 30*time.Minute),
		BreakLength:        Duration(30 * time.Minute),
		MaxConsecutiveDays: 5,
	}
}

// ForYoungWorker returns r made at least as strict as UKYoungWorkerDefaults,
// limit by limit, for a young worker (above school age, under 18; REFERENCE
// §5.1): the lower of MaxShift, MaxWeekly, BreakAfter and MaxConsecutiveDays
// (an unset limit, 0, takes the young worker's), and the longer of
// MinDailyRest and BreakLength. Soft is kept. Both the evaluator in package
// routing and package compliance judge young workers by these rules.
func (r WorkingTimeRules) ForYoungWorker() WorkingTimeRules {
	y := UKYoungWorkerDefaults()
	lower := func(a, b Duration) Duration {
		if a == 0 || b < a {
			return b
		}
		return a
	}
	r.MaxShift = lower(r.MaxShift, y.MaxShift)
	r.MaxWeekly = lower(r.MaxWeekly, y.MaxWeekly)
	r.BreakAfter = lower(r.BreakAfter, y.BreakAfter)
	r.MinDailyRest = max(r.MinDailyRest, y.MinDailyRest)
	r.BreakLength = max(r.BreakLength, y.BreakLength)
	if r.MaxConsecutiveDays == 0 || y.MaxConsecutiveDays < r.MaxConsecutiveDays {
		r.MaxConsecutiveDays = y.MaxConsecutiveDays
	}
	return r
}
