// name: person-timeline
// title: Everything recorded about one person, in date order
// category: chronology
// question: What happened to or around this person, when, who recorded it and where, with the report paragraphs?
// parameters:
//   person: {type: person, positional: true, description: 'the person, "<review>/<id>"'}
//   from: {type: date, required: false, description: only events on or after this date}
//   to: {type: date, required: false, description: only events on or before this date}
// period: >
//   The whole record, before and after the homicide: every event about the person, in date
//   order.
// columns:
//   date: event date (partial dates stay partial)
//   event: event id
//   type: event type
//   role: the person's part in it (subject, perpetrator, victim)
//   agency: agency that recorded it
//   force_area: police force area (the event's place, else the agency's)
//   others: the other people involved (keys)
//   summary: what happened
//   source: paragraph refs
// example: dhrkg run person-timeline north-worcs-dhr-7/PFP --param from=2010
MATCH (p:Person {key: $person})
MATCH (p)-[inv:INVOLVED]->(e:Event)
WITH p, inv, e
WHERE ($from IS NULL OR e.date_to >= $from_from) AND ($to IS NULL OR e.date_from <= $to_to)
RETURN e.date AS date,
       e.id AS event,
       e.type AS type,
       inv.role AS role,
       head([(e)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
       coalesce(head([(e)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area,
       reduce(acc = [], k IN [(e)<-[:INVOLVED]-(o:Person) WHERE o <> p | o.key] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS others,
       e.summary AS summary,
       e.source AS source
ORDER BY e.date_from, e.date_to, event
