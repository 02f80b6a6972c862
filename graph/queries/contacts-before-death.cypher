// name: contacts-before-death
// title: Each agency's contacts with victim and perpetrator in the months before the homicide
// category: agencies
// question: >
//   In the N months before the homicide, how many times did each agency have contact with the
//   victim and with the perpetrator, and when was the last contact?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   months: {type: integer, default: 12, description: how many calendar months before the homicide}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   The N months before the homicide: events dated in the N months before the first day of the
//   homicide (the review's homicide date, its homicide event or the death of one of its victims,
//   whichever is earliest; an event whose partial date spans it counts unless it is a step that
//   follows a homicide: arrest, charge, court, conviction, sentence, custody, the review's own
//   steps). --param before=DATE moves the end. A review with none of these dates lists nothing
//   unless --param before gives the end.
// columns:
//   agency: the agency
//   victim_contacts: number of its events involving the victim in the period
//   last_victim_contact: date of the last of them
//   perpetrator_contacts: number of its events involving the perpetrator in the period
//   last_perpetrator_contact: date of the last of them
//   since: first day of the period
//   events: "the events (id, date, type, who = victim, perpetrator or both, source paragraphs)"
// example: dhrkg run contacts-before-death north-worcs-dhr-7 --param months=12
// notes: >
//   The period runs from the same day N calendar months before the first day of the homicide
//   (the last day of that month when it is shorter) up to the day before it. An event counts
//   when its date range ends in the period, or reaches the period and spans the homicide as the
//   period says (a disclosure dated only to the year of the homicide). Agencies with no contact
//   in the period are not listed.
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END)) AS bound
WHERE bound IS NOT NULL
WITH r, bound, toInteger(left(bound, 4)) * 12 + toInteger(substring(bound, 5, 2)) - 1 - $months AS total,
     toInteger(substring(bound, 8, 2)) AS hd
WITH r, bound, hd, total / 12 AS sy, total % 12 + 1 AS sm
WITH r, bound, sy, sm,
     CASE WHEN sm = 2 THEN CASE WHEN (sy % 4 = 0 AND sy % 100 <> 0) OR sy % 400 = 0 THEN 29 ELSE 28 END
          WHEN sm IN [4, 6, 9, 11] THEN 30 ELSE 31 END AS month_days, hd
WITH r, bound, toString(sy) + '-' + right('0' + toString(sm), 2) + '-' +
        right('0' + toString(CASE WHEN hd > month_days THEN month_days ELSE hd END), 2) AS since
MATCH (r)<-[so:SUBJECT_OF]-(s:Person)
MATCH (s)-[:INVOLVED]->(e:Event)
WHERE (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) AND e.date_to >= since
MATCH (e)-[:RECORDED_BY]->(ag:Agency)
WITH since, ag, e, collect(DISTINCT so.role) AS roles
WITH since, ag, e,
     CASE WHEN 'victim' IN roles AND 'perpetrator' IN roles THEN 'both' WHEN 'victim' IN roles THEN 'victim' ELSE 'perpetrator' END AS who
ORDER BY ag.name, e.date_from, e.id
WITH since, ag,
     collect({id: e.id, date: e.date, type: e.type, who: who, source: e.source}) AS events,
     collect(CASE WHEN who IN ['victim', 'both'] THEN e.date END) AS vdates,
     collect(CASE WHEN who IN ['perpetrator', 'both'] THEN e.date END) AS pdates
RETURN ag.name AS agency,
       size(vdates) AS victim_contacts,
       last(vdates) AS last_victim_contact,
       size(pdates) AS perpetrator_contacts,
       last(pdates) AS last_perpetrator_contact,
       since,
       events
ORDER BY victim_contacts + perpetrator_contacts DESC, agency
