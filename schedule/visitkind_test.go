package schedule

import (
	"testing"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
)

func TestVisitKindRole(t *testing.T) {
	want := map[VisitKind]care.Role{Nursing: care.RoleNurse, Chiropody: care.RoleChiropodist, Befriending: care.RoleBefriender}
	for _, k := range VisitKinds() {
		r, ok := k.Role()
		w, reserved := want[k]
		assert.Equal(t, reserved, ok, "kind %s", k)
		assert.Equal(t, w, r, "kind %s", k)
		if reserved {
			// The kind and the skill of the same name are reserved alike.
			sr, sok := care.RoleFor(care.Skill(k))
			assert.True(t, sok, "kind %s", k)
			assert.Equal(t, r, sr, "kind %s", k)
		}
	}
	r, ok := VisitKind("unknown").Role()
	assert.False(t, ok)
	assert.Empty(t, r)
}
