module github.com/carecoord/care

go 1.26.8

require (
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
