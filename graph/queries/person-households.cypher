// name: person-households
// title: Where a person lived, when, and with whom
// category: people
// question: Which households was this person part of, when, in which town and police force area, and who else lived there?
// parameters:
//   person: {type: person, positional: true, description: 'the person, "<review>/<id>"'}
// period: >
//   The whole record, before and after the homicide: every household membership on record, with
//   its dates.
// columns:
//   household: household id
//   from: when the person joined (or the household began)
//   to: when the person left (or the household ended)
//   town: town
//   local_authority: local authority
//   force_area: police force area
//   members: the other members (keys)
//   source: paragraph refs
// example: dhrkg run person-households north-worcs-dhr-7/Perpetrator
MATCH (p:Person {key: $person})-[m:MEMBER_OF]->(h:Household)
RETURN h.id AS household,
       coalesce(m.start, h.start) AS from,
       coalesce(m.end, h.end) AS to,
       head([(h)-[:LOCATED_IN]->(tn:Area) WHERE tn.kind = 'town' | tn.name]) AS town,
       head([(h)-[:LOCATED_IN]->(la:Area) WHERE la.kind = 'local_authority' | la.name]) AS local_authority,
       head([(h)-[:LOCATED_IN]->(pf:Area) WHERE pf.kind = 'police_force_area' | pf.name]) AS force_area,
       reduce(acc = [], k IN [(h)<-[:MEMBER_OF]-(o:Person) WHERE o <> p | o.key] |
              CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS members,
       h.source AS source
ORDER BY coalesce(m.start_from, h.start_from, '9999'), household
