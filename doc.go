// Package care is the root of a library for home care coordination: the people
// (service users, workers, their contacts) and their attributes (skills,
// qualifications, employment checks, locations), shared by every other package.
//
// A home care coordinator keeps a rota of visits by care workers to people in
// their own homes. The packages of this module cover that work:
//
//	care        people and their attributes (this package)
//	assessment  scored instruments, the well-being model, Care Act eligibility, risk flags, trends
//	schedule    windows, visits, recurring patterns, shifts, working-time rules, problems and rotas
//	routing     travel, the rota optimiser, the independent evaluator, benchmark readers
//	careplan    care plans made from assessments: tasks, visit patterns, funding, reviews, notices
//	compliance  consent and capacity, regulations, workforce rules on any rota, training
//
// Types that cross package lines are plain data with JSON tags and a Validate
// method that collects every problem it finds (joined with errors.Join), each
// naming the record's ID and the field:
//
//	w := care.Worker{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car}
//	if err := w.Validate(); err != nil { ... }
//
// The library stores the least personal data it needs and never puts names or
// health details into errors or logs: errors name IDs and fields only.
package care
