// Package export writes a planned rota for the people who use it: GeoJSON
// for maps (each route as a line, each visit as a point, unassigned visits
// with their reason), an iCalendar file per worker for their phone's
// calendar, and a CSV spreadsheet of visits.
//
// Each export (GeoJSON, Calendar, Calendars, WriteCSV and the Write
// functions) takes the *schedule.Problem and the *schedule.Rota planned
// for it (for example by routing.Solve), checks the rota against the problem
// with schedule.Rota.Validate, and returns an error wrapping that check's
// *care.FieldError when they do not fit.
//
// # Personal data
//
// An export carries IDs, times and places (coordinates) only, unless the
// caller asks for more in Options: people's display names, workers' names,
// addresses and visit kinds are each off by default. Health details
// (skills, medicines, access notes, care plans, contacts) are never
// exported. The files are still personal data (a visit's place and time
// identify a person's home and routine): store and send them accordingly.
//
// # Times
//
// Times are written to the second, truncated (iCalendar has no finer
// resolution, and a spreadsheet needs none): a planned start inside a window
// stays inside it. CSV and GeoJSON times are RFC 3339 with the offset of
// Options.Location; calendar times are UTC.
//
// # Determinism
//
// The output depends only on the inputs: the library never reads the clock
// (a calendar's DTSTAMP comes from Options.Stamp, else the problem's Start)
// and orders features, events and rows by planned time and ID.
package export
