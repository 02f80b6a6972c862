// FalkorDB: the homicide bound once per review, then that review's events: FalkorDB runs a
// pattern comprehension once per row (50-150 us), so per incident it cost seconds at 1M people.
// Neo4j plans this shape as a scan per review, hence the portable file starts from the events.
// The assessments of each level from the index on Event.risk_level (the few high or medium ones,
// not every assessment); the printed agency, people and force area are summaries
// (dhrkg.graph.summaries), read instead of walked to for every row.
WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (r:Review)
WHERE $review IS NULL OR r.key = $review
WITH levels, r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
UNWIND levels AS level
MATCH (ra:Event {risk_level: level})
WHERE ra.review = r.key AND ra.type = 'risk_assessment'
  AND NOT coalesce(ra.shares, false)
  AND (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
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
