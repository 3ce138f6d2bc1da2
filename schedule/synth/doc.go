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
//   - Workers sized for the demand (see Config.Workers) on rotas that respect the
//     Working Time Regulations defaults (schedule.UKDefaults): care workers on split
//     shifts (morning 07:00–13:30 and evening 16:00–22:00) in a seven-day cycle that
//     keeps 11 hours' rest between days and at most six days in a row, some on day
//     shifts only; qualifications valid over the horizon; mostly travelling by car,
//     some walking or cycling near the centre.
//
// Sample returns a one-week agency of about 60 people made by the generator
// with SampleConfig and stored in the package (sample/week.json).
package synth
