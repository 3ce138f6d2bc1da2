package care_test

// Personal data in errors (issue 10, item 5): a realistic problem (a
// synthetic agency with the names, addresses, contacts and notes a provider's
// export holds) is broken in many ways and fed to Validate, Decode, Solve,
// Evaluate and the compliance checks; no error, report or finding may carry
// a person's name, address, contact details or health notes. Messages name
// records by ID only. IDs and codes themselves are quoted (clipped) in
// errors by design, so the breakages put personal details only in the fields
// meant for them (names, addresses, contacts, notes, leave reasons).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Personal details put into the problem; none may appear in any output.
var (
	piiNames     = []string{"Margaret Thornbury", "Dennis Okafor", "Eileen MacPherson", "Rajesh Varma", "Gwendolyn Price", "Tomasz Kowalczyk"}
	piiAddresses = []string{"14 Elm Road, Reading RG1 2AB", "Flat 3, 27 Caversham Street, RG4 8QT", "The Old Vicarage, Sonning Lane"}
	piiContacts  = []string{"Susan Thornbury", "07700 900123", "susan.thornbury@example.org", "Kofi Okafor", "kofi@example.net"}
	piiHealth    = []string{"Alzheimer's", "insulin-dependent diabetic", "incontinent at night", "recent stroke", "chest infection", "key safe 4821"}
)

func personal() []string {
	return append(append(append(append([]string(nil), piiNames...), piiAddresses...), piiContacts...), piiHealth...)
}

// peopleProblem is a one-day synthetic agency with personal details added.
func peopleProblem(t *testing.T) *schedule.Problem {
	t.Helper()
	p, err := synth.Generate(synth.Config{Seed: 7, People: 10, Days: 1, Start: synth.DefaultStart(), Town: synth.Reading()})
	require.NoError(t, err)
	for i := range p.ServiceUsers {
		u := &p.ServiceUsers[i]
		u.DisplayName = piiNames[i%3]
		u.Address = piiAddresses[i%len(piiAddresses)]
		u.AccessNotes = piiHealth[i%len(piiHealth)] + "; " + piiHealth[(i+5)%len(piiHealth)]
		u.Contacts = []care.Contact{{ID: care.ContactID(fmt.Sprintf("c%d", i)), Name: piiContacts[0], Relationship: "daughter", Phone: piiContacts[1], Email: piiContacts[2]}}
	}
	for i := range p.Workers {
		p.Workers[i].Name = piiNames[3+i%3]
	}
	p.Leave = append(p.Leave, schedule.Leave{Worker: p.Workers[0].ID, From: p.Start.Add(20 * time.Hour), To: p.Start.Add(22 * time.Hour), Reason: piiHealth[4]})
	require.NoError(t, p.Validate())
	return p
}

// clone copies p through JSON.
func clone(t *testing.T, p *schedule.Problem) *schedule.Problem {
	t.Helper()
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var q schedule.Problem
	require.NoError(t, json.Unmarshal(b, &q))
	return &q
}

// breakages are ways a provider's export goes wrong, each touching the
// records that carry personal details.
var breakages = []struct {
	name  string
	apply func(p *schedule.Problem)
}{
	{"contact email holds the name", func(p *schedule.Problem) {
		p.ServiceUsers[0].Contacts[0].Email = piiContacts[0] + " <" + piiContacts[1] + ">"
	}},
	{"contact id with a newline", func(p *schedule.Problem) { p.ServiceUsers[0].Contacts[0].ID = "c0\n" }},
	{"duplicate contact", func(p *schedule.Problem) {
		p.ServiceUsers[1].Contacts = append(p.ServiceUsers[1].Contacts, p.ServiceUsers[1].Contacts[0])
	}},
	{"service user location NaN", func(p *schedule.Problem) { p.ServiceUsers[1].Location = care.NewLocation(math.NaN(), 0) }},
	{"service user latitude 91", func(p *schedule.Problem) { p.ServiceUsers[2].Location = care.NewLocation(91, 0) }},
	{"carer gender unknown", func(p *schedule.Problem) { p.ServiceUsers[0].Preferences.CarerGender = "dementia-aware" }},
	{"preferred and excluded", func(p *schedule.Problem) {
		w := p.Workers[0].ID
		p.ServiceUsers[0].Preferences.PreferredWorkers = []care.WorkerID{w}
		p.ServiceUsers[0].Preferences.ExcludedWorkers = []care.WorkerID{w}
	}},
	{"service user id with a space", func(p *schedule.Problem) {
		old := p.ServiceUsers[0].ID
		p.ServiceUsers[0].ID += " "
		for i := range p.Visits {
			if p.Visits[i].ServiceUser == old {
				p.Visits[i].ServiceUser = p.ServiceUsers[0].ID
			}
		}
	}},
	{"worker role unknown", func(p *schedule.Problem) { p.Workers[0].Role = "matron" }},
	{"worker home latitude -100", func(p *schedule.Problem) { h := care.NewLocation(-100, 0); p.Workers[1].Home = &h }},
	{"worker languages bad", func(p *schedule.Problem) { p.Workers[2].Languages = []string{"!!"} }},
	{"visit duration negative", func(p *schedule.Problem) { p.Visits[0].Duration = -schedule.Minutes(30) }},
	{"visit window reversed", func(p *schedule.Problem) {
		w := &p.Visits[1].Windows[0]
		w.Earliest, w.Latest = w.Latest.Add(time.Hour), w.Earliest
	}},
	{"visit for unknown service user", func(p *schedule.Problem) { p.Visits[2].ServiceUser = "nobody" }},
	{"visit kind unknown", func(p *schedule.Problem) { p.Visits[3].Kind = "gardening" }},
	{"visit pinned to unknown worker", func(p *schedule.Problem) { p.Visits[4].Pinned = []care.WorkerID{"w-none"} }},
	{"visit carers 3", func(p *schedule.Problem) { p.Visits[5].Carers = 3 }},
	{"duplicate visit", func(p *schedule.Problem) { p.Visits = append(p.Visits, p.Visits[0]) }},
	{"shift ends before it starts", func(p *schedule.Problem) { s := &p.Shifts[0]; s.Start, s.End = s.End, s.Start }},
	{"leave outside horizon", func(p *schedule.Problem) {
		l := &p.Leave[len(p.Leave)-1]
		l.From, l.To = l.From.AddDate(1, 0, 0), l.To.AddDate(1, 0, 0)
	}},
	{"time zone unknown", func(p *schedule.Problem) { p.TimeZone = "Europe/Reading" }},
	{"everything at once", func(p *schedule.Problem) {
		p.Visits[0].Duration = 0
		p.ServiceUsers[0].Location = care.NewLocation(0, 500)
		p.Workers[0].Role = "x"
	}},
}

func TestNoPersonalDataInErrors(t *testing.T) {
	base := peopleProblem(t)
	ctx := context.Background()
	opt := routing.Options{Seed: 1, Threads: 1, MaxIterations: 30}
	var outputs []string
	record := func(what string, v any) {
		switch x := v.(type) {
		case nil:
		case error:
			outputs = append(outputs, what+": "+x.Error())
		default:
			// JSON when it encodes, else Go's own formatting.
			if b, err := json.Marshal(x); err == nil {
				outputs = append(outputs, what+": "+string(b))
			} else {
				outputs = append(outputs, what+": "+fmt.Sprintf("%+v", x))
			}
		}
	}
	errs := 0
	for _, br := range breakages {
		p := clone(t, base)
		br.apply(p)
		err := p.Validate()
		if err != nil {
			errs++
		}
		record(br.name+": Validate", err)
		if b, merr := json.Marshal(p); merr == nil {
			_, err = schedule.Decode(bytes.NewReader(b))
			record(br.name+": Decode", err)
			// The same JSON with a field of the wrong type next to the personal details.
			bad := strings.Replace(string(b), `"display_name":`, `"display_name": 1, "x":`, 1)
			_, err = schedule.Decode(strings.NewReader(bad))
			record(br.name+": Decode wrong type", err)
		}
		_, err = routing.Solve(ctx, p, opt)
		record(br.name+": Solve", err)
		_, err = schedule.Redact(p, 1)
		record(br.name+": Redact", err)
	}
	assert.GreaterOrEqual(t, errs, len(breakages)-2, "most breakages must be refused by Validate")

	// A planned rota, then broken rotas through Evaluate and the compliance checks.
	res, err := routing.Solve(ctx, base, opt)
	require.NoError(t, err)
	rep, err := routing.Evaluate(base, res.Rota)
	require.NoError(t, err)
	record("Evaluate", rep)
	pack := compliance.DefaultPack(compliance.England)
	findings, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: base, Rota: res.Rota})
	record("CheckRota", err)
	record("CheckRota findings", findings)
	require.NotEmpty(t, res.Rota.Routes)
	rotaBreaks := []func(r *schedule.Rota){
		func(r *schedule.Rota) { r.Assignments[0].Workers = []care.WorkerID{"w-none"} }, // a new slice: the original stays
		func(r *schedule.Rota) { r.Assignments[0].Start = r.Assignments[0].Start.Add(-6 * time.Hour) },
		func(r *schedule.Rota) { r.Assignments = append(r.Assignments, r.Assignments[0]) },
		func(r *schedule.Rota) { r.Routes[0].Worker = base.Workers[len(base.Workers)-1].ID },
		func(r *schedule.Rota) {
			r.Unassigned = append(r.Unassigned, schedule.Unassigned{Visit: base.Visits[0].ID, Reason: "felt_like_it"})
		},
	}
	for i, brk := range rotaBreaks {
		// A copy deep enough for the breaks: each replaces a slice
		// element or appends, so the copied slices keep res.Rota intact.
		r := *res.Rota
		r.Assignments = append([]schedule.Assignment(nil), r.Assignments...)
		r.Routes = append([]schedule.Route(nil), r.Routes...)
		r.Unassigned = append([]schedule.Unassigned(nil), r.Unassigned...)
		require.NotEmpty(t, r.Assignments)
		brk(&r)
		what := fmt.Sprintf("rota break %d", i)
		record(what+": Validate", r.Validate(base))
		rep, err := routing.Evaluate(base, &r)
		record(what+": Evaluate", err)
		record(what+": Evaluate report", rep)
		f, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: base, Rota: &r})
		record(what+": CheckRota", err)
		record(what+": CheckRota findings", f)
	}

	require.Greater(t, len(outputs), 3*len(breakages))
	for _, out := range outputs {
		low := strings.ToLower(out)
		for _, s := range personal() {
			assert.NotContains(t, low, strings.ToLower(s), "personal detail %q in %.300s", s, out)
		}
	}
	t.Logf("%d outputs scanned for %d personal details", len(outputs), len(personal()))
}
