// Package routing plans visits into routes: it measures travel (Matrix and
// the MatrixProvider implementations), builds rotas for a schedule.Problem and
// checks them independently.
//
// Travel is measured by a MatrixProvider chosen from the problem's
// schedule.Travel with FromProblem: great-circle distance times a road factor
// at a speed per travel mode (no network), planar Euclidean distance for
// benchmark instances, or a dense matrix given by the caller. The clients in
// routing/osrm and routing/valhalla ask a routing server the user runs.
//
// # Planning
//
// Solve (or any Solver) turns a schedule.Problem into a Result: a
// schedule.Rota with an assignment and a planned start per visit, one route
// per used shift with its legs, and every visit it could not plan with a
// schedule.Reason found by trial (no eligible worker, no shift, window
// unreachable, capacity, working-time limit, or cost). The search is a
// ruin-and-recreate local search on integer arrays (routing/internal/search)
// run on several seeded threads; Options set the seed, limits, threads and a
// progress callback, and cancelling the context returns the best rota so
// far. Solve's documentation lists the scales of the translation and what
// it does and does not optimise: double-handed visits are planned for two
// different workers who start together (each seat with its own skills), and
// dependencies between visits (a gap after the other visit ends; any, the
// same or a different worker) are kept; a visit left out for want of a
// partner or of its dependency says so (no_partner, dependency_unmet).
//
// # Checking
//
// Evaluate recomputes a rota from scratch, in time.Time and float64, with no
// code shared with the search: arrivals, waits, service starts, lateness
// after window targets, working time, travel time and distance per route,
// and every violation as a typed Violation (kind, visit, worker, shift and
// detail) — skills valid at the start of service, pins and exclusions,
// leave, capacity, shift start and end, windows, carers per visit, one
// service per visit, and the agreement of assignments, routes, legs and the
// unassigned list; the home care rules of part 2: double-handed visits
// started together, dependencies between visits (gaps and same or different
// worker; a dependency on an unserved visit is a breach), roles (nursing,
// chiropody, befriending), planned breaks and the working-time law over each
// worker's routes (breaks, daily rest, weekly maximum, consecutive days,
// maximum shift; each hard unless Rules.Soft lists it). The Report also gives
// totals and the objective term by term under Problem.Weights, including
// overtime (soft limits and contracted minutes), undertime (below
// contracted minutes) and fairness. EvaluateWith
// documents the exact reading of every rule, which a planner must match. Times are compared with a tolerance of one
// microsecond (Tolerance). Tests use it as the source of truth: every rota
// Solve returns must have no hard violation.
//
// # Live operations
//
// Check is check mode: it scores any rota (planned by hand, imported, or
// returned by a solver) with the evaluator and lays the findings out per
// visit (workers, ETAs, violations) and per worker (routes, totals,
// violations). Explain says, for every visit a rota leaves out and every
// worker, which constraint blocks it, found by trial insertion at every
// position of the worker's routes, and the smallest single change (a Fix:
// extend a shift, widen a window, add a skill, allow overtime, raise
// capacity) that lets it be served, with its objective cost; Fix.Apply
// makes the change. Recommend ranks the feasible places (worker, position,
// start) for a new or moved visit by the change of the objective (every
// term, overtime, undertime and fairness included; Repair ranks its places
// the same way).
// Options.Initial warm-starts Solve from an existing rota. Repair re-plans a
// published rota after changes (worker unavailable or late, visit
// cancelled, added or overrunning) with as little change as it can: the
// published routes are kept, only the visits that no longer fit (and new
// ones) are re-inserted, nothing before the freeze time moves; DiffRotas
// lists what changed per visit, per worker and per person.
//
// # Benchmarks
//
// routing/vrptw reads Solomon and Gehring-Homberger instances and converts
// them to problems (vrptw.Problem); examples/benchmark drives any Solver over
// them and reports the gap to the best-known results.
package routing
