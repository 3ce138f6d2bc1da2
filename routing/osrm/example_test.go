package osrm_test

import (
	"context"
	"fmt"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/osrm"
)

// Point the client at your own osrm-routed servers, one per travel mode.
func ExampleNew() {
	client, err := osrm.New(osrm.Options{
		Endpoints: map[care.TravelMode]osrm.Endpoint{
			care.Car:  {BaseURL: "http://localhost:5000", Profile: "driving"},
			care.Walk: {BaseURL: "http://localhost:5001", Profile: "foot"},
		},
		Timeout:      20 * time.Second,
		MaxLocations: 100, // osrm-routed --max-table-size
		Concurrency:  2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	locs := []care.Location{care.NewLocation(53.4808, -2.2426), care.NewLocation(53.4631, -2.2913)}
	m, err := client.Matrix(context.Background(), locs, []care.TravelMode{care.Car, care.Walk})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f s by car\n", m.Seconds(care.Car, 0, 1))
}
