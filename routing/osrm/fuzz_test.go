package osrm

import (
	"testing"

	"github.com/carecoord/care/routing/internal/matrixtest"
	"github.com/stretchr/testify/require"
)

// FuzzDecode feeds arbitrary table answers to decode. Properties: no panic;
// an accepted answer gives rows*cols durations and distances, each NaN
// (unreachable) or a finite number >= 0; an answer with another status is a
// *ServiceError. Fuzz with
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 2m -parallel 1 ./routing/osrm
func FuzzDecode(f *testing.F) {
	f.Add(200, []byte(`{"code":"Ok","durations":[[0,1],[1,0]],"distances":[[0,10],[12,0]]}`), 2, 2)
	f.Add(200, []byte(`{"code":"Ok","durations":[[0,null]],"distances":[[0,null]]}`), 1, 2)
	f.Add(200, []byte(`{"code":"NoSegment","message":"Could not find a matching segment for coordinate 1"}`), 1, 1)
	f.Add(400, []byte(`{"code":"InvalidQuery","message":"Query string malformed close to position 0"}`), 1, 1)
	f.Add(200, []byte(`{"code":"Ok","durations":[[0,-1]],"distances":[[0,1e308]]}`), 1, 2)
	f.Add(502, []byte(`<html>bad gateway</html>`), 3, 3)
	f.Fuzz(func(t *testing.T, status int, body []byte, rows, cols int) {
		rows, cols = min(max(rows, 0), 64), min(max(cols, 0), 64)
		sec, met, err := decode(status, body, rows, cols)
		if status != 200 {
			var se *ServiceError
			require.ErrorAs(t, err, &se)
			return
		}
		if err != nil {
			return
		}
		matrixtest.RequireDecoded(t, sec, met, rows, cols)
	})
}
