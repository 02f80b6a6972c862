// name: multi-agency-meetings
// title: MARAC, MAPPA and child protection meetings, and who was there
// category: agencies
// question: Which multi-agency meetings (MARAC, MAPPA, child protection) were held, about whom, and which agencies took part or were told?
// parameters:
//   review: {type: review, positional: true, description: the review id}
// period: >
//   The whole record, before and after the homicide: every MARAC, MAPPA and child protection
//   meeting on record.
// columns:
//   date: meeting date
//   event: event id
//   type: marac, mappa or child_protection
//   persons: people it was about (ids)
//   agencies: the agency that recorded it and those that took part or were told
//   summary: what happened
//   source: paragraph refs
// example: dhrkg run multi-agency-meetings birmingham-bdhr-2012-13-04
MATCH (r:Review {key: $review})<-[:PART_OF]-(e:Event)
WITH e
WHERE e.type IN ['marac', 'mappa', 'child_protection']
RETURN e.date AS date,
       e.id AS event,
       e.type AS type,
       reduce(acc = [], k IN [(e)<-[:INVOLVED]-(o:Person) | o.id] | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       reduce(acc = [], k IN [(e)-[:RECORDED_BY|TOOK_PART|SHARED_WITH|REFERRED_TO]->(ag:Agency) | ag.name] |
              CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS agencies,
       e.summary AS summary,
       e.source AS source
ORDER BY e.date_from, event
