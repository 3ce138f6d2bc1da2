package routing

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

func benchLocations(n int) []care.Location {
	r := rand.New(rand.NewPCG(1, 2))
	locs := make([]care.Location, n)
	for i := range locs {
		locs[i] = care.NewLocation(51.3+0.4*r.Float64(), -0.5+0.7*r.Float64())
	}
	return locs
}

func benchmarkProvider(b *testing.B, p MatrixProvider, n int) {
	locs := benchLocations(n)
	modes := []care.TravelMode{care.Car, care.Walk, care.Cycle, care.PublicTransport}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Matrix(context.Background(), locs, modes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGreatCircle1000(b *testing.B) { benchmarkProvider(b, GreatCircleProvider{}, 1000) }

func BenchmarkEuclideanTrunc1000(b *testing.B) {
	benchmarkProvider(b, EuclideanProvider{TimePerUnit: time.Minute, Rounding: schedule.Trunc1}, 1000)
}

// BenchmarkCachedTable1000 builds a 1000-location car matrix through a
// CachedTable (fetch computes great-circle values, blocks of 100) and then
// asks for it again from the cache.
func BenchmarkCachedTable1000(b *testing.B) {
	locs := benchLocations(1000)
	car := []care.TravelMode{care.Car}
	fetch := func(ctx context.Context, mode care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
		m, err := GreatCircleProvider{}.Matrix(ctx, append(append([]care.Location{}, src...), dst...), []care.TravelMode{mode})
		if err != nil {
			return nil, nil, err
		}
		s, d := make([]float64, 0, len(src)*len(dst)), make([]float64, 0, len(src)*len(dst))
		for i := range src {
			for j := range dst {
				s, d = append(s, m.Seconds(mode, i, len(src)+j)), append(d, m.Distance(mode, i, len(src)+j))
			}
		}
		return s, d, nil
	}
	b.ReportAllocs()
	for b.Loop() {
		ct := NewCachedTable(fetch, func(int) int { return 100 })
		for range 2 {
			if _, err := ct.Matrix(context.Background(), locs, car); err != nil {
				b.Fatal(err)
			}
		}
	}
}
