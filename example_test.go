package care_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/carecoord/care"
)

// A service user's records are checked before planning; the error names the
// record and the field, and matches care.ErrInvalid.
func ExampleServiceUser_Validate() {
	u := care.ServiceUser{ID: "su1", Location: care.NewLocation(51.46, -0.97),
		Contacts: []care.Contact{{ID: "c1", Relationship: "son"}, {ID: "c1", Relationship: "niece"}}}
	err := u.Validate()
	fmt.Println(errors.Is(err, care.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// service user "su1": contacts[1].id: duplicate contact id "c1"
}

// A contact's lasting power of attorney counts from its registration, and only
// for its own type of decisions.
func ExampleContact_HoldsPower() {
	registered := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	c := care.Contact{ID: "c-daughter", Relationship: "daughter",
		Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: &registered}}}
	fmt.Println(c.HoldsPower(care.HealthAndWelfare, time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)))
	fmt.Println(c.HoldsPower(care.HealthAndWelfare, time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)))
	fmt.Println(c.HoldsPower(care.PropertyAndFinancial, time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)))
	// Output:
	// true
	// false
	// false
}
