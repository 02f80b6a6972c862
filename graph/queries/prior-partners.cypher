// name: prior-partners
// title: Former partners of a person, and what agencies recorded about each pair
// category: missed links
// question: >
//   Who were this person's previous partners (by a partner relationship or by children they
//   had together), which incidents and agency contacts involved the two of them, which agencies
//   and police force areas recorded them, and was any of it recorded in the force area of the
//   review?
// parameters:
//   person: {type: person, positional: true, description: 'the person, as "<review>/<id>"'}
//   include_current: {type: boolean, default: false, description: also list current partners}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   Before the homicide of the person's review: events dated before its first day (the review's
//   homicide date, its homicide event or the death of one of its victims, whichever is earliest; an
//   event whose partial date spans it counts unless it is a step that follows a homicide: arrest,
//   charge, court, conviction, sentence, custody, the review's own steps). --param before=DATE
//   moves the bound. A review with none of these dates is not bounded: every event counts.
// columns:
//   partner: key of the partner
//   name: the partner's name or pseudonym
//   basis: partner (a partner relationship) or co-parent (children together, no partner relationship recorded)
//   status: status of the partner relationship (current, former), kind and separation date
//   shared_children: keys of the children they had together
//   events: incidents and contacts involving both (id, date, type, agency, force area, source paragraphs)
//   agencies: agencies that recorded those events
//   force_areas: police force areas where those events were recorded
//   review_force_area: force area of the person's review (where the homicide happened)
//   nothing_in_review_area: true when events were recorded about the pair but none in the review's force area (a missed link)
//   source: paragraph refs for the partner relationship
// example: dhrkg run prior-partners north-worcs-dhr-7/Perpetrator
// notes: >
//   An event's force area is its place's police force area, else the force area of the agency
//   that recorded it. Life events and the review's own process steps are not counted as
//   incidents or contacts.
MATCH (p:Person {key: $person})
MATCH (r:Review {key: p.review})
WITH p, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound,
     coalesce(head([(r)-[:LOCATED_IN]->(ra:Area) WHERE ra.kind = 'police_force_area' | ra.name]), r.police_force_area) AS review_area,
     [(p)-[:PARTNER_OF]-(x:Person) WHERE x <> p | x] +
     [(p)-[:PARENT_OF]->(:Person)<-[:PARENT_OF]-(y:Person) WHERE y <> p | y] AS candidates
UNWIND candidates AS x
WITH DISTINCT p, bound, review_area, x
WHERE x <> p
WITH p, bound, review_area, x,
     [(p)-[pe:PARTNER_OF]-(x) | pe] AS partner_edges,
     reduce(acc = [], k IN [(p)-[:PARENT_OF]->(c:Person)<-[:PARENT_OF]-(x) WHERE x <> p | c.key] |
            [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS shared_children
WHERE $include_current OR NONE(pe IN partner_edges WHERE pe.status = 'current')
OPTIONAL MATCH (p)-[:INVOLVED]->(e:Event)<-[:INVOLVED]-(x)
WHERE x <> p AND NOT e.type IN ['life_event', 'review_process'] AND (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH p, review_area, x, partner_edges, shared_children, e,
     head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
     coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
              head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area
ORDER BY x.key, e.date_from, e.key
WITH p, review_area, x, partner_edges, shared_children,
     collect(CASE WHEN e IS NULL THEN NULL ELSE
       {id: e.id, date: e.date, type: e.type, agency: agency, force_area: force_area, source: e.source} END) AS events,
     collect(DISTINCT agency) AS agencies,
     collect(DISTINCT force_area) AS force_areas
RETURN x.key AS partner,
       x.name AS name,
       CASE WHEN size(partner_edges) > 0 THEN 'partner' ELSE 'co-parent' END AS basis,
       [pe IN partner_edges | pe.status + coalesce(' ' + pe.kind, '') + coalesce(', separated ' + pe.separated, '')] AS status,
       shared_children,
       events,
       agencies,
       force_areas,
       review_area AS review_force_area,
       size(events) > 0 AND NOT review_area IN force_areas AS nothing_in_review_area,
       [pe IN partner_edges | pe.source] AS source
ORDER BY partner
