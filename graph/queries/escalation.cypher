// name: escalation
// title: Incidents per quarter before the homicide, and the shrinking gaps between them
// category: chronology
// question: >
//   Was the abuse escalating? How many incidents involving the perpetrator were recorded in
//   each quarter before the homicide, and were the gaps between incidents getting shorter?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
//   types: {type: list, of: string, default: [incident], description: event types that count as incidents (events naming the perpetrator as abuser always count)}
// period: >
//   Before the homicide: events dated before the first day of the homicide (the review's homicide
//   date, its homicide event or the death of one of its victims, whichever is earliest; an event
//   whose partial date spans it counts unless it is a step that follows a homicide: arrest, charge,
//   court, conviction, sentence, custody, the review's own steps). --param before=DATE moves the
//   bound. A review with none of these dates is not bounded: every event counts.
// columns:
//   quarter: calendar quarter, e.g. 2013-Q4
//   incidents: number of incidents that quarter
//   events: the incidents (id, date, type, days since the previous incident, source paragraphs)
//   mean_gap_days: mean days between each incident this quarter and the one before it
//   shortest_gap_days: the shortest of those gaps
//   shorter_than_before: true when the mean gap is shorter than in the previous quarter with incidents
// example: dhrkg run escalation north-worcs-dhr-7 --param types=incident,call
// notes: >
//   Gaps count from the first day each date can mean, so gaps involving month- or year-only
//   dates are approximate, and an incident dated only to a year is counted in that year's first
//   quarter (Q1). The homicide itself is not counted.
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (r)<-[:SUBJECT_OF {role: 'perpetrator'}]-(p:Person)
MATCH (p)-[inv:INVOLVED]->(e:Event)
WHERE e.type <> 'homicide'
  AND (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (e.type IN $types OR inv.role = 'perpetrator')
WITH DISTINCT e
WITH e, toInteger(left(e.date_from, 4)) AS y, toInteger(substring(e.date_from, 5, 2)) AS mo,
     toInteger(substring(e.date_from, 8, 2)) AS d
WITH e, y, mo, d, y - CASE WHEN mo <= 2 THEN 1 ELSE 0 END AS yy
WITH e, y, mo, d, yy, yy / 400 AS era
WITH e, y, mo, d, era, yy - era * 400 AS yoe, (mo + 9) % 12 AS mp
WITH e, y, mo,
     era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + (153 * mp + 2) / 5 + d - 1 - 719468 AS day
ORDER BY e.date_from, e.id
WITH collect({id: e.id, date: e.date, type: e.type, source: e.source, day: day,
              quarter: toString(y) + '-Q' + toString((mo - 1) / 3 + 1)}) AS evs
UNWIND range(0, size(evs) - 1) AS i
WITH evs[i] AS ev, CASE WHEN i = 0 THEN NULL ELSE evs[i].day - evs[i - 1].day END AS gap
WITH ev.quarter AS quarter,
     collect({id: ev.id, date: ev.date, type: ev.type, gap_days: gap, source: ev.source}) AS items,
     collect(gap) AS gaps
WITH quarter, items, gaps,
     CASE WHEN size(gaps) = 0 THEN NULL ELSE round(10.0 * reduce(s = 0, g IN gaps | s + g) / size(gaps)) / 10.0 END AS mean_gap,
     reduce(m = NULL, g IN gaps | CASE WHEN m IS NULL OR g < m THEN g ELSE m END) AS min_gap
ORDER BY quarter
WITH collect({quarter: quarter, items: items, mean_gap: mean_gap, min_gap: min_gap}) AS qs
UNWIND range(0, size(qs) - 1) AS i
RETURN qs[i].quarter AS quarter,
       size(qs[i].items) AS incidents,
       qs[i].items AS events,
       qs[i].mean_gap AS mean_gap_days,
       qs[i].min_gap AS shortest_gap_days,
       CASE WHEN i = 0 OR qs[i].mean_gap IS NULL OR qs[i - 1].mean_gap IS NULL THEN NULL
            ELSE qs[i].mean_gap < qs[i - 1].mean_gap END AS shorter_than_before
ORDER BY quarter
