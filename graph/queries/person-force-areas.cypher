// name: person-force-areas
// title: The police force areas where a person shows up
// category: missed links
// question: >
//   In which police force areas does this person appear, through where they lived and the
//   events recorded about them, when, and which agencies hold those records?
// parameters:
//   person: {type: person, positional: true, description: 'the person, "<review>/<id>"'}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   Before the homicide of the person's review: events dated before its first day (the review's
//   homicide date, its homicide event or the death of one of its victims, whichever is earliest; an
//   event whose partial date spans it counts unless it is a step that follows a homicide: arrest,
//   charge, court, conviction, sentence, custody, the review's own steps); households whenever
//   recorded. --param before=DATE moves the bound. A review with none of these dates is not
//   bounded: every event counts.
// columns:
//   force_area: police force area
//   events: number of events about the person placed in that area
//   first: first date seen there
//   last: last date seen there
//   agencies: agencies that recorded those events
//   households: households of the person in that area
//   event_ids: the events (ids), for checking in the report
// example: dhrkg run person-force-areas north-worcs-dhr-7/Perpetrator
MATCH (p:Person {key: $person})
MATCH (r:Review {key: p.review})
WITH p, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (p)-[:INVOLVED]->(e:Event)
WHERE (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH p, e,
     coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
              head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS area,
     head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency
WHERE area IS NOT NULL
WITH p, area, e, agency ORDER BY area, e.date_from, e.id
WITH p, area, count(e) AS n, min(e.date_from) AS first, max(e.date_to) AS last,
     collect(DISTINCT agency) AS agencies, collect(e.id) AS event_ids
RETURN area AS force_area,
       n AS events,
       first,
       last,
       reduce(acc = [], k IN agencies | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS agencies,
       reduce(acc = [], k IN [(p)-[:MEMBER_OF]->(h:Household)-[:LOCATED_IN]->(ha:Area {kind: 'police_force_area'}) WHERE ha.name = area | h.id] |
              CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS households,
       event_ids
ORDER BY first, force_area
