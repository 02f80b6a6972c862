// name: agency-events
// title: What one agency recorded in a review
// category: agencies
// question: What did this agency record, about whom, and what did it refer or share, and with whom?
// parameters:
//   agency: {type: agency, positional: true, description: 'the agency, "<review>/<agency id>"'}
// period: >
//   The whole record, before and after the homicide: every event the agency recorded, took part
//   in, or received.
// columns:
//   date: event date
//   event: event id
//   type: event type
//   persons: people involved (ids within the review)
//   referred_to: agencies it referred to
//   shared_with: agencies it shared with or that took part
//   summary: what happened
//   source: paragraph refs
// example: dhrkg run agency-events north-worcs-dhr-7/wmp
MATCH (ag:Agency {key: $agency})<-[:RECORDED_BY]-(e:Event)
RETURN e.date AS date,
       e.id AS event,
       e.type AS type,
       reduce(acc = [], k IN [(e)<-[:INVOLVED]-(o:Person) | o.id] | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       reduce(acc = [], k IN [(e)-[:REFERRED_TO]->(rt:Agency) | rt.name] | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS referred_to,
       reduce(acc = [], k IN [(e)-[:SHARED_WITH|TOOK_PART]->(sw:Agency) | sw.name] |
              CASE WHEN k IN acc THEN acc ELSE [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y > k] END) AS shared_with,
       e.summary AS summary,
       e.source AS source
ORDER BY e.date_from, e.date_to, event
