package plot

import (
	"io"
	"math"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadInputsNeverPanic draws odd but decodable problems and rotas: each
// call returns a picture or an error, never a panic.
func TestBadInputsNeverPanic(t *testing.T) {
	nan := math.NaN()
	cases := map[string]func(p *schedule.Problem, r *schedule.Rota){
		"NaN home":          func(p *schedule.Problem, _ *schedule.Rota) { p.ServiceUsers[0].Location = care.Location{nan, 51} },
		"infinite home":     func(p *schedule.Problem, _ *schedule.Rota) { p.Workers[0].Home = &care.Location{math.Inf(1), 51} },
		"unknown time zone": func(p *schedule.Problem, _ *schedule.Rota) { p.TimeZone = "Nowhere/Land" },
		"no windows":        func(p *schedule.Problem, _ *schedule.Rota) { p.Visits[0].Windows, p.Visits[3].Windows = nil, nil },
		"zero duration":     func(p *schedule.Problem, _ *schedule.Rota) { p.Visits[1].Duration = 0 },
		"huge duration":     func(p *schedule.Problem, _ *schedule.Rota) { p.Visits[1].Duration = schedule.Minutes(1 << 30) },
		"start in year 9999": func(_ *schedule.Problem, r *schedule.Rota) {
			r.Assignments[1].Start = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		},
		"no service users":    func(p *schedule.Problem, _ *schedule.Rota) { p.ServiceUsers = nil },
		"worker without home": func(p *schedule.Problem, _ *schedule.Rota) { p.Workers[0].Home = nil },
		"zero-length shift":   func(p *schedule.Problem, _ *schedule.Rota) { p.Shifts[0].End = p.Shifts[0].Start },
		"no legs":             func(_ *schedule.Problem, r *schedule.Rota) { r.Routes[0].Legs, r.Routes[1].Legs = nil, nil },
		"empty rota":          func(_ *schedule.Problem, r *schedule.Rota) { *r = schedule.Rota{} },
		"far pole":            func(p *schedule.Problem, _ *schedule.Rota) { p.ServiceUsers[0].Location = care.NewLocation(90, 0) },
	}
	day := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p, r := fixture(t)
			mutate(p, r)
			for _, opt := range []Options{{Width: 1, Height: 1}, {Width: 96, Height: 64, Format: SVG}} {
				require.NotPanics(t, func() {
					_ = RouteMap(io.Discard, p, r, day, opt)
					_ = Gantt(io.Discard, p, r, day, opt)
					_, _ = Days(p, r, opt)
				})
			}
		})
	}
}

func TestTinyPicture(t *testing.T) {
	p, r := fixture(t)
	day := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	assert.NoError(t, Gantt(io.Discard, p, r, day, Options{Width: 1, Height: 1}))
	assert.NoError(t, RouteMap(io.Discard, p, r, day, Options{Width: 1, Height: 1}))
}
