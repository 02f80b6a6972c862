// name: children-at-incidents
// title: Children present at incidents or living with the abuser
// category: children
// question: >
//   Which children were involved in or present at incidents of abuse, or lived in a household
//   with the perpetrator, and did children's services hear about them?
// parameters:
//   review: {type: review, positional: true, description: the review id}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide)'}
// period: >
//   Before the homicide, and the homicide itself: incidents up to and including the homicide;
//   children's services events only before it (the first day of the homicide: the review's homicide
//   date, its homicide event or the death of one of its victims, whichever is earliest; an event
//   whose partial date spans it counts unless it is a step that follows a homicide: arrest, charge,
//   court, conviction, sentence, custody, the review's own steps). --param before=DATE moves the
//   bound. A review with none of these dates is not bounded: every event counts.
// columns:
//   child: key of the child
//   name: the child's name or pseudonym
//   born: date of birth
//   incidents: incidents or abuse events the child was part of (id, date, agency, source)
//   households_with_perpetrator: households the child shared with the review's perpetrator
//   childrens_services: events about the child recorded by, referred to or shared with children's social care
//   known_to_childrens_services: true when there is at least one such event
// example: dhrkg run children-at-incidents north-worcs-dhr-7
MATCH (r:Review {key: $review})
WITH r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
MATCH (r)<-[:PART_OF]-(c:Person)
WITH r, bound, c
WHERE 'child' IN coalesce(c.roles, [])
OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)
WHERE ((e.date_to < bound OR (e.date_from < bound AND NOT e.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) OR e.type = 'homicide')
  AND (e.type IN ['incident', 'homicide'] OR (e)<-[:INVOLVED {role: 'perpetrator'}]-(:Person))
WITH r, bound, c, e ORDER BY e.date_from, e.id
WITH r, bound, c, collect(CASE WHEN e IS NULL THEN NULL ELSE
       {id: e.id, date: e.date, agency: head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]), source: e.source} END) AS incidents
WITH r, bound, c, incidents,
     reduce(acc = [], k IN [(c)-[:MEMBER_OF]->(h:Household)<-[:MEMBER_OF]-(p:Person)-[:SUBJECT_OF {role: 'perpetrator'}]->(r) WHERE p <> c | h.id] |
            CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS households
OPTIONAL MATCH (c)-[:INVOLVED]->(cs:Event)
WHERE (cs.date_to < bound OR (cs.date_from < bound AND NOT cs.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) AND (cs)-[:RECORDED_BY|REFERRED_TO|SHARED_WITH|TOOK_PART]->(:Agency {type: 'children_social_care'})
WITH c, incidents, households, cs ORDER BY cs.date_from, cs.id
WITH c, incidents, households, collect(CASE WHEN cs IS NULL THEN NULL ELSE {id: cs.id, date: cs.date, type: cs.type, source: cs.source} END) AS social_care
WHERE size(incidents) > 0 OR size(households) > 0
RETURN c.key AS child,
       c.name AS name,
       c.born AS born,
       incidents,
       households AS households_with_perpetrator,
       social_care AS childrens_services,
       size(social_care) > 0 AS known_to_childrens_services
ORDER BY child
