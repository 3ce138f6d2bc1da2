// Package vrptw reads the Solomon and Gehring-Homberger vehicle routing
// problem with time windows (VRPTW) benchmark formats, the SINTEF solution
// layout of their best-known solutions, and the best-known value tables kept
// next to them.
//
// Instance files are plain text: a name line, a vehicle heading followed by a
// line with two integers (number of vehicles, capacity), and one line of seven
// integers per node (id, x, y, demand, ready time, due date, service time),
// node 0 being the depot. Any line that splits into exactly seven integers is
// a node line; the first line that splits into exactly two integers after the
// VEHICLE heading is the fleet line. Windows line endings are accepted.
//
// The readers never panic on bad input; errors name the line number and field.
package vrptw

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/carecoord/care"
)

// ErrFormat is wrapped by every error caused by malformed input, so callers can
// test for it with errors.Is.
var ErrFormat = errors.New("vrptw: bad format")

// Convention names how arc lengths and travel times are derived from the
// coordinates.
type Convention int

const (
	// Exact is the double-precision Euclidean distance (the convention of
	// the hierarchical best-known solutions in bks.csv).
	Exact Convention = iota
	// Trunc1 is the Euclidean distance truncated to one decimal,
	// floor(10*d)/10 (the DIMACS and exact-method convention).
	Trunc1
)

// String returns the name used in bks_distance_only.csv ("double" or "trunc1").
func (c Convention) String() string {
	switch c {
	case Exact:
		return "double"
	case Trunc1:
		return "trunc1"
	default:
		return fmt.Sprintf("Convention(%d)", int(c))
	}
}

// ParseConvention maps "double" (or "exact") and "trunc1" to a Convention.
func ParseConvention(s string) (Convention, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "double", "exact":
		return Exact, nil
	case "trunc1":
		return Trunc1, nil
	}
	return 0, fmt.Errorf("%w: convention %q: want double or trunc1", ErrFormat, s)
}

// Node is one row of an instance: the depot (ID 0) or a customer.
type Node struct {
	ID      int `json:"id"`      // row number: 0 for the depot
	X       int `json:"x"`       // plane coordinates
	Y       int `json:"y"`       // see X
	Demand  int `json:"demand"`  // load taken against vehicle capacity; 0 for the depot
	Ready   int `json:"ready"`   // earliest service start
	Due     int `json:"due"`     // latest service start (depot: latest return)
	Service int `json:"service"` // service duration
}

// Instance is a VRPTW instance as read from a file. Nodes[0] is the depot and
// Nodes[i].ID == i for every i.
type Instance struct {
	Name     string `json:"name"`     // the instance's name as in the file, e.g. "C101"
	Vehicles int    `json:"vehicles"` // number of vehicles available
	Capacity int    `json:"capacity"` // capacity of each vehicle
	Nodes    []Node `json:"nodes"`    // the depot then the customers
}

// Distance returns the length of the arc from a to b under conv.
func Distance(a, b Node, conv Convention) float64 {
	dx := float64(a.X - b.X)
	dy := float64(a.Y - b.Y)
	if conv == Trunc1 {
		return float64(Tenths(a, b)) / 10
	}
	return math.Sqrt(dx*dx + dy*dy)
}

// Tenths returns floor(10*d) for the Euclidean distance d between a and b,
// computed exactly with integer arithmetic (no floating-point rounding), i.e.
// the Trunc1 distance in tenths.
func Tenths(a, b Node) int64 {
	dx := int64(a.X - b.X)
	dy := int64(a.Y - b.Y)
	return isqrt(100 * (dx*dx + dy*dy))
}

// isqrt returns floor(sqrt(v)) for v >= 0.
func isqrt(v int64) int64 {
	if v <= 0 {
		return 0
	}
	r := int64(math.Sqrt(float64(v)))
	for r*r > v {
		r--
	}
	for (r+1)*(r+1) <= v {
		r++
	}
	return r
}

// ReadFile reads an instance from the named file.
func ReadFile(name string) (*Instance, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("vrptw: %w", err)
	}
	defer f.Close()
	in, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return in, nil
}

// maxLine bounds the length of one input line (bufio.Scanner token size).
const maxLine = 1 << 20

// Read parses an instance in the Solomon / Gehring-Homberger text format.
func Read(r io.Reader) (*Instance, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	in := &Instance{}
	lineNo := 0
	sawVehicle := false
	haveFleet := false
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if in.Name == "" && lineNo == 1 {
			in.Name = line
			continue
		}
		if strings.HasPrefix(strings.ToUpper(line), "VEHICLE") {
			sawVehicle = true
			continue
		}
		fields := strings.Fields(line)
		vals, bad := ints(fields)
		// Once the fleet line or a node line has been read, a line that
		// starts with a number is a node line and must be one in full.
		data := haveFleet || len(in.Nodes) > 0
		if bad >= 0 {
			if data && isNumber(fields[0]) {
				return nil, fmt.Errorf("%w: line %d: %s %q is not an integer", ErrFormat, lineNo, column(bad), care.Clip(fields[bad]))
			}
			continue // heading or other text
		}
		switch {
		case len(vals) == 2 && sawVehicle && !haveFleet:
			if vals[0] <= 0 {
				return nil, fmt.Errorf("%w: line %d: vehicle number %d must be positive", ErrFormat, lineNo, vals[0])
			}
			if vals[1] < 0 {
				return nil, fmt.Errorf("%w: line %d: capacity %d must not be negative", ErrFormat, lineNo, vals[1])
			}
			in.Vehicles, in.Capacity = vals[0], vals[1]
			haveFleet = true
		case len(vals) == 7:
			n := Node{ID: vals[0], X: vals[1], Y: vals[2], Demand: vals[3], Ready: vals[4], Due: vals[5], Service: vals[6]}
			if err := checkNode(n, len(in.Nodes)); err != nil {
				return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, lineNo, err)
			}
			in.Nodes = append(in.Nodes, n)
		case data:
			return nil, fmt.Errorf("%w: line %d: %d numbers, want 7 (%s)", ErrFormat, lineNo, len(vals), strings.Join(columns[:], ", "))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, lineNo+1, err)
	}
	if !haveFleet {
		return nil, fmt.Errorf("%w: no vehicle number and capacity line", ErrFormat)
	}
	if len(in.Nodes) == 0 {
		return nil, fmt.Errorf("%w: no node lines", ErrFormat)
	}
	return in, nil
}

// coordLimit bounds coordinates and times so that later arithmetic on them
// (squares, sums over routes) cannot overflow.
const coordLimit = 1 << 30

func checkNode(n Node, want int) error {
	if n.ID != want {
		return fmt.Errorf("node id %d: want %d (ids must be 0, 1, 2, ... in order)", n.ID, want)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"x", n.X}, {"y", n.Y}, {"demand", n.Demand}, {"ready time", n.Ready}, {"due date", n.Due}, {"service time", n.Service}} {
		if f.v > coordLimit || f.v < -coordLimit {
			return fmt.Errorf("node %d: %s %d out of range", n.ID, f.name, f.v)
		}
	}
	if n.Demand < 0 {
		return fmt.Errorf("node %d: demand %d must not be negative", n.ID, n.Demand)
	}
	if n.Service < 0 {
		return fmt.Errorf("node %d: service time %d must not be negative", n.ID, n.Service)
	}
	if n.Due < n.Ready {
		return fmt.Errorf("node %d: due date %d before ready time %d", n.ID, n.Due, n.Ready)
	}
	return nil
}

// ints converts every field to an int; bad is the index of the first field
// that is not an integer, or -1.
func ints(fields []string) (vals []int, bad int) {
	out := make([]int, len(fields))
	for i, f := range fields {
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, i
		}
		out[i] = v
	}
	return out, -1
}

// columns are the fields of a node line, in order.
var columns = [7]string{"node id", "x", "y", "demand", "ready time", "due date", "service time"}

// column names field i of a node line.
func column(i int) string {
	if i < len(columns) {
		return columns[i]
	}
	return fmt.Sprintf("field %d", i+1)
}

// isNumber reports whether f reads as a number (integer or not).
func isNumber(f string) bool {
	_, err := strconv.ParseFloat(f, 64)
	return err == nil
}
