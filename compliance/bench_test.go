package compliance

import (
	"fmt"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// bigFx builds a rota of nw workers over 14 days, each day a route of 6
// visits of 45 minutes an hour apart, with pay, doses and records.
func bigFx(nw int) *fx {
	f := newFx()
	f.p.Workers, f.in.Workers = nil, nil
	for i := range 200 {
		f.p.ServiceUsers = append(f.p.ServiceUsers, care.ServiceUser{ID: care.ServiceUserID(fmt.Sprintf("p%d", i)), Location: care.NewLocation(51.5, -0.1+float64(i)/1000)})
	}
	for w := range nw {
		wid := care.WorkerID(fmt.Sprintf("w%d", w))
		f.p.Workers = append(f.p.Workers, worker(wid))
		f.in.Workers = append(f.in.Workers, record(wid))
		f.in.Pay = append(f.in.Pay, PayPeriod{Worker: wid, From: day0, To: day0.AddDate(0, 0, 14), Gross: 900, MinimumRate: 12.71})
		for d := range 14 {
			var ids []schedule.VisitID
			for k := range 6 {
				id := schedule.VisitID(fmt.Sprintf("%s-%d-%d", wid, d, k))
				u := care.ServiceUserID(fmt.Sprintf("p%d", (w*7+d+k)%200))
				f.visit(id, u, at(d, 8+k, 0), 45*time.Minute)
				ids = append(ids, id)
			}
			f.route(wid, schedule.ShiftID(fmt.Sprintf("%s-%d", wid, d)), ids...)
		}
	}
	f.in.Repositioning = []RepositioningNeed{{ServiceUser: "p1", Risk: AtRisk}}
	return f
}

// BenchmarkCheckRota checks a rota of 50 workers and 4,200 visits.
func BenchmarkCheckRota(b *testing.B) {
	f := bigFx(50)
	in := f.in
	in.Problem, in.Rota = f.p, f.r
	b.ResetTimer()
	for b.Loop() {
		if _, err := CheckRota(&f.pack, in); err != nil {
			b.Fatal(err)
		}
	}
}
