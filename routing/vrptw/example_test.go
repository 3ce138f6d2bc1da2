package vrptw_test

import (
	"fmt"
	"strings"

	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/routing/vrptw"
)

// A tiny instance in Solomon's layout: a depot and three customers, read,
// converted to a problem and a hand-made solution (one route per line of
// customer numbers, as in the SINTEF layout) evaluated: 5+5+10 on the first
// route and 10+10 on the second.
func Example() {
	const text = `tiny

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE TIME
    0      0         0          0          0       100          0
    1      3         4          2          0        50          5
    2      6         8          3         10        60          5
    3      0        10          4          0        80          5
`
	inst, err := vrptw.Read(strings.NewReader(text))
	if err != nil {
		panic(err)
	}
	p, err := vrptw.Problem(inst, vrptw.Trunc1, vrptw.Hierarchical)
	if err != nil {
		panic(err)
	}
	r, err := vrptw.Rota(p, [][]int{{1, 2}, {3}})
	if err != nil {
		panic(err)
	}
	rep, err := routing.Evaluate(p, r)
	if err != nil {
		panic(err)
	}
	fmt.Println(inst.Name, len(inst.Nodes)-1, "customers,", inst.Vehicles, "vehicles")
	fmt.Println("feasible:", rep.Feasible(), "routes:", rep.Totals.ShiftsUsed, "distance:", rep.Totals.Distance)
	// Output:
	// tiny 3 customers, 2 vehicles
	// feasible: true routes: 2 distance: 40
}
