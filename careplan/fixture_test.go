package careplan

import (
	"time"

	"github.com/carecoord/care"
)

var london, _ = time.LoadLocation("Europe/London")

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, london) }

// hoistPlan is a plan for a person after a hip fracture: double-handed hoist
// transfers morning and evening, personal care, a time-critical medicine,
// lunch, a weekly befriender and a district nurse for wound care.
func hoistPlan() *Plan {
	return &Plan{
		ID: "p1", ServiceUser: "u1", Status: Draft,
		Needs: []Need{
			{ID: "n-hygiene", Outcome: "hygiene", Eligible: true},
			{ID: "n-home", Outcome: "home-safety", Eligible: true},
			{ID: "n-nutrition", Outcome: "nutrition", Eligible: true},
			{ID: "n-rel", Outcome: "relationships"},
		},
		Goals: []Goal{{ID: "g1", Words: "I want to get up and dressed every morning", Needs: []string{"n-hygiene", "n-home"}}},
		Practitioners: []Practitioner{
			{ID: "agency", Kind: CareWorkers, Scheduled: true},
			{ID: "dn", Kind: DistrictNurse, Contact: "c-dn"},
			{ID: "vol", Kind: Befriender, Scheduled: true, Role: care.RoleBefriender},
		},
		Tasks: []Task{
			{ID: "wash", Kind: TaskPersonalCare, Provider: "agency", Times: []string{"08:00"}, Minutes: 30, Needs: []string{"n-hygiene"}, Goals: []string{"g1"}},
			{ID: "hoist", Kind: TaskTransfer, Provider: "agency", Times: []string{"08:00", "20:00"}, Minutes: 15, Carers: 2, Needs: []string{"n-home"}},
			{ID: "bed", Kind: TaskPersonalCare, Provider: "agency", Times: []string{"20:00"}, Minutes: 20, Needs: []string{"n-hygiene"}},
			{ID: "med", Kind: TaskMedicines, Provider: "agency", Times: []string{"08:00", "13:00"}, Minutes: 10,
				Medicine: &Medicine{Medicine: "m1", Level: Administering, TimeCritical: true}},
			{ID: "lunch", Kind: TaskMeals, Provider: "agency", Times: []string{"13:00"}, Minutes: 10, Needs: []string{"n-nutrition"}},
			{ID: "friend", Kind: TaskBefriending, Provider: "vol", Times: []string{"14:00"}, Days: []Day{Wednesday}, Minutes: 60, Needs: []string{"n-rel"}},
			{ID: "wound", Kind: TaskNursing, Provider: "dn", Times: []string{"11:00"}, Days: []Day{Monday, Thursday}, Minutes: 20},
		},
	}
}
