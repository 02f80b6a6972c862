// name: review-summary
// title: One page for the chair's first panel meeting
// category: review
// question: >
//   What does a review panel need on one page: the review, victim and perpetrator, children,
//   the span of the chronology, which agencies were involved and how often, the risk
//   assessments, and the police force areas the history crosses?
// parameters:
//   review: {type: review, positional: true, description: the review id}
// period: >
//   The whole record, before and after the homicide: the chronology's span and the counts of
//   agency events and risk assessments cover every event recorded.
// columns:
//   section: review, subject, child, chronology, agency, risk, force area
//   item: what the row is about
//   detail: the facts
//   date: the date the row refers to, where there is one
//   source: paragraph refs in the report
// example: dhrkg run review-summary north-worcs-dhr-7
MATCH (r:Review {key: $review})
UNWIND [['title', r.title], ['commissioned by', r.commissioned_by], ['police force area', r.police_force_area],
        ['local authority', r.local_authority], ['homicide date', r.homicide_date], ['chair', r.chair],
        ['report', r.source]] AS kv
WITH r, kv
WHERE kv[1] IS NOT NULL
RETURN 'review' AS section, kv[0] AS item, toString(kv[1]) AS detail,
       CASE WHEN kv[0] = 'homicide date' THEN r.homicide_date END AS date, NULL AS source
UNION ALL
MATCH (r:Review {key: $review})<-[so:SUBJECT_OF]-(p:Person)
RETURN 'subject' AS section, so.role + ': ' + coalesce(p.name, p.id) + ' (' + p.key + ')' AS item,
       coalesce(p.sex, 'sex unknown') + coalesce(', born ' + p.born, '') + coalesce(', died ' + p.died, '') AS detail,
       p.died AS date, p.source AS source
ORDER BY item
UNION ALL
MATCH (r:Review {key: $review})<-[:PART_OF]-(c:Person)
WITH c
WHERE 'child' IN coalesce(c.roles, [])
RETURN 'child' AS section, coalesce(c.name, c.id) + ' (' + c.key + ')' AS item,
       coalesce('born ' + c.born, 'birth date unknown') +
       coalesce(', parents: ' + reduce(s = NULL, k IN reduce(acc = [], n IN [(c)<-[:PARENT_OF]-(pa:Person) | coalesce(pa.name, pa.id)] |
                                                              [y IN acc WHERE y < n] + [n] + [y IN acc WHERE y >= n]) |
                                         CASE WHEN s IS NULL THEN k ELSE s + ', ' + k END), '') AS detail,
       c.born AS date, c.source AS source
ORDER BY item
UNION ALL
MATCH (r:Review {key: $review})<-[:PART_OF]-(e:Event)
WITH count(e) AS n, min(e.date_from) AS first_day, max(e.date_to) AS last_day,
     count(CASE WHEN e.type = 'incident' THEN 1 END) AS incidents,
     count(CASE WHEN e.type = 'marac' THEN 1 END) AS maracs,
     count(CASE WHEN e.type = 'referral' THEN 1 END) AS referrals
RETURN 'chronology' AS section, 'events' AS item,
       toString(n) + ' events from ' + coalesce(first_day, '?') + ' to ' + coalesce(last_day, '?') + ': ' +
       toString(incidents) + ' incidents, ' + toString(referrals) + ' referrals, ' + toString(maracs) + ' MARACs' AS detail,
       first_day AS date, NULL AS source
UNION ALL
MATCH (r:Review {key: $review})<-[so:SUBJECT_OF]-(s:Person)
MATCH (s)-[:INVOLVED]->(e:Event)
MATCH (e)-[:RECORDED_BY]->(ag:Agency)
WITH ag, e, collect(so.role) AS roles
WITH ag, count(e) AS contacts, count(CASE WHEN 'victim' IN roles THEN 1 END) AS with_victim,
     count(CASE WHEN 'perpetrator' IN roles THEN 1 END) AS with_perpetrator, max(e.date_from) AS last_day
RETURN 'agency' AS section, ag.name AS item,
       toString(contacts) + ' contacts (' + toString(with_victim) + ' with the victim, ' + toString(with_perpetrator) +
       ' with the perpetrator)' AS detail,
       last_day AS date, NULL AS source
ORDER BY contacts DESC, item
UNION ALL
MATCH (r:Review {key: $review})<-[:PART_OF]-(e:Event)
WITH e
WHERE e.type = 'risk_assessment'
RETURN 'risk' AS section, e.id AS item,
       coalesce(e.risk_tool, 'risk assessment') + coalesce(' ' + e.risk_level, ' (no level recorded)') +
       coalesce(' by ' + head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]), '') AS detail,
       e.date AS date, e.source AS source
ORDER BY date, item
UNION ALL
MATCH (r:Review {key: $review})<-[:PART_OF]-(e:Event)
WITH e, coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                 head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS area
WHERE area IS NOT NULL
WITH area, count(e) AS n, min(e.date_from) AS first_day, max(e.date_to) AS last_day
RETURN 'force area' AS section, area AS item,
       toString(n) + ' events, ' + first_day + ' to ' + last_day AS detail,
       first_day AS date, NULL AS source
ORDER BY n DESC, item
