// FalkorDB: the homicide bound once per review, then that review's events: FalkorDB runs a
// pattern comprehension once per row (50-150 us), so per incident it cost seconds at 1M people.
// Neo4j plans this shape as a scan per review, hence the portable file starts from the events.
MATCH (r:Review)
WHERE $review IS NULL OR r.key = $review
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (inc:Event {type: 'incident'})
WHERE inc.review = r.key
  AND (inc.date_to < bound OR (inc.date_from < bound AND NOT inc.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
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
