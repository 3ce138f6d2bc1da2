// Package careplan holds a person's care and support plan (Care Act 2014
// s.25; NICE NG21; REFERENCE §1.10): the needs found by the assessment, the
// outcomes the person wants in their own words, the support tasks that
// meet them, who delivers each task, the visits that follow, how the plan
// is paid for, its risks, its reviews and versions, and who must be told
// when it changes.
//
// # From assessment to plan
//
// [FromAssessment] drafts a plan from the wellbeing model's output
// (assessment.Evaluate): one [Need] per specified outcome the person cannot
// achieve, a [Goal] for each outcome the person put in their own words
// ([DraftOptions].Words; the library never invents them), [Task]s at fixed
// times of day with minutes from the assessment's tariff, [Practitioner]s
// and [Referral]s (an OT for moving and handling or bathing, a district
// nurse for nursing needs, the GP for mental-health and same-day
// referrals), and [Risk]s from the flags. Every item carries [Evidence]
// whose Ref names the assessment and the instrument item, observation or
// flag it came from, e.g. "a7/barthel100/transfers" or "a7/flag/falls".
// The coordinator edits the draft as plain data.
//
// # Visits
//
// [Plan.Visits] derives the recurring visits from the tasks: tasks of one
// practitioner at the same time and days share a visit; a visit lasts at
// least 30 minutes unless short visits were agreed (NICE NG21); a hoist
// transfer makes it double-handed with hoist-trained carers; medicines
// need medicines-competent staff and a time-critical medicine narrows the
// window to its tolerance; a repositioning need adds visits so that no gap
// exceeds its interval (NICE CG179). [Plan.Patterns] turns the visits of
// practitioners in our schedule into schedule.Pattern values for the
// planner. [Plan.WeeklyCost] prices them from rate cards and splits the
// cost between funders.
//
// # Lifecycle, reviews and versions
//
//	draft ──> agreed ──> active ──> under_review ──> active
//	  ^         │                        │
//	  └─────────┴────────────────────────┘ (back to draft for editing)
//	any status ──> ended (final)
//
// [Plan.Transition] refuses other moves with a [*TransitionError]
// (matching [ErrTransition]); agreeing needs a valid plan with tasks and a
// record of who agreed it. [Plan.NextReview] gives the next review date:
// within 6 weeks of the start, then at least every 12 months, sooner after
// a trigger (a fall, a hospital admission, a new flag). [History.Save]
// keeps each change as a new version with author, reason and date, and
// [Diff] lists the differences between two versions as data and words.
//
// # Who must be told
//
// [Notices] takes the changes (from [Diff] and plain [RotaChange] data),
// the person's contacts and the decisions the person lacks capacity for,
// and returns the notices owed: the person is told everything; family
// only the categories the person agreed to share with them; a registered
// health-and-welfare attorney or deputy only what concerns decisions the
// person lacks capacity for; a property-and-financial-affairs attorney
// only funding, and only when the person lacks capacity for it;
// professionals only what concerns their tasks; self-harm and safeguarding
// items never reach family channels. What is withheld from
// whom, and why, is listed for the coordinator. [Plan.ProfessionalReport]
// gives an OT or a district nurse the needs, risks, referrals, tasks and
// visits that concern them. Notices and reports render as Text and
// Markdown.
//
// # Exchange
//
// Plans are plain data with JSON tags. Durations are whole seconds, as in
// package schedule ([ReviewPolicy]); money is integer pence ([Pence]);
// times are RFC 3339. A small plan:
//
//	{
//	  "id": "p1", "service_user": "u1", "version": 1, "status": "draft",
//	  "needs": [{"id": "n-hygiene", "outcome": "hygiene", "eligible": true,
//	             "evidence": [{"source": "assessment", "ref": "a1/barthel100/bathing", "note": "Barthel bathing level 0 of 1"}]}],
//	  "goals": [{"id": "g1", "words": "I want to have a bath again", "needs": ["n-hygiene"]}],
//	  "tasks": [{"id": "wash", "kind": "personal_care", "needs": ["n-hygiene"], "goals": ["g1"],
//	             "provider": "agency", "times": ["08:00"], "minutes": 30}],
//	  "practitioners": [{"id": "agency", "kind": "care_workers", "scheduled": true}],
//	  "funding": {"funders": [{"id": "la", "kind": "local_authority"}],
//	              "rate_cards": [{"provider": "agency", "per_hour": 2400}]}
//	}
//
// [Plan.FHIRCarePlan] exports a FHIR R4 CarePlan with its needs as
// contained Conditions, its goals as contained Goals and its tasks and
// referrals as activities; [Plan.FHIRConsents] exports a FHIR R4 Consent
// for each decision of [Plan.Decisions] (REFERENCE §7).
package careplan
