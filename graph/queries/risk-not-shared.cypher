// name: risk-not-shared
// title: Risk assessed at medium or high, then not referred or shared
// category: missed links
// scope: national
// question: >
//   Which risk assessments graded medium or high (or the level you choose) were followed by no
//   referral, MARAC, MAPPA, child protection step or information sharing about the same people
//   within N days?
// parameters:
//   days: {type: integer, default: 28, description: how many days after the assessment count as prompt}
//   min_level: {type: string, default: medium, choices: [low, standard, medium, high], description: lowest risk level to check}
//   review: {type: review, required: false, description: only this review (default all)}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide of each review)'}
// period: >
//   Before the homicide: assessments, and the referrals or sharing that followed them, dated before
//   the first day of the homicide of their review (its homicide date, its homicide event or the
//   death of one of its victims, whichever is earliest; an event whose partial date spans it counts
//   unless it is a step that follows a homicide: arrest, charge, court, conviction, sentence,
//   custody, the review's own steps). --param before=DATE moves the bound. A review with none of
//   these dates is not bounded: every event counts.
// columns:
//   review: review id
//   event: id of the risk assessment
//   date: its date
//   agency: agency that assessed the risk
//   tool: risk tool (DASH ...)
//   level: risk level
//   persons: keys of the people it was about
//   force_area: police force area of the assessment
//   next_sharing: the first referral or sharing about the same people after the window, if any (id, date, type, agency, source)
//   source: paragraph refs of the assessment
// example: dhrkg run risk-not-shared --param days=28 --param min_level=medium
// notes: >
//   A follow-up counts when it involves one of the assessed people, is a referral, MARAC,
//   MAPPA, child protection step, disclosure or information sharing (or names agencies it was
//   shared with or referred to), and its date range overlaps the assessment date to N days
//   after the end of the assessment's date range. An assessment that itself records a referral
//   or sharing is not listed, nor one with no risk level (a score or grade only). The agency, people and force area printed are summaries kept
//   with each load (docs/graph-schema.md).
WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (ra:Event {type: 'risk_assessment'})
WHERE ra.risk_level IN levels
  AND ($review IS NULL OR ra.review = $review)
  AND NOT coalesce(ra.shares, false)
MATCH (r:Review {key: ra.review})
WITH ra, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
WHERE (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (ra.first_sharing_from IS NULL OR ra.first_sharing_from >= bound
       OR ra.first_sharing_from > toString(date(ra.date_to) + duration({days: $days})))
WITH ra, bound, toString(date(ra.date_to) + duration({days: $days})) AS until,
     ['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure'] AS sharing
// only an assessment with a referral or sharing about its people after it (any_sharing_after, a
// summary) walks to their events
WITH ra, until,
     [(ra)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)
        WHERE ra.any_sharing_after AND f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
          AND (f.type IN sharing OR f.shares) | f] AS later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ra, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH ra, head(sorted_later) AS nxt
RETURN ra.review AS review,
       ra.id AS event,
       ra.date AS date,
       ra.summary_agency AS agency,
       ra.risk_tool AS tool,
       ra.risk_level AS level,
       coalesce(ra.summary_persons, []) AS persons,
       ra.summary_force_area AS force_area,
       CASE WHEN nxt IS NULL THEN NULL ELSE
         {id: nxt.id, date: nxt.date, type: nxt.type, agency: head([(nxt)-[:RECORDED_BY]->(na:Agency) | na.name]), source: nxt.source} END AS next_sharing,
       ra.source AS source
ORDER BY review, ra.date_from, event
