// Package compliance validates home-care records against the law and
// guidance a provider in England or Wales works under, and reports findings.
//
// Every check is a rule of the catalogue in the domain reference (§8), named
// by its ID (CONSENT, WTR-11, DBL-SYNC, ...), held in a Pack: a registry a
// provider configures (rules on or off, hard or soft, parameters such as the
// Welsh 30-minute rule) to make its rule pack. A Finding names the rule, its
// severity (breach, warning, advisory), the regulation or guidance, the
// subject (person, worker, visit, plan) by ID, the evidence and a remedy in
// plain words. Findings never carry names or health details.
//
// The checks:
//
//   - Consent and capacity (Mental Capacity Act 2005, Reg 11): ConsentFile
//     holds consent records, capacity assessments (the four-part functional
//     test, the diagnostic stage and the causal link), best-interests
//     decisions with consultees, lasting powers of attorney, deputyships and
//     advance decisions. ConsentFile.CanAction refuses to let a plan or task
//     go live without valid consent or lawful authority and says exactly
//     what is missing. A family member without authority is a consultee,
//     never a consenter.
//   - Workforce rules on a rota (CheckRota): any schedule.Rota checked
//     against its schedule.Problem for the Working Time Regulations (48-hour
//     average over the reference period with opt-out and prior weeks as
//     history, daily and weekly rest, breaks, night work, young workers),
//     the minimum wage over a pay period counting travel and waiting between
//     visits, skills and training in date, DBS before solo work, supervision
//     and appraisal, double-handed synchrony, repositioning gaps,
//     time-critical medicines, short visits, travel time, continuity, LOLER
//     and carer preferences. Times come from the rota's assignments (start
//     plus the visit's duration) and its routes' legs; working-time limits
//     come from the problem's schedule.WorkingTimeRules.
//     With AsOf set, visits already made are checked for actual times
//     (Wales), contemporaneous notes and MAR entries. NewMatrixTravel
//     adapts a routing.Matrix so travel is checked against the optimiser's
//     own travel times.
//   - Records (CheckRecords): Schedule 3 pre-employment information, duty
//     of candour steps, safeguarding referrals, PHQ-9 item 9 escalation,
//     plan reviews (brought forward by trigger events) and missed-visit
//     responses (from PlanRecord; PlanRecordFromCarePlan builds one), and
//     notice of shift changes (SHIFT-NOTICE, Employment Rights Act 2025).
//   - Care plans (CheckCarePlan, over a careplan.Plan): person-centred
//     contents (PLAN, Reg 9: goals in the person's words, every task traced
//     to a need or goal, every eligible need met, agreement recorded),
//     review timing, medicines (MED-TIME minimum intervals between planned
//     doses, MED-PLAN one giver per dose and plan risks controlled and
//     reviewed, Reg 12) and nutrition (NUTRITION, Reg 14: a meals task for
//     an eligible nutrition need or a malnutrition risk, and a current
//     'MUST' screening). PlanFromCarePlan and ConsentFile.CanActionPlan put
//     a careplan.Plan through the consent gate; MedicinesFromCarePlan turns
//     its medicines tasks into the MedicineSupport and Dose records that
//     CheckRota reads for the visits expanded from its patterns.
//   - Training: a TrainingMatrix of required courses by role and skill with
//     refresh intervals; TrainingMatrix.Expiring and Lapsing list what
//     lapses in the next N days (courses, qualifications, supervision,
//     appraisal, medicines competence, DBS) and the visits of a rota each
//     would block.
//   - Reports: findings grouped by the CQC key questions as data, text and
//     CSV, and a dashboard of counts by severity and rule.
//
// Quick start:
//
//	pack := compliance.DefaultPack(compliance.England) // or Wales; adjust with pack.Set
//	fs, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: p, Rota: r, Workers: recs})
//	report := compliance.NewReport(fs)
//	report.WriteCSV(w)
//
//	auth, err := consents.CanActionPlan(plan, now) // plan is a *careplan.Plan
//	if err == nil && !auth.Allowed { /* auth.Err() says, per task, what is missing */ }
//	planFindings, err := compliance.CheckCarePlan(&pack, compliance.CarePlanInput{Plan: plan, AsOf: now})
//
// Nothing here reads the clock: every check takes its instant from its
// input.
package compliance
