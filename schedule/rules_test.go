package schedule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestForYoungWorker works one case by hand: each limit against the young
// worker's (REFERENCE §5.1: 8 h a shift, 40 h a week, 12 h daily rest, a 30
// minute break after 4.5 h, at most 5 days in a row).
func TestForYoungWorker(t *testing.T) {
	r := WorkingTimeRules{
		MaxShift:           Duration(10 * time.Hour),   // looser: becomes 8 h
		MinDailyRest:       Duration(13 * time.Hour),   // stricter: stays 13 h
		MaxWeekly:          0,                          // unset: becomes 40 h
		BreakAfter:         Duration(4 * time.Hour),    // stricter: stays 4 h
		BreakLength:        Duration(20 * time.Minute), // shorter: becomes 30 min
		MaxConsecutiveDays: 6,                          // looser: becomes 5
		Soft:               []string{"max_weekly"},
	}
	got := r.ForYoungWorker()
	assert.Equal(t, WorkingTimeRules{
		MaxShift:           Duration(8 * time.Hour),
		MinDailyRest:       Duration(13 * time.Hour),
		MaxWeekly:          Duration(40 * time.Hour),
		BreakAfter:         Duration(4 * time.Hour),
		BreakLength:        Duration(30 * time.Minute),
		MaxConsecutiveDays: 5,
		Soft:               []string{"max_weekly"},
	}, got)
	assert.Equal(t, Duration(10*time.Hour), r.MaxShift, "the receiver is not changed")
	assert.Equal(t, got, got.ForYoungWorker(), "applying it twice changes nothing")

	assert.Equal(t, UKYoungWorkerDefaults(), UKDefaults().ForYoungWorker(), "every adult default is looser")
	assert.Equal(t, UKYoungWorkerDefaults(), WorkingTimeRules{}.ForYoungWorker(), "no limits set: the young worker's")

	strict := WorkingTimeRules{MaxShift: Duration(6 * time.Hour), MaxWeekly: Duration(30 * time.Hour), MaxConsecutiveDays: 4,
		MinDailyRest: Duration(14 * time.Hour), BreakAfter: Duration(3 * time.Hour), BreakLength: Duration(45 * time.Minute)}
	assert.Equal(t, strict, strict.ForYoungWorker(), "rules stricter throughout are kept")
}
