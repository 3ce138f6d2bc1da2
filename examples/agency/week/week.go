// Package week assembles an agency's week for the example programs
// (examples/agency and examples/disruption): every person is assessed, a care
// plan is drafted from the assessment and agreed, the consent gate of package
// compliance decides which plans may go live, and the problem for the week
// keeps the visits of the people whose plans may.
//
// The sample agency of schedule/synth carries no assessments, contacts or
// consent records, so Build synthesises them deterministically from a seed:
// Barthel Index answers that fit each person's visits (a hoist transfer for
// a person with double-handed visits, help with washing and dressing for a
// person with personal-care visits), outcomes in the person's own words from
// a fixed list of phrases, consent from the person to every decision of the
// plan, a family member and a GP as contacts, and for each worker the records
// package compliance reads (supervision, appraisal and, for workers with the
// medication skill, a medicines competence assessment, all in date except
// that one worker chosen from the seed is overdue for supervision and another
// has a lapsed medicines competence assessment), a hoist examined in date at
// the home of each person with double-handed visits, and a malnutrition
// screening at each assessment, so that the findings are about something
// rather than about missing files. Exactly one person (chosen
// from the seed) has no consent on file for the first decision of their plan,
// so their plan is held back and their visits are left out of the week: the
// consent gate at work. The same seed always gives the same week.
//
// The visits planned are the problem's own (the sample agency's commissioned
// week); the plans' visit patterns, expanded over the same week with
// schedule.ExpandAll, are counted for comparison but not planned, since the
// sample's staff are sized for its own visits.
package week

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/schedule"
)

// ErrNoPeople is returned when the problem has no service users to assess.
var ErrNoPeople = errors.New("week: the problem has no service users")

// Person is one service user's records for the week.
type Person struct {
	// ID is the service user's ID.
	ID care.ServiceUserID
	// Assessment is the synthesised assessment episode.
	Assessment *assessment.Assessment
	// Picture is the wellbeing model's reading of the assessment.
	Picture *assessment.Picture
	// Plan is the care plan drafted from Picture, agreed and active.
	Plan *careplan.Plan
	// Consent is the person's consent file.
	Consent compliance.ConsentFile
	// Auth is the consent gate's decision on the plan at the week's start.
	Auth compliance.Authorisation
	// Contacts are the person's family and professional contacts.
	Contacts []care.Contact
	// Visits counts the person's visits in the loaded problem.
	Visits int
}

// Week is an agency's week made ready for planning.
type Week struct {
	// Full is the problem as loaded, with every person's visits.
	Full *schedule.Problem
	// Problem is Full without the visits of people whose plans are held back.
	Problem *schedule.Problem
	// People are the service users in the order of the problem.
	People []Person
	// HeldBack lists the people whose plans may not go live, in order.
	HeldBack []care.ServiceUserID
	// PlanVisits is the number of visits the live plans' patterns expand to
	// over the week (counted, not planned; see the package doc).
	PlanVisits int
	// PlanFindings are the findings of compliance.CheckCarePlan on every
	// plan, as of the week's start.
	PlanFindings []compliance.Finding
	// Workers are the workers' records for compliance.CheckRota, in the
	// order of the problem's workers.
	Workers []compliance.WorkerRecord
	// Equipment is the lifting equipment at the homes of people with
	// double-handed (hoist) visits, each examined three months before the
	// week (LOLER asks for six-monthly examinations).
	Equipment []compliance.Equipment
}

// Person returns the records of service user id.
func (w *Week) Person(id care.ServiceUserID) (*Person, bool) {
	for i := range w.People {
		if w.People[i].ID == id {
			return &w.People[i], true
		}
	}
	return nil, false
}

// phrases are outcomes in a person's own words, one per specified outcome;
// the synthesised assessments use them as DraftOptions.Words.
var phrases = map[assessment.Outcome]string{
	assessment.OutcomeNutrition:     "I want to eat a proper hot meal at lunchtime",
	assessment.OutcomeHygiene:       "I want to feel fresh and have a wash every morning",
	assessment.OutcomeToilet:        "I want to manage the toilet without an accident",
	assessment.OutcomeClothed:       "I want to be up and dressed by nine",
	assessment.OutcomeHomeSafety:    "I want to get about my house without falling",
	assessment.OutcomeHabitableHome: "I want my home kept clean and tidy",
	assessment.OutcomeRelationships: "I want to see my friends at the club again",
	assessment.OutcomeWork:          "I want to keep up my volunteering",
	assessment.OutcomeCommunity:     "I want to get to the shops on my own",
	assessment.OutcomeChildCare:     "I want to keep looking after my grandson on Saturdays",
}

// Build assesses every person of p, drafts and agrees their plans, checks
// consent at p.Start and returns the week. seed chooses the assessments'
// answers and the person whose consent is missing. p is not modified.
func Build(p *schedule.Problem, seed uint64) (*Week, error) {
	if p == nil || len(p.ServiceUsers) == 0 {
		return nil, ErrNoPeople
	}
	full, err := clone(p)
	if err != nil {
		return nil, err
	}
	w := &Week{Full: full}
	visits := map[care.ServiceUserID][]*schedule.Visit{}
	for i := range full.Visits {
		v := &full.Visits[i]
		visits[v.ServiceUser] = append(visits[v.ServiceUser], v)
	}
	pick := rand.New(rand.NewPCG(seed, 0x5eed))
	missing := pick.IntN(len(full.ServiceUsers))
	pack := compliance.DefaultPack(compliance.England)
	for i, su := range full.ServiceUsers {
		rng := rand.New(rand.NewPCG(seed, uint64(i)+1))
		per, err := build(full, su.ID, visits[su.ID], rng, i == missing)
		if err != nil {
			return nil, err
		}
		// Everyone was screened for malnutrition at the assessment.
		fs, err := compliance.CheckCarePlan(&pack, compliance.CarePlanInput{Plan: per.Plan, AsOf: full.Start,
			NutritionScreens: []time.Time{per.Assessment.Date}})
		if err != nil {
			return nil, fmt.Errorf("service user %q: plan %q: %w", su.ID, per.Plan.ID, err)
		}
		w.PlanFindings = append(w.PlanFindings, fs...)
		if !per.Auth.Allowed {
			w.HeldBack = append(w.HeldBack, su.ID)
		} else {
			pats, err := per.Plan.Patterns(full.Start)
			if err != nil {
				return nil, fmt.Errorf("service user %q: plan %q: patterns: %w", su.ID, per.Plan.ID, err)
			}
			vs, err := schedule.ExpandAll(pats, full.Start, full.End)
			if err != nil {
				return nil, fmt.Errorf("service user %q: plan %q: expand: %w", su.ID, per.Plan.ID, err)
			}
			w.PlanVisits += len(vs)
		}
		w.People = append(w.People, *per)
	}
	w.Workers = workerRecords(full, pick)
	for _, su := range full.ServiceUsers {
		if slices.ContainsFunc(visits[su.ID], func(v *schedule.Visit) bool { return v.CarersNeeded() == 2 }) {
			w.Equipment = append(w.Equipment, compliance.Equipment{ID: "hoist-" + string(su.ID), ServiceUser: su.ID,
				Kind: "hoist", LastExamined: full.Start.AddDate(0, -3, 0)})
		}
	}
	live, err := clone(full)
	if err != nil {
		return nil, err
	}
	live.Visits = slices.DeleteFunc(live.Visits, func(v schedule.Visit) bool { return slices.Contains(w.HeldBack, v.ServiceUser) })
	if err := live.Validate(); err != nil {
		return nil, fmt.Errorf("week without held-back plans: %w", err)
	}
	w.Problem = live
	return w, nil
}

// build makes one person's records.
func build(p *schedule.Problem, id care.ServiceUserID, vs []*schedule.Visit, rng *rand.Rand, noConsent bool) (*Person, error) {
	double, kinds := false, map[schedule.VisitKind]bool{}
	for _, v := range vs {
		double = double || v.CarersNeeded() == 2
		kinds[v.Kind] = true
	}
	personal := kinds[schedule.PersonalCare]
	assessed := p.Start.AddDate(0, 0, -14)
	a := &assessment.Assessment{ID: "a-" + string(id), PersonID: string(id), Assessor: "assessor-1", Date: assessed,
		Observations: assessment.Observations{Impairment: assessment.Impairment{Physical: true}, LivesAlone: rng.IntN(2) == 0}}
	barthel := assessment.Barthel100()
	var rs []assessment.Response
	for _, it := range barthel.Items {
		best, worst := it.Options[len(it.Options)-1].Value, it.Options[0].Value
		for _, o := range it.Options {
			best, worst = max(best, o.Value), min(worst, o.Value)
		}
		val := best
		switch {
		case double && (it.ID == "transfers" || it.ID == "mobility" || it.ID == "stairs"):
			val = worst
		case personal && (it.ID == "bathing" || it.ID == "grooming" || it.ID == "dressing"):
			val = worst
		case rng.IntN(4) == 0:
			val = it.Options[rng.IntN(len(it.Options))].Value
		}
		rs = append(rs, assessment.Response{Item: it.ID, Value: val})
	}
	if _, err := a.Add(barthel, rs); err != nil {
		return nil, fmt.Errorf("service user %q: assessment %q: %w", id, a.ID, err)
	}
	// Lawton IADL: 1 is independent, higher values need more help.
	iadl := map[string]int{}
	if kinds[schedule.Domestic] {
		iadl["housekeeping"], iadl["shopping"] = 5, 3
	}
	if kinds[schedule.Meal] {
		iadl["food"] = 3
	}
	if kinds[schedule.Medication] {
		iadl["medicines"] = 2
	}
	if !double && !personal && len(iadl) == 0 && !kinds[schedule.Befriending] {
		iadl["housekeeping"], iadl["shopping"] = 5, 3
	}
	lawton := assessment.Lawton()
	rs = nil
	for _, it := range lawton.Items {
		rs = append(rs, assessment.Response{Item: it.ID, Value: max(1, iadl[it.ID])})
	}
	if _, err := a.Add(lawton, rs); err != nil {
		return nil, fmt.Errorf("service user %q: assessment %q: %w", id, a.ID, err)
	}
	if kinds[schedule.Befriending] {
		// UCLA 3-item loneliness scale: "often" to every question.
		ucla := assessment.UCLA3()
		rs = nil
		for _, it := range ucla.Items {
			top := it.Options[0].Value
			for _, o := range it.Options {
				top = max(top, o.Value)
			}
			rs = append(rs, assessment.Response{Item: it.ID, Value: top})
		}
		if _, err := a.Add(ucla, rs); err != nil {
			return nil, fmt.Errorf("service user %q: assessment %q: %w", id, a.ID, err)
		}
	}
	pic, err := assessment.Evaluate(a, assessment.Options{})
	if err != nil {
		return nil, fmt.Errorf("service user %q: assessment %q: %w", id, a.ID, err)
	}
	words := map[string]string{}
	for o, s := range phrases {
		words[string(o)] = s
	}
	plan, err := careplan.FromAssessment(pic, careplan.DraftOptions{PlanID: careplan.PlanID("cp-" + string(id)), Words: words,
		TimeZone: p.TimeZone, MissedVisitResponse: "the office phones the person within 15 minutes and sends cover"})
	if err != nil {
		return nil, fmt.Errorf("service user %q: draft plan: %w", id, err)
	}
	agreed := p.Start.AddDate(0, 0, -7)
	plan.Agreement = &careplan.Agreement{By: "person", At: agreed}
	if err := plan.Transition(careplan.Agreed, agreed, "coordinator"); err != nil {
		return nil, fmt.Errorf("service user %q: plan %q: %w", id, plan.ID, err)
	}
	if err := plan.Transition(careplan.Active, p.Start.AddDate(0, 0, -1), "coordinator"); err != nil {
		return nil, fmt.Errorf("service user %q: plan %q: %w", id, plan.ID, err)
	}
	file := compliance.ConsentFile{ServiceUser: id}
	for i, d := range plan.Decisions() {
		if noConsent && i == 0 {
			continue
		}
		file.Consents = append(file.Consents, compliance.ConsentRecord{ID: "consent-" + string(id) + "-" + d.ID, Decision: d.ID,
			Given: true, Explained: "what the " + string(d.Category) + " support involves and that it can be refused",
			Format: compliance.FormatVerbal, Understood: true, ObtainedBy: "assessor-1", At: agreed})
	}
	auth, err := file.CanActionPlan(plan, p.Start)
	if err != nil {
		return nil, fmt.Errorf("service user %q: plan %q: consent: %w", id, plan.ID, err)
	}
	rel := []string{"daughter", "son", "niece", "neighbour"}[rng.IntN(4)]
	family := care.Contact{ID: care.ContactID("c-" + string(id) + "-family"), Relationship: rel, MayShare: []care.ShareCategory{care.ShareRota}}
	if rng.IntN(3) == 0 {
		family.MayShare = nil // the person has not agreed to share anything with them
	}
	gp := care.Contact{ID: care.ContactID("c-" + string(id) + "-gp"), Professional: care.GP}
	return &Person{ID: id, Assessment: a, Picture: pic, Plan: plan, Consent: file, Auth: auth,
		Contacts: []care.Contact{family, gp}, Visits: len(vs)}, nil
}

// workerRecords synthesises the workers' records: supervision six weeks and
// an appraisal five months before the week, a medicines competence assessment
// four months before it for holders of the medication skill, and for the
// people each worker is preferred by, KnownTo. One worker's last supervision
// is five months old and another's medicines competence is 14 months old.
func workerRecords(p *schedule.Problem, rng *rand.Rand) []compliance.WorkerRecord {
	known := map[care.WorkerID][]care.ServiceUserID{}
	for _, su := range p.ServiceUsers {
		for _, w := range su.Preferences.PreferredWorkers {
			known[w] = append(known[w], su.ID)
		}
	}
	var meds []int
	for i, wk := range p.Workers {
		for _, q := range wk.Qualifications {
			if q.Skill == care.SkillMedication {
				meds = append(meds, i)
				break
			}
		}
	}
	overdue := rng.IntN(len(p.Workers))
	lapsed := -1
	if len(meds) > 0 {
		lapsed = meds[rng.IntN(len(meds))]
	}
	recs := make([]compliance.WorkerRecord, len(p.Workers))
	for i, wk := range p.Workers {
		r := compliance.WorkerRecord{Worker: wk.ID, KnownTo: known[wk.ID],
			Supervisions: []time.Time{p.Start.AddDate(0, 0, -42)},
			Appraisals:   []time.Time{p.Start.AddDate(0, -5, 0)}}
		if i == overdue {
			r.Supervisions = []time.Time{p.Start.AddDate(0, -5, 0)}
		}
		if slices.Contains(meds, i) {
			r.MedicinesCompetence = []time.Time{p.Start.AddDate(0, -4, 0)}
			if i == lapsed {
				r.MedicinesCompetence = []time.Time{p.Start.AddDate(0, -14, 0)}
			}
		}
		recs[i] = r
	}
	return recs
}

// clone deep-copies a problem through its JSON form.
func clone(p *schedule.Problem) (*schedule.Problem, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("copy problem %q: %w", p.Name, err)
	}
	q, err := schedule.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("copy problem %q: %w", p.Name, err)
	}
	return q, nil
}
