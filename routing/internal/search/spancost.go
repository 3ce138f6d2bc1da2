package search

import (
	"fmt"
	"math"
)

// SpanPiece is one piece of a vehicle's span cost (see Vehicle.SpanCost):
// PerUnit is added to the slope of the cost from a span of From on.
type SpanPiece struct {
	From    int64 // span (leave start .. reach end) at which the piece starts; >= 0
	PerUnit int64 // slope added from From on, per unit of span
}

// spanCostOf is Σ PerUnit·max(0, span − From) over the pieces: the cost of a
// non-empty route whose working span is span.
func spanCostOf(pieces []SpanPiece, span int64) int64 {
	var c int64
	for _, sp := range pieces {
		if span <= sp.From {
			break
		}
		c += sp.PerUnit * (span - sp.From)
	}
	return c
}

// spanCost is vehicle k's span cost of a non-empty route of working span
// span (0 when the instance has none).
func (p *prepared) spanCost(k int, span int64) int64 {
	if !p.spans {
		return 0
	}
	return spanCostOf(p.in.Vehicles[k].SpanCost, span)
}

// spanCostTotal is the part of s's cost from the span costs of its
// non-empty routes.
func (p *prepared) spanCostTotal(s *solution) int64 {
	if !p.spans {
		return 0
	}
	var c int64
	for k := range s.routes {
		if r := &s.routes[k]; len(r.visits) > 0 {
			c += p.spanCost(r.veh, r.span)
		}
	}
	return c
}

// validateSpanCost checks vehicle k's span cost: pieces in strictly
// increasing From order, each From in [0, 2^52], a first slope in
// [−2^52, 2^52] that may be negative only when the first piece starts at 0,
// every later slope added >= 0 (the cost is convex in the span), and the
// slope never above 2^52. It returns the largest slope magnitude, for the
// overflow bound.
func validateSpanCost(k int, v *Vehicle) (float64, error) {
	var slope, most int64
	for i, sp := range v.SpanCost {
		switch {
		case sp.From < 0 || sp.From > maxValue:
			return 0, fmt.Errorf("%w: vehicle %d: span cost piece %d: from %d out of range [0, 2^52]", ErrInvalid, k, i, sp.From)
		case i > 0 && sp.From <= v.SpanCost[i-1].From:
			return 0, fmt.Errorf("%w: vehicle %d: span cost piece %d: from %d not after piece %d's %d", ErrInvalid, k, i, sp.From, i-1, v.SpanCost[i-1].From)
		case sp.PerUnit < -maxValue || sp.PerUnit > maxValue:
			return 0, fmt.Errorf("%w: vehicle %d: span cost piece %d: per unit %d out of range [-2^52, 2^52]", ErrInvalid, k, i, sp.PerUnit)
		case sp.PerUnit < 0 && (i > 0 || sp.From != 0):
			return 0, fmt.Errorf("%w: vehicle %d: span cost piece %d: per unit %d: the cost must be convex (only a first piece from 0 may have a negative slope)", ErrInvalid, k, i, sp.PerUnit)
		}
		slope += sp.PerUnit
		if slope > maxValue {
			return 0, fmt.Errorf("%w: vehicle %d: span cost piece %d: slope %d above 2^52", ErrInvalid, k, i, slope)
		}
		most = max(most, slope, -slope)
	}
	return float64(most), nil
}

// refSpanCost is the reference span cost (for Cost): the cost's slope
// integrated unit by unit of piecewise-constant stretches, computed apart
// from spanCostOf.
func refSpanCost(v *Vehicle, span int64) int64 {
	var total, slope int64
	at := int64(0)
	for _, sp := range v.SpanCost {
		if sp.From >= span {
			break
		}
		total += slope * (sp.From - at)
		at = sp.From
		slope += sp.PerUnit
	}
	return total + slope*(span-at)
}

// spanBound is an upper bound of a vehicle's span cost magnitude for a span
// of at most most units, given its largest slope magnitude.
func spanBound(slope, most float64) float64 {
	return math.Abs(slope) * most
}
