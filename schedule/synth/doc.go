// Package synth generates realistic synthetic home care agencies: service
// users spread over a real UK town, their visits as UK home care runs them,
// and the care workers, nurses, chiropodists and volunteer befrienders who
// make them, as a valid schedule.Problem.
//
// Generate is deterministic: the same Config gives byte-identical JSON. All
// randomness comes from a PCG source seeded with Config.Seed; no clock is read.
//
//	p, err := synth.Generate(synth.Config{Seed: 7, VisitsPerDay: 1000})
//
// What the generator makes:
//
//   - Service users within about 8 km of the town centre, denser in the middle
//     (the distance from the centre follows a truncated exponential, the angle is
//     uniform), in WGS84 latitude and longitude.
//   - Daily calls in the runs of UK home care (local Europe/London time; see Runs):
//     morning 07:00–10:00 (personal care and medicines), lunch 12:00–14:00, tea
//     16:30–18:00 and bed 19:30–22:00. Each visit's start window, and its end, lies
//     inside its run's hours. Calls last 30–60 minutes. A 15-minute medicines prompt
//     is made only where NICE NG21 and QS123 allow a visit shorter than 30 minutes:
//     for a person who also has longer calls (a wider package), for a time-limited
//     task, by a worker known to them (the visit and the person name a preferred
//     worker who holds the medication skill).
//   - About 20% of visits double-handed: hoist transfers, two carers, each with the
//     hoist and personal_care skills.
//   - Nursing, chiropody and befriending visits in a daytime run (10:00–16:00,
//     weekdays), needing the skills nursing, chiropody and befriending, which only
//     nurses, chiropodists and befrienders hold. They appear in agencies of at
//     least SpecialistMinVisitsPerDay visits a day, so that tiny agencies are not
//     dominated by specialists (every demanded skill has at least two holders).
//   - Workers sized for the demand (see Config.Workers and Config.CoverPeaks) on
//     rotas that respect the Working Time Regulations defaults (schedule.UKDefaults):
//     care workers on split shifts, either early (07:00–13:30 and 16:00–19:00) or late
//     (11:30–14:00 and 16:00–22:00), six days in seven, so that 11 hours' rest always
//     separates one day from the next, and some on day shifts only (09:00–17:00);
//     qualifications valid over the horizon; mostly travelling by car, some walking or
//     cycling near the centre.
//
// Two ways to size an agency:
//
//   - Config.VisitsPerDay: people are added until the day's visits reach the
//     number. Every person has a morning call and most three or four calls a day
//     (a book of personal care packages), so 170 visits a day is about 57 people.
//   - Config.People: exactly that many people, each on a package drawn from
//     Config.Mix (DefaultMix when zero): weekly shopping and domestic calls,
//     weekly befriending, a lunch call, a morning medicines and breakfast call,
//     lunch and tea, and personal care packages of two to four calls. People
//     needing a hoist (three or four double-handed calls a day) are added while
//     the double-handed share stays within 22% of visits, which keeps it near a
//     fifth. Specialist roles whose demand one person can meet have one worker,
//     available every weekday, so nursing, chiropody and befriending skills may
//     have a single holder; all other skills demanded have at least two.
//
// Sizing the staff. Sizing by TargetUtilisation (the default) fills 65% of all
// care staff's shift minutes; it gives about 190 workers for 1,000 visits a day,
// but the morning and bed runs then hold more care than the staff on duty can
// make (about 1.4 times), because runs are short and the gaps between them long.
// CoverPeaks sizes the staff for the busiest runs instead (about 330 workers for
// 1,000 visits a day): at most PeakUtilisation (80%) of the staff's minutes in
// each run, on the average day with VisitsPerDay and on every day of the week,
// days off included, with People or a Mix. The morning run binds first: three
// hours in which a care worker can make about three calls, while a hoist call
// takes two carers an hour or more.
//
// Sample returns the embedded one-week agency made with SampleConfig (60 people,
// 14 workers; see SampleConfig) and stored in the package (sample/week.json).
package synth
