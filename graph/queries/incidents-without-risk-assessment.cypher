// name: incidents-without-risk-assessment
// title: Domestic abuse incidents with no risk assessment soon after
// category: missed links
// scope: national
// question: >
//   Which incidents of domestic abuse were followed by no risk assessment (DASH or other) of
//   the people involved within N days?
// parameters:
//   days: {type: integer, default: 7, description: how many days after the incident count as prompt}
//   review: {type: review, required: false, description: only this review (default all)}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide of each review)'}
// period: >
//   Before the homicide: incidents, and the risk assessments that followed them, dated before the
//   first day of the homicide of their review (its homicide date, its homicide event or the death
//   of one of its victims, whichever is earliest; an event whose partial date spans it counts
//   unless it is a step that follows a homicide: arrest, charge, court, conviction, sentence,
//   custody, the review's own steps). --param before=DATE moves the bound. A review with none of
//   these dates is not bounded: every event counts.
// columns:
//   review: review id
//   incident: id of the incident
//   date: its date
//   agency: agency that recorded it
//   perpetrator: key of the person recorded as the abuser
//   victims: keys of the people recorded as victims
//   force_area: police force area of the incident
//   next_assessment: the first later risk assessment about them, if any (id, date, level, source)
//   source: paragraph refs of the incident
// example: dhrkg run incidents-without-risk-assessment --param days=7 --param review=north-worcs-dhr-7
// notes: >
//   An incident is an event of type incident with a recorded abuser (an INVOLVED role of
//   perpetrator). A risk assessment counts when it involves one of the incident's people and its
//   date range overlaps the incident date to N days after.
MATCH (inc:Event {type: 'incident'})
WHERE $review IS NULL OR inc.review = $review
MATCH (r:Review {key: inc.review})
WITH inc, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
WHERE (inc.date_to < bound OR (inc.date_from < bound AND NOT inc.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (inc.first_assessment_from IS NULL OR inc.first_assessment_from >= bound
       OR inc.first_assessment_from > toString(date(inc.date_to) + duration({days: $days})))
MATCH (inc)<-[:INVOLVED {role: 'perpetrator'}]-(perp:Person)
WITH inc, perp, bound, toString(date(inc.date_to) + duration({days: $days})) AS until
WITH inc, perp, until,
     [(inc)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(ra:Event {type: 'risk_assessment'})
        WHERE ra <> inc AND ra.date_to >= inc.date_from AND (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) | ra] AS later
WHERE NONE(ra IN later WHERE ra.date_from <= until)
WITH inc, perp, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH inc, perp, head(sorted_later) AS nxt
RETURN inc.review AS review,
       inc.id AS incident,
       inc.date AS date,
       head([(inc)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
       perp.key AS perpetrator,
       reduce(acc = [], k IN [(inc)<-[:INVOLVED {role: 'victim'}]-(v:Person) | v.key] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS victims,
       coalesce(head([(inc)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                head([(inc)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area,
       CASE WHEN nxt IS NULL THEN NULL ELSE {id: nxt.id, date: nxt.date, level: nxt.risk_level, source: nxt.source} END AS next_assessment,
       inc.source AS source
ORDER BY review, inc.date_from, incident
