package care

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

func TestLocationAccessors(t *testing.T) {
	l := NewLocation(51.5, -0.12)
	assert.Equal(t, 51.5, l.Lat())
	assert.Equal(t, -0.12, l.Lon())
	assert.Equal(t, -0.12, l.Point()[0], "orb order is lon, lat")
	assert.Equal(t, "51.500000,-0.120000", l.String())
}

func TestLocationJSON(t *testing.T) {
	b, err := json.Marshal(NewLocation(51.5, -0.12))
	require.NoError(t, err)
	assert.JSONEq(t, `{"lat":51.5,"lon":-0.12}`, string(b))

	var l Location
	require.NoError(t, json.Unmarshal([]byte(`{"lon":-0.12,"lat":51.5}`), &l))
	assert.Equal(t, NewLocation(51.5, -0.12), l)

	err = json.Unmarshal([]byte(`[-0.12, 51.5]`), &l)
	require.Error(t, err, "bare pair rejected")
	assert.Contains(t, err.Error(), `"lat"`)

	err = json.Unmarshal([]byte(`{"lon": -0.12}`), &l)
	require.Error(t, err, "missing lat rejected")
	assert.Contains(t, err.Error(), `both "lat" and "lon"`)

	require.Error(t, json.Unmarshal([]byte(`{"lat": 1}`), &l), "missing lon rejected")
	require.Error(t, json.Unmarshal([]byte(`{"lat": "51.5", "lon": 0}`), &l), "string coordinate rejected")

	_, err = json.Marshal(Location{nan(), 0})
	require.Error(t, err, "NaN cannot be encoded")
	assert.Contains(t, err.Error(), "finite")

	// Zero is a real coordinate, distinct from missing.
	require.NoError(t, json.Unmarshal([]byte(`{"lat": 0, "lon": 0}`), &l))
	assert.Equal(t, NewLocation(0, 0), l)
}

func TestLocationValidate(t *testing.T) {
	require.NoError(t, NewLocation(90, -180).ValidateGeographic())
	require.NoError(t, NewLocation(1000, 2000).Validate(), "planar coordinates are fine for Validate")
	for _, l := range []Location{NewLocation(nan(), 0), NewLocation(0, inf()), NewLocation(math.Inf(-1), 0)} {
		assert.Error(t, l.Validate())
		assert.Error(t, l.ValidateGeographic())
	}
	err := NewLocation(91, 0).ValidateGeographic()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "latitude 91")
	err = NewLocation(0, -181).ValidateGeographic()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "longitude -181")
}

func TestWorkerJSONRoundTrip(t *testing.T) {
	w := goodWorker(t)
	b, err := json.Marshal(w)
	require.NoError(t, err)
	var got Worker
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, w, got)
	assert.Contains(t, string(b), `"home":{"lat":51.5,"lon":-0.1}`)
}
