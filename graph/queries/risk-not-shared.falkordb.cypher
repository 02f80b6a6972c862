// FalkorDB: the homicide bound once per review, then that review's events: FalkorDB runs a
// pattern comprehension once per row (50-150 us), so per incident it cost seconds at 1M people.
// Neo4j plans this shape as a scan per review, hence the portable file starts from the events.
WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (r:Review)
WHERE $review IS NULL OR r.key = $review
WITH levels, r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (ra:Event {type: 'risk_assessment'})
WHERE ra.review = r.key
  AND ra.risk_level IN levels
  AND NOT coalesce(ra.shares, false)
  AND (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (ra.first_sharing_from IS NULL OR ra.first_sharing_from >= bound
       OR ra.first_sharing_from > toString(date(ra.date_to) + duration({days: $days})))
WITH ra, bound, toString(date(ra.date_to) + duration({days: $days})) AS until,
     ['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure'] AS sharing
WITH ra, until,
     [(ra)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)
        WHERE f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
          AND (f.type IN sharing OR f.shares) | f] AS later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ra, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH ra, head(sorted_later) AS nxt
RETURN ra.review AS review,
       ra.id AS event,
       ra.date AS date,
       head([(ra)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
       ra.risk_tool AS tool,
       ra.risk_level AS level,
       reduce(acc = [], k IN [(ra)<-[:INVOLVED]-(p:Person) | p.key] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       coalesce(head([(ra)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                head([(ra)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area,
       CASE WHEN nxt IS NULL THEN NULL ELSE
         {id: nxt.id, date: nxt.date, type: nxt.type, agency: head([(nxt)-[:RECORDED_BY]->(na:Agency) | na.name]), source: nxt.source} END AS next_sharing,
       ra.source AS source
ORDER BY review, ra.date_from, event
