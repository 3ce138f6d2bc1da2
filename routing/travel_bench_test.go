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
