package udine_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/carecoord/care/routing/udine"
)

// Read a small instance, time a visit order with Retime (p2 is served by both
// caregivers at 25, 5 minutes late each), check it, compute
// its objective as the Udine validator does and write it in their format.
func Example() {
	inst, err := udine.Read(strings.NewReader(`{
	  "patients": [
	    {"id": "p1", "time_window": [0, 30], "required_caregivers": [{"service": "s1", "duration": 10}]},
	    {"id": "p2", "time_window": [10, 20], "required_caregivers": [{"service": "s1", "duration": 10}, {"service": "s2", "duration": 10}],
	     "synchronization": {"type": "simultaneous"}}
	  ],
	  "services": [{"id": "s1", "default_duration": 10}, {"id": "s2", "default_duration": 10}],
	  "caregivers": [{"id": "c1", "abilities": ["s1"]}, {"id": "c2", "abilities": ["s2"]}],
	  "central_offices": [{"id": "d", "location": [0, 0]}],
	  "distances": [[0, 10, 20], [10, 0, 5], [20, 5, 0]]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := udine.Retime(inst, []udine.Route{
		{Caregiver: "c1", Stops: []udine.Stop{{Patient: "p1", Service: "s1"}, {Patient: "p2", Service: "s1"}}},
		{Caregiver: "c2", Stops: []udine.Stop{{Patient: "p2", Service: "s2"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("violations:", len(udine.Check(inst, sol)))
	c, err := udine.Objective(inst, sol)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("distance %.0f, tardiness %.0f (max %.0f), objective %.3f\n", c.Distance, c.TotalTardiness, c.MaxTardiness, c.Objective)
	if err := sol.Write(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// violations: 0
	// distance 75, tardiness 10 (max 5), objective 30.000
	// {
	//   "routes": [
	//     {
	//       "caregiver_id": "c1",
	//       "locations": [
	//         {
	//           "patient": "p1",
	//           "service": "s1",
	//           "arrival_time": 10,
	//           "departure_time": 20
	//         },
	//         {
	//           "patient": "p2",
	//           "service": "s1",
	//           "arrival_time": 25,
	//           "departure_time": 35
	//         }
	//       ]
	//     },
	//     {
	//       "caregiver_id": "c2",
	//       "locations": [
	//         {
	//           "patient": "p2",
	//           "service": "s2",
	//           "arrival_time": 25,
	//           "departure_time": 35
	//         }
	//       ]
	//     }
	//   ]
	// }
}
