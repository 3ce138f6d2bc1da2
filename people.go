package care

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// ServiceUserID identifies a person who receives care.
type ServiceUserID string

// WorkerID identifies a member of staff or a volunteer.
type WorkerID string

// ContactID identifies a contact of a service user.
type ContactID string

// TravelMode is how a worker travels between visits.
type TravelMode string

// Travel modes.
const (
	Car             TravelMode = "car"
	Walk            TravelMode = "walk"
	Cycle           TravelMode = "cycle"
	PublicTransport TravelMode = "public_transport"
)

// Validate reports an error unless m is one of the defined travel modes.
func (m TravelMode) Validate() error {
	switch m {
	case Car, Walk, Cycle, PublicTransport:
		return nil
	}
	return fmt.Errorf("unknown travel mode %q (want car, walk, cycle or public_transport)", truncate(string(m), 40))
}

// Role is a worker's job role. Some visits may be served only by some roles:
// nursing by nurses, chiropody by chiropodists, befriending by volunteer
// befrienders (see RolesFor).
type Role string

// Roles in a home care agency and the professionals who work beside it.
const (
	RoleCareWorker            Role = "care_worker"
	RoleSeniorCarer           Role = "senior_carer"
	RoleNurse                 Role = "nurse"
	RoleOccupationalTherapist Role = "occupational_therapist"
	RoleChiropodist           Role = "chiropodist"
	RoleBefriender            Role = "befriender" // volunteer befriender
	RoleCoordinator           Role = "coordinator"
)

// Roles lists the defined roles in a stable order.
func Roles() []Role {
	return []Role{RoleCareWorker, RoleSeniorCarer, RoleNurse, RoleOccupationalTherapist, RoleChiropodist,
		RoleBefriender, RoleCoordinator}
}

// Validate reports an error unless r is a defined role.
func (r Role) Validate() error {
	if slices.Contains(Roles(), r) {
		return nil
	}
	return fmt.Errorf("unknown role %q", truncate(string(r), 40))
}

// RoleFor returns the role that alone may serve work needing skill s, with
// ok true, for the skills reserved to one profession or service: registered
// nursing to nurses, chiropody to chiropodists (foot care by a registered
// chiropodist or podiatrist) and befriending to volunteer befrienders. For
// any other skill ok is false: a worker of any role who holds the skill may
// do the work.
func RoleFor(s Skill) (r Role, ok bool) {
	switch s {
	case SkillNursing:
		return RoleNurse, true
	case SkillChiropody:
		return RoleChiropodist, true
	case SkillBefriending:
		return RoleBefriender, true
	}
	return "", false
}

// MayServe reports whether a worker of role r may do work that needs skill
// s: true unless RoleFor reserves s to another role. It says nothing of
// whether the worker holds the skill (Worker.HasSkill).
func (r Role) MayServe(s Skill) bool {
	only, ok := RoleFor(s)
	return !ok || only == r
}

// Gender is a worker's gender, or a person's preference for the gender of
// their carers. The empty value means not stated or no preference.
type Gender string

// Genders.
const (
	GenderUnstated Gender = ""
	Female         Gender = "female"
	Male           Gender = "male"
	NonBinary      Gender = "non_binary"
)

// Validate reports an error unless g is a defined gender value.
func (g Gender) Validate() error {
	switch g {
	case GenderUnstated, Female, Male, NonBinary:
		return nil
	}
	return fmt.Errorf("unknown gender %q", truncate(string(g), 40))
}

// Preferences are a service user's wishes about who cares for them.
type Preferences struct {
	PreferredWorkers []WorkerID `json:"preferred_workers,omitempty"` // regular carers, for continuity of care (NICE NG21 1.1.4)
	ExcludedWorkers  []WorkerID `json:"excluded_workers,omitempty"`  // never to be sent
	CarerGender      Gender     `json:"carer_gender,omitempty"`      // preferred gender of carers for personal care
	Languages        []string   `json:"languages,omitempty"`         // BCP 47 tags, e.g. "en", "pa", "cy"
}

// ServiceUser is a person who receives care at home. It holds only what
// planning needs: a display name for the coordinator's screens, where they
// live, how to get in, their preferences and their contacts.
type ServiceUser struct {
	ID          ServiceUserID `json:"id"`                     // unique, required (ValidateID)
	DisplayName string        `json:"display_name,omitempty"` // name shown on coordinators' screens; personal data, never logged
	Location    Location      `json:"location"`               // where the visits take place
	Address     string        `json:"address,omitempty"`      // postal address, free text
	AccessNotes string        `json:"access_notes,omitempty"` // key safe, entry instructions
	Preferences Preferences   `json:"preferences,omitzero"`   // wishes about who cares for them
	Contacts    []Contact     `json:"contacts,omitempty"`     // family, attorneys, deputies and professionals; IDs unique within the list
}

// Validate reports every problem with the record, joined; each error names
// the service user's ID and the field.
func (u *ServiceUser) Validate() error {
	const kind = "service user"
	id := string(u.ID)
	var errs []error
	if err := ValidateID(string(u.ID)); err != nil {
		errs = append(errs, Invalid(kind, id, "id", "%v", err))
	}
	if err := u.Location.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, "location", "%v", err))
	}
	if err := u.Preferences.CarerGender.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, "preferences.carer_gender", "%v", err))
	}
	for i, w := range u.Preferences.ExcludedWorkers {
		if slices.Contains(u.Preferences.PreferredWorkers, w) {
			errs = append(errs, Invalid(kind, id, fmt.Sprintf("preferences.excluded_workers[%d]", i),
				"worker %q is both preferred and excluded", w))
		}
	}
	seen := map[ContactID]bool{}
	for i := range u.Contacts {
		c := &u.Contacts[i]
		if c.ID != "" && seen[c.ID] {
			errs = append(errs, Invalid(kind, id, fmt.Sprintf("contacts[%d].id", i), "duplicate contact id %q", c.ID))
		}
		seen[c.ID] = true
		if err := c.validate(kind, id, fmt.Sprintf("contacts[%d]", i)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// EmploymentChecks are the pre-employment checks a provider must hold for each
// worker (CQC Regulation 19, Schedule 3; REFERENCE §3.1 and §5.5).
type EmploymentChecks struct {
	DBSDate          *time.Time `json:"dbs_date,omitempty"`            // date of the DBS certificate
	DBSLevel         DBSLevel   `json:"dbs_level,omitempty"`           // level of the check
	RightToWorkUntil *time.Time `json:"right_to_work_until,omitempty"` // nil = no time limit or not recorded
}

// DBSLevel is the level of a Disclosure and Barring Service check.
type DBSLevel string

// DBS check levels. Regulated activity with adults needs an enhanced check
// with an adults' barred list check (REFERENCE §5.5).
const (
	DBSBasic              DBSLevel = "basic"
	DBSStandard           DBSLevel = "standard"
	DBSEnhanced           DBSLevel = "enhanced"
	DBSEnhancedBarredList DBSLevel = "enhanced_barred_list"
)

// Worker is a member of staff or a volunteer who visits people.
type Worker struct {
	ID                       WorkerID         `json:"id"`                                    // unique, required (ValidateID)
	Name                     string           `json:"name,omitempty"`                        // personal data, never logged
	Role                     Role             `json:"role"`                                  // job role; limits which reserved skills the worker may serve (RoleFor)
	Qualifications           []Qualification  `json:"qualifications,omitempty"`              // skills held, each with its validity period (HasSkill)
	Home                     *Location        `json:"home,omitempty"`                        // where shifts start and end unless a shift says otherwise
	TravelMode               TravelMode       `json:"travel_mode"`                           // how the worker travels between visits
	ContractedMinutesPerWeek int              `json:"contracted_minutes_per_week,omitempty"` // 0 = zero-hours or not recorded
	Checks                   EmploymentChecks `json:"checks,omitzero"`                       // pre-employment checks (CQC Regulation 19)
	Gender                   Gender           `json:"gender,omitempty"`                      // empty = not stated
	Languages                []string         `json:"languages,omitempty"`                   // BCP 47 tags, e.g. "en", "pa", "cy"
	YoungWorker              bool             `json:"young_worker,omitempty"`                // above school age and under 18 (WTR 1998, REFERENCE §5.1)
	// PriorMinutes is the history the fairness term carries in: the minutes
	// the worker already worked in the period being balanced, before the
	// problem's horizon (earlier weeks of the pay period, say); 0 = none.
	// It lives on the worker record a problem carries (Problem.Workers is
	// the planner's own copy, made for each run), so the history travels
	// with the snapshot it belongs to and needs no list of IDs to keep in
	// step. It is used only by the fairness term (routing.Evaluate costs
	// it, routing.Solve plans for it) and is at most a year of minutes.
	PriorMinutes int `json:"prior_minutes,omitempty"`
}

// MaxPriorMinutes bounds Worker.PriorMinutes: a year of minutes.
const MaxPriorMinutes = 366 * 24 * 60

// HasSkill reports whether the worker holds a qualification for skill that is
// valid at the instant at.
func (w *Worker) HasSkill(skill Skill, at time.Time) bool {
	for _, q := range w.Qualifications {
		if q.Skill == skill && q.Valid(at) {
			return true
		}
	}
	return false
}

// Validate reports every problem with the record, joined; each error names
// the worker's ID and the field.
func (w *Worker) Validate() error {
	const kind = "worker"
	id := string(w.ID)
	var errs []error
	if err := ValidateID(string(w.ID)); err != nil {
		errs = append(errs, Invalid(kind, id, "id", "%v", err))
	}
	if err := w.Role.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, "role", "%v", err))
	}
	if err := w.TravelMode.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, "travel_mode", "%v", err))
	}
	if w.Home != nil {
		if err := w.Home.Validate(); err != nil {
			errs = append(errs, Invalid(kind, id, "home", "%v", err))
		}
	}
	if w.ContractedMinutesPerWeek < 0 || w.ContractedMinutesPerWeek > 7*24*60 {
		errs = append(errs, Invalid(kind, id, "contracted_minutes_per_week", "%d outside [0, %d]", w.ContractedMinutesPerWeek, 7*24*60))
	}
	if w.PriorMinutes < 0 || w.PriorMinutes > MaxPriorMinutes {
		errs = append(errs, Invalid(kind, id, "prior_minutes", "%d outside [0, %d]", w.PriorMinutes, MaxPriorMinutes))
	}
	if err := w.Gender.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, "gender", "%v", err))
	}
	switch w.Checks.DBSLevel {
	case "", DBSBasic, DBSStandard, DBSEnhanced, DBSEnhancedBarredList:
	default:
		errs = append(errs, Invalid(kind, id, "checks.dbs_level", "unknown DBS level %q", truncate(string(w.Checks.DBSLevel), 40)))
	}
	if w.Checks.DBSLevel != "" && w.Checks.DBSDate == nil {
		errs = append(errs, Invalid(kind, id, "checks.dbs_date", "is required when dbs_level is set"))
	}
	for i, q := range w.Qualifications {
		errs = append(errs, q.validate(kind, id, fmt.Sprintf("qualifications[%d]", i))...)
	}
	return errors.Join(errs...)
}

// PowerType is the type of a lasting power of attorney (Mental Capacity Act
// 2005 s.9; REFERENCE §2.4).
type PowerType string

// Types of lasting power of attorney.
const (
	HealthAndWelfare     PowerType = "health_and_welfare"
	PropertyAndFinancial PowerType = "property_and_financial"
)

// PowerOfAttorney records a lasting power of attorney held by a contact. An
// LPA can be used only once registered with the Office of the Public Guardian
// (MCA 2005 Sch.1; REFERENCE §2.4).
type PowerOfAttorney struct {
	Type       PowerType  `json:"type"`                 // health and welfare, or property and financial
	Registered *time.Time `json:"registered,omitempty"` // registration date; nil = not registered
	Scope      string     `json:"scope,omitempty"`      // conditions or restrictions written in the instrument
}

// Deputyship records a deputy appointed by the Court of Protection.
type Deputyship struct {
	Type      PowerType  `json:"type"`            // the area of decisions the deputy may make
	Appointed time.Time  `json:"appointed"`       // date of the court order
	Until     *time.Time `json:"until,omitempty"` // end of the appointment; nil = open-ended; must be after Appointed
}

// ProfessionalRole is the role of a professional contact.
type ProfessionalRole string

// Professional roles.
const (
	GP                    ProfessionalRole = "gp"
	DistrictNurse         ProfessionalRole = "district_nurse"
	OccupationalTherapist ProfessionalRole = "occupational_therapist"
	SocialWorker          ProfessionalRole = "social_worker"
	Pharmacist            ProfessionalRole = "pharmacist"
)

// ShareCategory names a kind of information a person may agree to share with
// a contact (UK GDPR; REFERENCE §6).
type ShareCategory string

// Categories of information that may be shared.
const (
	ShareRota      ShareCategory = "rota"      // who visits and when
	ShareCarePlan  ShareCategory = "care_plan" // the plan's tasks and outcomes
	ShareHealth    ShareCategory = "health"    // health details and assessments
	ShareFinance   ShareCategory = "finance"   // funding and charges
	ShareIncidents ShareCategory = "incidents" // incidents, falls, safeguarding
)

// Contact is someone a service user's coordinator keeps informed: family, an
// attorney or deputy, or a professional.
type Contact struct {
	ID           ContactID         `json:"id"`                     // unique within the service user's contacts
	Name         string            `json:"name,omitempty"`         // personal data, never logged
	Relationship string            `json:"relationship,omitempty"` // e.g. "daughter", "neighbour"
	Phone        string            `json:"phone,omitempty"`        // free text
	Email        string            `json:"email,omitempty"`        // must parse as an email address when set
	Powers       []PowerOfAttorney `json:"powers,omitempty"`       // lasting powers of attorney held for the service user
	Deputy       *Deputyship       `json:"deputy,omitempty"`       // nil = not a deputy
	Professional ProfessionalRole  `json:"professional,omitempty"` // empty = not a professional contact
	MayShare     []ShareCategory   `json:"may_share,omitempty"`    // what the person agreed may be shared with this contact
}

// HoldsPower reports whether the contact holds a registered lasting power of
// attorney of type t at the instant at.
func (c *Contact) HoldsPower(t PowerType, at time.Time) bool {
	for _, p := range c.Powers {
		if p.Type == t && p.Registered != nil && !p.Registered.After(at) {
			return true
		}
	}
	return false
}

func (c *Contact) validate(kind, id, field string) error {
	var errs []error
	if err := ValidateID(string(c.ID)); err != nil {
		errs = append(errs, Invalid(kind, id, field+".id", "%v", err))
	}
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil {
			errs = append(errs, Invalid(kind, id, field+".email", "not an email address"))
		}
	}
	for i, p := range c.Powers {
		if p.Type != HealthAndWelfare && p.Type != PropertyAndFinancial {
			errs = append(errs, Invalid(kind, id, fmt.Sprintf("%s.powers[%d].type", field, i),
				"unknown power type %q (want health_and_welfare or property_and_financial)", truncate(string(p.Type), 40)))
		}
	}
	if c.Deputy != nil {
		if c.Deputy.Type != HealthAndWelfare && c.Deputy.Type != PropertyAndFinancial {
			errs = append(errs, Invalid(kind, id, field+".deputy.type", "unknown deputyship type %q", truncate(string(c.Deputy.Type), 40)))
		}
		if c.Deputy.Until != nil && !c.Deputy.Until.After(c.Deputy.Appointed) {
			errs = append(errs, Invalid(kind, id, field+".deputy.until", "is not after appointed"))
		}
	}
	switch c.Professional {
	case "", GP, DistrictNurse, OccupationalTherapist, SocialWorker, Pharmacist:
	default:
		errs = append(errs, Invalid(kind, id, field+".professional", "unknown professional role %q", truncate(string(c.Professional), 40)))
	}
	for i, s := range c.MayShare {
		switch s {
		case ShareRota, ShareCarePlan, ShareHealth, ShareFinance, ShareIncidents:
		default:
			errs = append(errs, Invalid(kind, id, fmt.Sprintf("%s.may_share[%d]", field, i), "unknown share category %q", truncate(string(s), 40)))
		}
	}
	return errors.Join(errs...)
}

// ValidateID reports an error unless s is a usable identifier: 1 to 128
// characters, none of them control characters, and no leading or trailing
// white space. Other packages use it for their own IDs.
func ValidateID(s string) error {
	if s == "" {
		return errors.New("is required")
	}
	if len(s) > 128 {
		return fmt.Errorf("longer than 128 bytes (%d)", len(s))
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q has leading or trailing space", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%q contains a control character", s)
		}
	}
	return nil
}
