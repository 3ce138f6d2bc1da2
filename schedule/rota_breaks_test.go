package schedule

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// In fullRota, w1's route arrives at v1 at 08:00 and waits 30 minutes, until
// 08:30; it travels 07:50–08:00 and serves v1 08:30–09:15.
func TestRotaValidateBreaks(t *testing.T) {
	brk := func(s string, min int) PlannedBreak { return PlannedBreak{Start: at(t, s), Length: Minutes(min)} }
	t.Run("inside the wait", func(t *testing.T) {
		r := fullRota(t)
		r.Routes[0].Breaks = []PlannedBreak{brk("2026-03-23T08:05:00Z", 20)}
		require.NoError(t, r.Validate(fullProblem(t)))
		r.Routes[0].Breaks = []PlannedBreak{brk("2026-03-23T08:00:00Z", 30)}
		require.NoError(t, r.Validate(fullProblem(t)), "the whole wait, end to end")
	})
	cases := []struct {
		name   string
		breaks []PlannedBreak
		field  string
		want   string
	}{
		{"over travel", []PlannedBreak{brk("2026-03-23T07:55:00Z", 20)}, "routes[0].breaks[0]", "not inside a wait"},
		{"over the visit", []PlannedBreak{brk("2026-03-23T08:20:00Z", 20)}, "routes[0].breaks[0]", "not inside a wait"},
		{"no length", []PlannedBreak{brk("2026-03-23T08:05:00Z", 0)}, "routes[0].breaks[0].length", "must be positive"},
		{"no start", []PlannedBreak{{Length: Minutes(20)}}, "routes[0].breaks[0].start", "required"},
		{"overlapping", []PlannedBreak{brk("2026-03-23T08:00:00Z", 10), brk("2026-03-23T08:05:00Z", 10)}, "routes[0].breaks[1].start", "before the end of breaks[0]"},
		{"before the shift", []PlannedBreak{brk("2026-03-23T06:30:00Z", 20)}, "routes[0].breaks[0]", "not inside the shift"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fullRota(t)
			r.Routes[0].Breaks = tc.breaks
			requireFieldError(t, r.Validate(fullProblem(t)), kindShift, "s1", tc.field, tc.want)
		})
	}
}

func TestRouteBreaksJSON(t *testing.T) {
	r := Route{Worker: "w1", Shift: "s1", Visits: []VisitID{"v1"}}
	data, err := json.Marshal(r)
	require.NoError(t, err)
	require.NotContains(t, string(data), "breaks", "omitted when empty: older rotas read and write unchanged")
	r.Breaks = []PlannedBreak{{Start: at(t, "2026-03-23T08:05:00Z"), Length: Minutes(20)}}
	data, err = json.Marshal(r)
	require.NoError(t, err)
	require.Contains(t, string(data), `"breaks":[{"start":"2026-03-23T08:05:00Z","length":`)
	var back Route
	require.NoError(t, json.Unmarshal(data, &back))
	require.Equal(t, r.Breaks, back.Breaks)
	require.Equal(t, at(t, "2026-03-23T08:25:00Z"), back.Breaks[0].End())
}
