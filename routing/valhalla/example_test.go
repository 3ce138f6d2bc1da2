package valhalla_test

import (
	"context"
	"fmt"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/valhalla"
)

// Point the client at your own Valhalla server, with a costing per travel mode.
func ExampleNew() {
	client, err := valhalla.New(valhalla.Options{
		Endpoints: map[care.TravelMode]valhalla.Endpoint{
			care.Car:   {BaseURL: "http://localhost:8002", Costing: "auto"},
			care.Walk:  {BaseURL: "http://localhost:8002", Costing: "pedestrian"},
			care.Cycle: {BaseURL: "http://localhost:8002", Costing: "bicycle"},
		},
		MaxLocations: 50,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	locs := []care.Location{care.NewLocation(52.6369, -1.1398), care.NewLocation(52.6219, -1.1245)}
	m, err := client.Matrix(context.Background(), locs, []care.TravelMode{care.Walk})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f m on foot\n", m.Distance(care.Walk, 0, 1))
}
