package routing

// MeanCarers exposes meanCarers (solve_soft_test.go) to the external test
// package: the mean number of distinct workers per person a rota gives.
var MeanCarers = meanCarers
