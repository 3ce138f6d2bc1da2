package care

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Location is a point on the map, stored as an orb.Point (longitude first, as
// orb and GeoJSON order them). In JSON it is always an object with named
// fields, {"lat": 51.5, "lon": -0.12}, never a bare pair, so the order cannot
// be confused.
//
// When a problem uses planar (Euclidean) travel, as the Solomon benchmarks do,
// Lon holds the x coordinate and Lat the y coordinate.
type Location orb.Point

// NewLocation returns the location at latitude lat and longitude lon.
func NewLocation(lat, lon float64) Location { return Location{lon, lat} }

// Lat returns the latitude (or y coordinate on a plane).
func (l Location) Lat() float64 { return l[1] }

// Lon returns the longitude (or x coordinate on a plane).
func (l Location) Lon() float64 { return l[0] }

// Point returns the location as an orb.Point.
func (l Location) Point() orb.Point { return orb.Point(l) }

// String returns "lat,lon" with six decimals.
func (l Location) String() string { return fmt.Sprintf("%.6f,%.6f", l.Lat(), l.Lon()) }

// Validate reports an error when a coordinate is NaN or infinite. Range checks
// for latitude and longitude are made by ValidateGeographic, since planar
// problems use the same type.
func (l Location) Validate() error {
	if math.IsNaN(l[0]) || math.IsNaN(l[1]) || math.IsInf(l[0], 0) || math.IsInf(l[1], 0) {
		return errors.New("coordinates must be finite numbers")
	}
	return nil
}

// ValidateGeographic reports an error unless the location is finite with
// latitude in [-90, 90] and longitude in [-180, 180].
func (l Location) ValidateGeographic() error {
	if err := l.Validate(); err != nil {
		return err
	}
	if l.Lat() < -90 || l.Lat() > 90 {
		return fmt.Errorf("latitude %g outside [-90, 90]", l.Lat())
	}
	if l.Lon() < -180 || l.Lon() > 180 {
		return fmt.Errorf("longitude %g outside [-180, 180]", l.Lon())
	}
	return nil
}

type locationJSON struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// MarshalJSON encodes the location as {"lat":…, "lon":…}.
func (l Location) MarshalJSON() ([]byte, error) {
	lat, lon := l.Lat(), l.Lon()
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("location: %w", err)
	}
	return json.Marshal(locationJSON{Lat: &lat, Lon: &lon})
}

// UnmarshalJSON decodes {"lat":…, "lon":…}. Both fields are required; a bare
// [x, y] pair is rejected because its order is ambiguous.
func (l *Location) UnmarshalJSON(b []byte) error {
	var v locationJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf(`location must be an object {"lat": number, "lon": number}: %w`, err)
	}
	if v.Lat == nil || v.Lon == nil {
		return errors.New(`location must have both "lat" and "lon"`)
	}
	*l = NewLocation(*v.Lat, *v.Lon)
	return nil
}
