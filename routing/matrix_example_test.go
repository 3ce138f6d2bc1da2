package routing_test

import (
	"context"
	"fmt"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
)

// Build a travel matrix with the default provider: great-circle distance
// times the default road factor, at the default speed of each travel mode.
func ExampleGreatCircleProvider() {
	locs := []care.Location{
		care.NewLocation(51.5007, -0.1246), // Westminster
		care.NewLocation(51.5081, -0.0759), // Tower of London
	}
	modes := []care.TravelMode{care.Car, care.Walk}
	m, err := routing.GreatCircleProvider{}.Matrix(context.Background(), locs, modes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("distance %.0f m\n", m.Distance(care.Car, 0, 1))
	fmt.Printf("by car %.1f min, on foot %.1f min\n", m.Seconds(care.Car, 0, 1)/60, m.Seconds(care.Walk, 0, 1)/60)
	// Output:
	// distance 4516 m
	// by car 9.1 min, on foot 57.9 min
}
