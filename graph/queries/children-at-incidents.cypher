// name: children-at-incidents
// title: Children present at incidents or living with the abuser
// category: children
// question: >
//   Which children were involved in or present at incidents of abuse, or lived in a household
//   with the perpetrator, and did children's services hear about them?
// parameters:
//   review: {type: review, positional: true, description: the review id}
// columns:
//   child: key of the child
//   name: the child's name or pseudonym
//   born: date of birth
//   incidents: incidents or abuse events the child was part of (id, date, agency, source)
//   households_with_perpetrator: households the child shared with the review's perpetrator
//   childrens_services: events about the child recorded by, referred to or shared with children's social care
//   known_to_childrens_services: true when there is at least one such event
// example: dhrkg run children-at-incidents north-worcs-dhr-7
MATCH (r:Review {key: $review})<-[:PART_OF]-(c:Person)
WITH r, c
WHERE 'child' IN coalesce(c.roles, [])
OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)
WHERE e.type IN ['incident', 'homicide'] OR (e)<-[:INVOLVED {role: 'perpetrator'}]-(:Person)
WITH r, c, e ORDER BY e.date_from, e.id
WITH r, c, collect(CASE WHEN e IS NULL THEN NULL ELSE
       {id: e.id, date: e.date, agency: head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]), source: e.source} END) AS incidents
WITH r, c, incidents,
     reduce(acc = [], k IN [(c)-[:MEMBER_OF]->(h:Household)<-[:MEMBER_OF]-(p:Person)-[:SUBJECT_OF {role: 'perpetrator'}]->(r) WHERE p <> c | h.id] |
            CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS households
OPTIONAL MATCH (c)-[:INVOLVED]->(cs:Event)
WHERE (cs)-[:RECORDED_BY|REFERRED_TO|SHARED_WITH|TOOK_PART]->(:Agency {type: 'children_social_care'})
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
