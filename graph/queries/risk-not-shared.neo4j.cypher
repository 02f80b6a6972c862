// Neo4j: the assessments at the levels asked for from the risk_level index, grouped by review so
// that each review's homicide bound is computed once (not once per assessment); the walk to the
// assessed people's later referrals or sharing in a subquery that sorts them (by date, then key)
// and keeps them in a list, instead of sorting each list by insertion. At 100k people (one text
// after the other, load 8): 198 ms median against 278 ms for the portable text.
WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (ra:Event)
WHERE ra.risk_level IN levels AND ra.type = 'risk_assessment'
  AND ($review IS NULL OR ra.review = $review)
  AND NOT coalesce(ra.shares, false)
WITH ra.review AS key, collect(ra) AS assessed
MATCH (r:Review {key: key})
WITH assessed, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
UNWIND assessed AS ra
WITH ra, bound
WHERE (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (ra.first_sharing_from IS NULL OR ra.first_sharing_from >= bound
       OR ra.first_sharing_from > toString(date(ra.date_to) + duration({days: $days})))
WITH ra, bound, toString(date(ra.date_to) + duration({days: $days})) AS until
// only an assessment with a referral or sharing about its people after it (any_sharing_after, a
// summary) walks to their events; the first of them (by date, then key) is the next sharing
CALL (ra, bound) {
  WITH ra WHERE ra.any_sharing_after
  MATCH (ra)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)
  WHERE f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
    AND (f.type IN ['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure'] OR f.shares)
  WITH f ORDER BY f.date_from + f.key
  RETURN collect(f) AS later
}
WITH ra, until, later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ra, head(later) AS nxt
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
