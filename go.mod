module github.com/carecoord/care

go 1.26.8

require (
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/rickar/cal/v2 v2.1.13
	github.com/stretchr/testify v1.12.1 // indirect
	github.com/teambition/rrule-go v1.8.2
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
