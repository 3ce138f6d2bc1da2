package vrptw

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ReadRoutes parses a solution in the SINTEF layout: header lines of the form
// "Key : value", a "Solution" line, then one "Route k : c1 c2 ... cm" line per
// vehicle with customer ids in visiting order (the depot is implicit at both
// ends). It returns the routes in file order. A route line with no customers
// gives an empty route.
func ReadRoutes(r io.Reader) ([][]int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var routes [][]int
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "Route") {
			continue
		}
		head, tail, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: line %d: route line without ':'", ErrFormat, lineNo)
		}
		if _, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, "Route"))); err != nil {
			return nil, fmt.Errorf("%w: line %d: route number %q", ErrFormat, lineNo, strings.TrimSpace(strings.TrimPrefix(head, "Route")))
		}
		fields := strings.Fields(tail)
		route := make([]int, 0, len(fields))
		for i, f := range fields {
			v, err := strconv.Atoi(f)
			if err != nil || v <= 0 {
				return nil, fmt.Errorf("%w: line %d: customer %d: %q is not a positive customer id", ErrFormat, lineNo, i+1, f)
			}
			route = append(route, v)
		}
		routes = append(routes, route)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, lineNo+1, err)
	}
	if len(routes) == 0 {
		return nil, fmt.Errorf("%w: no Route lines", ErrFormat)
	}
	return routes, nil
}

// ReadRoutesFile reads a SINTEF-layout solution from the named file.
func ReadRoutesFile(name string) ([][]int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("vrptw: %w", err)
	}
	defer f.Close()
	routes, err := ReadRoutes(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return routes, nil
}

// BestKnown is one best-known result.
type BestKnown struct {
	Instance   string     `json:"instance"`   // lower-case instance name, e.g. "c101"
	Convention Convention `json:"convention"` // the distance convention the result was computed under
	Vehicles   int        `json:"vehicles"`   // number of routes of the best-known solution
	Distance   float64    `json:"distance"`   // its total distance under Convention
}

// ErrNotFound is returned by lookups for an instance that is not in a table.
var ErrNotFound = errors.New("vrptw: not found")

// BKS is a table of best-known results keyed by lower-case instance name and convention.
type BKS map[string]map[Convention]BestKnown

// Get returns the best-known result of an instance (any case) under conv.
func (b BKS) Get(instance string, conv Convention) (BestKnown, error) {
	bk, ok := b[strings.ToLower(instance)][conv]
	if !ok {
		return BestKnown{}, fmt.Errorf("%w: instance %q convention %s", ErrNotFound, instance, conv)
	}
	return bk, nil
}

// ReadBKS parses bks.csv (columns instance,vehicles,distance,source; every row
// is the hierarchical best-known solution, convention Exact) or
// bks_distance_only.csv (columns instance,convention,vehicles,distance,source).
// The layout is recognised from the header row.
func ReadBKS(r io.Reader) (BKS, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"instance", "vehicles", "distance"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%w: header: missing column %q", ErrFormat, need)
		}
	}
	convCol, hasConv := col["convention"]
	out := BKS{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, line, err)
		}
		field := func(name string) (string, error) {
			i := col[name]
			if i >= len(rec) {
				return "", fmt.Errorf("%w: line %d: missing field %s", ErrFormat, line, name)
			}
			return strings.TrimSpace(rec[i]), nil
		}
		name, err := field("instance")
		if err != nil {
			return nil, err
		}
		bk := BestKnown{Instance: strings.ToLower(name), Convention: Exact}
		if hasConv {
			if convCol >= len(rec) {
				return nil, fmt.Errorf("%w: line %d: missing field convention", ErrFormat, line)
			}
			if bk.Convention, err = ParseConvention(rec[convCol]); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
		}
		vs, err := field("vehicles")
		if err != nil {
			return nil, err
		}
		if bk.Vehicles, err = strconv.Atoi(vs); err != nil || bk.Vehicles < 0 {
			return nil, fmt.Errorf("%w: line %d: vehicles %q", ErrFormat, line, vs)
		}
		ds, err := field("distance")
		if err != nil {
			return nil, err
		}
		if bk.Distance, err = strconv.ParseFloat(ds, 64); err != nil || bk.Distance < 0 {
			return nil, fmt.Errorf("%w: line %d: distance %q", ErrFormat, line, ds)
		}
		if out[bk.Instance] == nil {
			out[bk.Instance] = map[Convention]BestKnown{}
		}
		out[bk.Instance][bk.Convention] = bk
	}
	return out, nil
}

// ReadBKSFile reads a best-known table from the named file.
func ReadBKSFile(name string) (BKS, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("vrptw: %w", err)
	}
	defer f.Close()
	b, err := ReadBKS(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}
