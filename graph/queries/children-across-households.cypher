// name: children-across-households
// title: A person's children with every partner, where they lived, and who knew them
// category: missed links
// question: >
//   Which children does this person have, with which other parent, in which households and
//   police force areas did each child live, and which agencies had contact with each child?
// parameters:
//   person: {type: person, positional: true, description: 'the parent, as "<review>/<id>"'}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   Agency contacts before the homicide of the parent's review: events dated before its first day
//   (the review's homicide date, its homicide event or the death of one of its victims, whichever
//   is earliest; an event whose partial date spans it counts unless it is a step that follows a
//   homicide: arrest, charge, court, conviction, sentence, custody, the review's own steps);
//   households and parents whenever recorded. --param before=DATE moves the bound. A review with
//   none of these dates is not bounded: every event counts.
// columns:
//   child: key of the child
//   name: the child's name or pseudonym
//   born: date of birth (partial dates stay partial)
//   other_parents: keys of the child's other parents (the partner the child was had with)
//   households: households the child was a member of (id, from, to, town, force area, source)
//   force_areas: police force areas of those households and of the events involving the child
//   agencies: agencies that recorded an event involving the child
//   events: those events (id, date, type, agency, source)
//   source: paragraph refs for the parent relationship
// example: dhrkg run children-across-households north-worcs-dhr-7/Perpetrator
MATCH (p:Person {key: $person})
MATCH (r:Review {key: p.review})
WITH p, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (p)-[pr:PARENT_OF]->(c:Person)
WITH p, bound, c, pr,
     reduce(acc = [], k IN [(c)<-[:PARENT_OF]-(o:Person) WHERE o <> p | o.key] |
            [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS other_parents
OPTIONAL MATCH (c)-[m:MEMBER_OF]->(h:Household)
WITH p, bound, c, pr, other_parents, m, h,
     head([(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'police_force_area' | a.name]) AS h_area,
     head([(h)-[:LOCATED_IN]->(htown:Area) WHERE htown.kind = 'town' | htown.name]) AS h_town
ORDER BY c.key, h.key, m.start_from
WITH p, bound, c, pr, other_parents,
     collect(CASE WHEN h IS NULL THEN NULL ELSE
       {id: h.id, from: coalesce(m.start, h.start), to: coalesce(m.end, h.end), town: h_town, force_area: h_area, source: h.source} END) AS households,
     collect(DISTINCT h_area) AS household_areas
OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)
WHERE (e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) AND (e)-[:RECORDED_BY]->()
OPTIONAL MATCH (e)-[:RECORDED_BY]->(ag:Agency)
WITH p, c, pr, other_parents, households, household_areas, e, ag,
     coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
              head([(ag)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS e_area
ORDER BY c.key, e.date_from, e.key
WITH c, pr, other_parents, households, household_areas,
     collect(CASE WHEN e IS NULL THEN NULL ELSE {id: e.id, date: e.date, type: e.type, agency: ag.name, source: e.source} END) AS events,
     collect(DISTINCT ag.name) AS agencies,
     collect(DISTINCT e_area) AS event_areas
RETURN c.key AS child,
       c.name AS name,
       c.born AS born,
       other_parents,
       households,
       reduce(acc = [], a IN household_areas + event_areas | CASE WHEN a IN acc THEN acc ELSE acc + a END) AS force_areas,
       agencies,
       events,
       pr.source AS source
ORDER BY child
