// name: cross-area-history
// title: The victim's and perpetrator's history recorded in other police force areas
// category: missed links
// question: >
//   Which incidents and agency contacts involving the review's victim or perpetrator were
//   recorded outside the police force area where the homicide happened, before the homicide?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   Before the homicide: events dated before the first day of the homicide (the review's homicide
//   date, its homicide event or the death of one of its victims, whichever is earliest; an event
//   whose partial date spans it counts unless it is a step that follows a homicide: arrest, charge,
//   court, conviction, sentence, custody, the review's own steps). --param before=DATE moves the
//   bound. A review with none of these dates is not bounded: every event counts.
// columns:
//   role: victim or perpetrator (the person's role in the review)
//   person: person key
//   event: event id
//   date: event date (partial dates stay partial)
//   type: event type
//   agency: agency that recorded it
//   force_area: police force area of the event (its place, else the recording agency's area)
//   homicide_force_area: the review's police force area
//   summary: what happened
//   source: paragraph refs in the report
// example: dhrkg run cross-area-history north-worcs-dhr-7
// notes: >
//   "Before the homicide" compares the first day an event's date can mean with the first day of
//   the homicide date. Events with no agency count only if they are incidents.
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound,
     coalesce(head([(r)-[:LOCATED_IN]->(ra:Area) WHERE ra.kind = 'police_force_area' | ra.name]), r.police_force_area) AS home
MATCH (r)<-[so:SUBJECT_OF]-(s:Person)
MATCH (s)-[:INVOLVED]->(e:Event)
WHERE (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (e.type = 'incident' OR (e)-[:RECORDED_BY]->())
WITH r, home, so, s, e,
     head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
     coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
              head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area
WHERE force_area IS NOT NULL AND force_area <> home
RETURN so.role AS role,
       s.key AS person,
       e.id AS event,
       e.date AS date,
       e.type AS type,
       agency,
       force_area,
       home AS homicide_force_area,
       e.summary AS summary,
       e.source AS source
ORDER BY e.date_from, e.id, role, person
