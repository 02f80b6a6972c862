// name: agencies-saw-both
// title: Agencies that saw both victim and perpetrator, and agencies that never shared
// category: missed links
// question: >
//   Which agencies had contact with both the victim and the perpetrator? And which pairs of
//   agencies each held records on the same person (victim or perpetrator) with no referral,
//   sharing or joint meeting between them?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   within_days: {type: integer, default: 0, description: 'for "no sharing", only pairs whose contacts with the person came within this many days of each other (0 = any time)'}
// columns:
//   finding: "'saw both' or 'no sharing'"
//   agency: the agency (for "no sharing", the first of the pair)
//   other_agency: the second agency of a "no sharing" pair
//   person: for "no sharing", the person both agencies held records on
//   victim_events: for "saw both", the agency's events with the victim (id, date, type, source)
//   perpetrator_events: for "saw both", its events with the perpetrator; for "no sharing", the first agency's events with the person
//   other_events: for "no sharing", the second agency's events with the person
// example: dhrkg run agencies-saw-both north-worcs-dhr-7 --param within_days=90
// notes: >
//   Sharing between two agencies is any event recorded by one that was shared with, referred
//   to, or attended by the other (in either direction), or that both attended.
MATCH (r:Review {key: $review})<-[:SUBJECT_OF {role: 'victim'}]-(v:Person)
MATCH (r)<-[:SUBJECT_OF {role: 'perpetrator'}]-(p:Person)
MATCH (v)-[:INVOLVED]->(ve:Event)-[:RECORDED_BY]->(ag:Agency)
WITH DISTINCT r, v, p, ag
WHERE (p)-[:INVOLVED]->(:Event)-[:RECORDED_BY]->(ag)
WITH ag,
     reduce(acc = [], e IN [(v)-[:INVOLVED]->(ve:Event)-[:RECORDED_BY]->(ag) | ve] |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS vev,
     reduce(acc = [], e IN [(p)-[:INVOLVED]->(pe:Event)-[:RECORDED_BY]->(ag) | pe] |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS pev
RETURN 'saw both' AS finding,
       ag.name AS agency,
       NULL AS other_agency,
       NULL AS person,
       [e IN vev | {id: e.id, date: e.date, type: e.type, source: e.source}] AS victim_events,
       [e IN pev | {id: e.id, date: e.date, type: e.type, source: e.source}] AS perpetrator_events,
       NULL AS other_events
ORDER BY agency
UNION ALL
MATCH (r:Review {key: $review})<-[:SUBJECT_OF]-(s:Person)
MATCH (s)-[:INVOLVED]->(e1:Event)-[:RECORDED_BY]->(a1:Agency)
WITH s, e1, a1
MATCH (s)-[:INVOLVED]->(e2:Event)-[:RECORDED_BY]->(a2:Agency)
WITH s, e1, a1, e2, a2
WHERE a1.key < a2.key
  AND ($within_days = 0
       OR (e2.date_from <= toString(date(e1.date_to) + duration({days: $within_days}))
           AND e1.date_from <= toString(date(e2.date_to) + duration({days: $within_days}))))
WITH DISTINCT s, a1, a2
WITH s, a1, a2,
     size([(a2)<-[:SHARED_WITH|REFERRED_TO|TOOK_PART]-(x2:Event)-[:RECORDED_BY|TOOK_PART]->(a1) WHERE a1 <> a2 | x2]) +
     size([(a1)<-[:SHARED_WITH|REFERRED_TO|TOOK_PART]-(x1:Event)-[:RECORDED_BY|TOOK_PART]->(a2) WHERE a1 <> a2 | x1]) AS shared
WHERE shared = 0
WITH s, a1, a2,
     reduce(acc = [], e IN [(s)-[:INVOLVED]->(x1:Event)-[:RECORDED_BY]->(a1) | x1] |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS ev1,
     reduce(acc = [], e IN [(s)-[:INVOLVED]->(x2:Event)-[:RECORDED_BY]->(a2) | x2] |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS ev2
RETURN 'no sharing' AS finding,
       a1.name AS agency,
       a2.name AS other_agency,
       s.key AS person,
       NULL AS victim_events,
       [e IN ev1 | {id: e.id, date: e.date, type: e.type, source: e.source}] AS perpetrator_events,
       [e IN ev2 | {id: e.id, date: e.date, type: e.type, source: e.source}] AS other_events
ORDER BY person, agency, other_agency
