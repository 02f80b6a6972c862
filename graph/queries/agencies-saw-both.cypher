// name: agencies-saw-both
// title: Agencies that saw both victim and perpetrator, and agencies that never shared
// category: missed links
// question: >
//   Which agencies had contact with both the victim and the perpetrator? And which pairs of
//   agencies each held records on the same person (victim or perpetrator) with no referral,
//   sharing or joint meeting between them?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
//   all_pairs: {type: boolean, default: false, description: 'also list "no sharing" pairs where one agency recorded nothing relevant to domestic abuse'}
//   within_days: {type: integer, default: 0, description: 'for "no sharing", only pairs whose contacts with the person came within this many days of each other (0 = any time)'}
// period: >
//   Before the homicide: events dated before the first day of the homicide (the review's homicide
//   date, its homicide event or the death of one of its victims, whichever is earliest; an event
//   whose partial date spans it counts unless it is a step that follows a homicide: arrest, charge,
//   court, conviction, sentence, custody, the review's own steps); sharing counts only before it
//   too. --param before=DATE moves the bound. A review with none of these dates is not bounded:
//   every event counts.
// columns:
//   finding: "'saw both' or 'no sharing'"
//   agency: the agency (for "no sharing", the first of the pair)
//   other_agency: the second agency of a "no sharing" pair
//   person: for "no sharing", the person both agencies held records on
//   victim_events: for "saw both", the agency's events with the victim, or with any of the victims (id, date, type, source)
//   perpetrator_events: for "saw both", its events with the perpetrator, or any of them; for "no sharing", the first agency's events with the person
//   other_events: for "no sharing", the second agency's events with the person
//   reason: "for \"no sharing\", what each agency recorded that bears on domestic abuse (event types, abuse recorded, injury); pairs with it on both sides come first"
// example: dhrkg run agencies-saw-both north-worcs-dhr-7 --param within_days=90
// notes: >
//   One "saw both" row an agency, also in a review with several victims or perpetrators. A "no
//   sharing" pair is listed (by default) only when both agencies recorded something relevant to
//   domestic abuse about the person: an incident, risk assessment, MARAC, MAPPA, referral, child
//   protection step or disclosure, an event recording abuse, or one whose summary mentions an
//   injury. Sharing between two agencies is any event recorded by one that was shared with,
//   referred to, or attended by the other (in either direction), or that both attended.
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
// one row an agency: its events with any of the review's victims and with any of its
// perpetrators (a review may have several of each)
MATCH (r)<-[:SUBJECT_OF {role: 'victim'}]-(victim:Person)
MATCH (victim)-[:INVOLVED]->(ve:Event)-[:RECORDED_BY]->(ag:Agency)
WHERE (ve.date_to < bound OR (ve.date_from < bound AND NOT ve.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH r, bound, ag, collect(DISTINCT ve) AS victim_evs
MATCH (r)<-[:SUBJECT_OF {role: 'perpetrator'}]-(perp:Person)
MATCH (perp)-[:INVOLVED]->(pe:Event)-[:RECORDED_BY]->(ag)
WHERE (pe.date_to < bound OR (pe.date_from < bound AND NOT pe.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH ag, victim_evs, collect(DISTINCT pe) AS perpetrator_evs
WITH ag,
     reduce(acc = [], e IN victim_evs |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS vev,
     reduce(acc = [], e IN perpetrator_evs |
            [x IN acc WHERE x.date_from + x.id < e.date_from + e.id] + [e] + [x IN acc WHERE x.date_from + x.id >= e.date_from + e.id]) AS pev
RETURN 'saw both' AS finding,
       ag.name AS agency,
       NULL AS other_agency,
       NULL AS person,
       [e IN vev | {id: e.id, date: e.date, type: e.type, source: e.source}] AS victim_events,
       [e IN pev | {id: e.id, date: e.date, type: e.type, source: e.source}] AS perpetrator_events,
       NULL AS other_events,
       NULL AS reason
ORDER BY agency
UNION ALL
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (r)<-[:SUBJECT_OF]-(s:Person)
MATCH (s)-[:INVOLVED]->(e1:Event)-[:RECORDED_BY]->(a1:Agency)
WHERE (e1.date_to < bound OR (e1.date_from < bound AND NOT e1.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH bound, s, e1, a1
MATCH (s)-[:INVOLVED]->(e2:Event)-[:RECORDED_BY]->(a2:Agency)
WHERE (e2.date_to < bound OR (e2.date_from < bound AND NOT e2.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH bound, s, e1, a1, e2, a2
WHERE a1.key < a2.key
  AND ($within_days = 0
       OR (e2.date_from <= toString(date(e1.date_to) + duration({days: $within_days}))
           AND e1.date_from <= toString(date(e2.date_to) + duration({days: $within_days}))))
WITH DISTINCT bound, s, a1, a2
WITH bound, s, a1, a2,
     size([(a2)<-[:SHARED_WITH|REFERRED_TO|TOOK_PART]-(x2:Event)-[:RECORDED_BY|TOOK_PART]->(a1) WHERE a1 <> a2 AND (x2.date_to < bound OR (x2.date_from < bound AND NOT x2.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) | x2]) +
     size([(a1)<-[:SHARED_WITH|REFERRED_TO|TOOK_PART]-(x1:Event)-[:RECORDED_BY|TOOK_PART]->(a2) WHERE a1 <> a2 AND (x1.date_to < bound OR (x1.date_from < bound AND NOT x1.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) | x1]) AS shared
WHERE shared = 0
WITH bound, s, a1, a2,
     ['incident', 'risk_assessment', 'marac', 'mappa', 'referral', 'child_protection', 'disclosure'] AS da_types
WITH s, a1, a2,
     reduce(acc = [], e IN [(s)-[i1:INVOLVED]->(x1:Event)-[:RECORDED_BY]->(a1) WHERE (x1.date_to < bound OR (x1.date_from < bound AND NOT x1.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) |
              {id: x1.id, date: x1.date, type: x1.type, source: x1.source, k: x1.date_from + x1.id,
               why: CASE WHEN x1.type IN da_types THEN x1.type WHEN i1.role IN ['perpetrator', 'victim'] THEN 'abuse recorded'
                         WHEN toLower(coalesce(x1.summary, '')) CONTAINS 'injur' THEN 'injury' END}] |
            [x IN acc WHERE x.k < e.k] + [e] + [x IN acc WHERE x.k >= e.k]) AS ev1,
     reduce(acc = [], e IN [(s)-[i2:INVOLVED]->(x2:Event)-[:RECORDED_BY]->(a2) WHERE (x2.date_to < bound OR (x2.date_from < bound AND NOT x2.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) |
              {id: x2.id, date: x2.date, type: x2.type, source: x2.source, k: x2.date_from + x2.id,
               why: CASE WHEN x2.type IN da_types THEN x2.type WHEN i2.role IN ['perpetrator', 'victim'] THEN 'abuse recorded'
                         WHEN toLower(coalesce(x2.summary, '')) CONTAINS 'injur' THEN 'injury' END}] |
            [x IN acc WHERE x.k < e.k] + [e] + [x IN acc WHERE x.k >= e.k]) AS ev2
WITH s, a1, a2, ev1, ev2, [e IN ev1 | e.why] AS why1, [e IN ev2 | e.why] AS why2
WITH s, a1, a2, ev1, ev2,
     reduce(acc = [], w IN why1 | CASE WHEN w IS NULL OR w IN acc THEN acc ELSE acc + w END) AS why1,
     reduce(acc = [], w IN why2 | CASE WHEN w IS NULL OR w IN acc THEN acc ELSE acc + w END) AS why2
WITH s, a1, a2, ev1, ev2, why1, why2, size(why1) > 0 AND size(why2) > 0 AS relevant
WHERE relevant OR $all_pairs
RETURN 'no sharing' AS finding,
       a1.name AS agency,
       a2.name AS other_agency,
       s.key AS person,
       NULL AS victim_events,
       [e IN ev1 | {id: e.id, date: e.date, type: e.type, source: e.source}] AS perpetrator_events,
       [e IN ev2 | {id: e.id, date: e.date, type: e.type, source: e.source}] AS other_events,
       CASE WHEN relevant THEN 'both recorded domestic abuse: ' ELSE 'not both: ' END +
         a1.name + ' (' + CASE WHEN size(why1) = 0 THEN 'nothing' ELSE reduce(t = head(why1), w IN tail(why1) | t + ', ' + w) END + '); ' +
         a2.name + ' (' + CASE WHEN size(why2) = 0 THEN 'nothing' ELSE reduce(t = head(why2), w IN tail(why2) | t + ', ' + w) END + ')' AS reason
ORDER BY CASE WHEN relevant THEN 0 ELSE 1 END, person, agency, other_agency
