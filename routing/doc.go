// Package routing plans visits into routes: it measures travel (Matrix and
// the MatrixProvider implementations), builds rotas for a schedule.Problem and
// checks them independently.
//
// Travel is measured by a MatrixProvider chosen from the problem's
// schedule.Travel with FromProblem: great-circle distance times a road factor
// at a speed per travel mode (no network), planar Euclidean distance for
// benchmark instances, or a dense matrix given by the caller. The clients in
// routing/osrm and routing/valhalla ask a routing server the user runs.
package routing
