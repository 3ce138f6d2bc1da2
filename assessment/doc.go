// Package assessment scores home-care assessment instruments and turns the
// scores, with a coordinator's observations, into needs, Care Act
// eligibility, risk flags, derived support and trends over time.
//
// Every fact encoded here comes from the project's domain reference
// (REFERENCE.md §1, §4, §5.7, §7) and each doc comment cites its rule.
// Scores never decide alone: they raise flags and suggest needs that a
// practitioner confirms (REFERENCE, encoding advice 4).
//
// # Instruments
//
// An [Instrument] is data: items with allowed responses ([Option]: the
// recorded value and its score), reversed and weighted items, a
// [MissingRule] (refuse, as SWEMWBS requires, or prorate), omittable items
// where the manual allows leaving them out (MUST step 3, Waterlow skin and
// special risks), unscored items recorded but never scored (the PHQ-9
// difficulty question), an optional [Conversion] table (the SWEMWBS
// raw-to-metric table),
// a [BandTable] and [FlagRule]s raised by single items, subscales, totals or
// bands. [Instrument.Score] checks a set of [Response]s and returns a
// [Result] (item scores, raw total, converted score, subscales, band,
// flags) or every problem at once as [*ResponseError]s matching
// [ErrMissing], [ErrDuplicate], [ErrOutOfRange] or [ErrUnknownItem].
//
// Built-ins (fresh values from constructors; no global state): [Barthel100],
// [Barthel20], [Katz], [Lawton], [WEMWBS], [SWEMWBS], [PHQ9], [PHQ2], [GAD7],
// [GAD2], [UCLA3], [ONSLoneliness], [Waterlow], [Braden] and [MUST]. Bands
// are overridable with [Instrument.WithBands]; every result records the
// table it used. Every built-in refuses to score with a required answer
// missing: REFERENCE §1 gives no prorating rule for them (and SWEMWBS/WEMWBS
// explicitly forbid it); an organisation whose manual prorates sets its rule
// with [Instrument.WithMissing], which never prorates an item that raises a
// flag on its own (PHQ-9 item 9). Item wording is shipped only where the licence allows
// (REFERENCE §1.12): PHQ/GAD and the loneliness questions in full, Barthel
// and Katz as paraphrased names, Lawton, WEMWBS/SWEMWBS, Braden, Waterlow
// and MUST with no wording — the licensee adds it with [Instrument.WithText].
//
// Falls are not scored: NICE NG249 advises against prediction tools, so a
// [FallsProfile] records falls, case-finding criteria, risk factors and the
// referral status, and [FallsProfile.CaseFinding] applies NG249.
//
// # The wellbeing model
//
// An [Assessment] gathers the results of one episode with [Observations]
// (impairment, per-outcome observations with the reg 2(3) meanings,
// cognition, the moving-and-handling decision, nursing needs, the
// practitioner's judgement on significant impact). [Evaluate] returns a
// [Picture]:
//
//   - Needs: each of the ten specified outcomes of SI 2015/313 reg 2(2)
//     ([Outcomes]) as achieved, unable (with the four [Meaning]s of reg
//     2(3)) or not applicable, each with its [Evidence];
//   - Eligibility: the three conditions of reg 2(1), each met or not, on
//     observation or derived, with the evidence that decided it;
//   - Wellbeing: the nine areas of Care Act s.1(2) ([WellbeingAreas]);
//   - Flags (from instruments, the falls profile and a recorded
//     safeguarding concern) and Referrals (OT, district nurse, mental
//     health, same-day GP or crisis escalation, falls service, dietitian,
//     safeguarding);
//   - Support: tasks with minutes a day from a [Tariff] (local policy, with
//     the NG21 allowance for cognitive impairment), personal-care minutes a
//     day, double-handed transfers, NG67 medicines support level, nursing,
//     befriending and the CG179 repositioning interval;
//   - Home: independent, with support, or review.
//
// [Picture] is plain data with JSON tags and [Picture.Validate], meant for
// careplan.FromAssessment and compliance.
//
// # Trends and reviews
//
// [Trends] follows each instrument over a person's assessments: change,
// least-squares slope per year (gonum), and deterioration [Alert]s beyond
// the instrument's reliable change (Barthel: more than 2 points on the 0–20
// form), into a worse band, or when an item collapses from best to worst.
// [NextReview] gives the date the next review is due (6 weeks after a plan
// starts, then yearly, sooner for MUST risk, same day on deterioration or a
// same-day flag).
//
// # Exchange
//
// Assessments are JSON ([DecodeAssessment] validates and re-scores, so a
// tampered score is caught as [ErrScoreMismatch]). For FHIR R4,
// [ExportQuestionnaire] describes an instrument, [ExportQuestionnaireResponse]
// and [ImportQuestionnaireResponse] carry a completed administration (answers
// as codings with the ordinalValue extension, plus score and band items),
// and [ExportObservation] carries the score with LOINC codes where the
// reference gives them (PHQ-9 44261-6, GAD-7 70274-6). [ExportFlags] turns
// a picture's flags into FHIR Flag resources; sensitive ones (PHQ-9 item
// 9, safeguarding: [Flag.Sensitive]) carry the "restricted" security label
// so that they never reach family channels.
//
// A JSON assessment looks like:
//
//	{"id":"a-1","personId":"su-1","date":"2026-11-02T10:00:00Z","assessor":"w-1",
//	 "results":[{"instrument":"phq9","version":"phq9",
//	   "responses":[{"item":"1","value":1}, ... ,{"item":"9","value":1}], ...}],
//	 "observations":{"impairment":{"mental":true},"livesAlone":true},
//	 "falls":{"age":84,"fallsLast12Months":2,"injuriousFall":true}}
package assessment
