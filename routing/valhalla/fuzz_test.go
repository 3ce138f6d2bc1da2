package valhalla

import (
	"testing"

	"github.com/carecoord/care/routing/internal/matrixtest"
	"github.com/stretchr/testify/require"
)

// FuzzDecode feeds arbitrary matrix answers (concise and verbose layouts,
// kilometres and miles) to decode. Properties: no panic; an accepted answer
// gives rows*cols durations and distances, each NaN (unreachable) or a
// finite number >= 0; an answer with another status is a *ServiceError. Fuzz
// with
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 2m -parallel 1 ./routing/valhalla
func FuzzDecode(f *testing.F) {
	f.Add(200, []byte(`{"sources_to_targets":{"durations":[[0,60],[70,0]],"distances":[[0,1.2],[1.3,0]]},"units":"kilometers"}`), 2, 2)
	f.Add(200, []byte(`{"sources_to_targets":[[{"from_index":0,"to_index":0,"time":0,"distance":0},{"from_index":0,"to_index":1,"time":null,"distance":null}]],"units":"miles"}`), 1, 2)
	f.Add(200, []byte(`{"sources_to_targets":[[{"time":5,"distance":0.1}]],"units":"km"}`), 1, 1)
	f.Add(400, []byte(`{"error_code":171,"error":"No suitable edges near location","status_code":400,"status":"Bad Request"}`), 1, 1)
	f.Add(200, []byte(`{"error_code":154,"error":"Path distance exceeds the max distance limit"}`), 1, 1)
	f.Add(200, []byte(`{"sources_to_targets":{"durations":[[-5]],"distances":[[1e306]]},"units":"miles"}`), 1, 1)
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
